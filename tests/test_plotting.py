"""linreg_helpers.plotting: the three stacked curves, drawn and updated in place."""

import math

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg

from linreg_helpers.plotting import HistoryFigure, plot_history
from linreg_helpers.training import train
from linreg_helpers.widgets.frame import RENDER_SCALE
from linreg_helpers.widgets.live_history import CACHED_BACKGROUNDS, LiveHistoryFigure


def test_plot_history_draws_the_three_curves():
    history = train()
    fig = plot_history(history)
    axes = fig.get_axes()
    assert [ax.get_ylabel() for ax in axes] == ["loss", "weight w", "bias b"]
    assert axes[-1].get_xlabel() == "epoch"
    for ax, values in zip(axes, (history.loss, history.weight, history.bias)):
        xs, ys = ax.get_lines()[0].get_data()
        assert list(xs) == history.epochs
        np.testing.assert_array_equal(ys, values)
        low, high = ax.get_ylim()
        assert low <= min(values) and high >= max(values)


def test_update_reuses_the_same_artists():
    view = HistoryFigure(train(), targets={"weight": 2.0, "bias": 0.0}, log_loss=True)
    lines = dict(view.lines)
    n_artists = [len(ax.get_children()) for ax in view.figure.get_axes()]
    short = train(lr=0.01, epochs=10)
    view.update(short)
    assert view.lines == lines
    assert [len(ax.get_children()) for ax in view.figure.get_axes()] == n_artists
    np.testing.assert_array_equal(view.lines["weight"].get_ydata(), short.weight)
    assert view.axes["bias"].get_xlim() == (0, 9)
    assert view.axes["loss"].get_yscale() == "log"


def test_reference_lines_stay_in_view():
    view = HistoryFigure(train(epochs=3), targets={"weight": 2.0, "bias": 0.0})
    for key, ref in (("weight", 2.0), ("bias", 0.0)):
        low, high = view.axes[key].get_ylim()
        assert low < ref < high


def test_divergent_history_keeps_axes_finite():
    history = train(lr=1.0, epochs=200)
    assert history.diverged
    view = HistoryFigure(history, log_loss=True)
    for ax in view.figure.get_axes():
        assert all(math.isfinite(v) for v in ax.get_ylim())


def test_single_epoch_history():
    view = HistoryFigure(train(epochs=1))
    assert view.axes["bias"].get_xlim() == (0, 1)


def _pixels(view):
    """The fast redraw's picture of ``view`` (a LiveHistoryFigure)."""
    view.render()
    return np.asarray(view.figure.canvas.buffer_rgba()).copy()


def _full_draw(view):
    """The same figure drawn in full by matplotlib (every artist, nothing reused)."""
    view.figure.canvas.draw()
    return np.asarray(view.figure.canvas.buffer_rgba()).copy()


def test_fast_redraw_gives_the_same_pixels_as_a_full_draw():
    targets = {"weight": 2.0, "bias": 0.0}
    fast = LiveHistoryFigure(targets=targets, log_loss="auto")
    runs = [train(lr=0.04), train(lr=0.041), train(lr=0.5), train(lr=0.01, epochs=300),
            train(optimizer="Adam")]
    for history in runs + runs[::-1]:
        fast.update(history)
        reference = LiveHistoryFigure(history, targets=targets, log_loss="auto")
        assert np.array_equal(_pixels(fast), _full_draw(reference))
    assert fast.full_draws < len(runs) * 2  # some redraws reused the rendered axes


def test_the_live_figure_is_no_pyplot_figure_and_is_drawn_sharp():
    figures = plt.get_fignums()
    fast = LiveHistoryFigure(train(), figsize=(6.4, 5.6))
    assert plt.get_fignums() == figures  # %matplotlib inline never shows it a second time
    assert isinstance(fast.figure.canvas, FigureCanvasAgg)
    assert _pixels(fast).shape == (560 * RENDER_SCALE, 640 * RENDER_SCALE, 4)


def test_fast_redraw_reuses_the_axes_while_limits_stay():
    fast = LiveHistoryFigure(train(lr=0.04))
    fast.render()
    fast.update(train(lr=0.0401))  # same round limits
    fast.render()
    assert fast.full_draws == 1
    fast.update(train(lr=0.01, epochs=100))  # other limits: a full draw
    fast.render()
    assert fast.full_draws == 2
    fast.update(train(lr=0.04))  # back to the first limits: their rendering is kept
    fast.render()
    assert fast.full_draws == 2
    fast.forget_rendered_axes()
    fast.render()
    assert fast.full_draws == 3


def test_the_kept_renderings_are_bounded():
    fast = LiveHistoryFigure(train())
    for epochs in range(10, 10 + 3 * CACHED_BACKGROUNDS, 3):  # each: other x limits
        fast.update(train(epochs=epochs))
        fast.render()
    assert len(fast._backgrounds) == CACHED_BACKGROUNDS


def test_fast_figure_still_saves_to_vector_formats():
    import io

    fast = LiveHistoryFigure(train())
    fast.render()
    buffer = io.BytesIO()
    fast.figure.savefig(buffer, format="svg")
    assert buffer.getvalue().count(b"<path") > 10


def test_limits_are_round_and_the_loss_starts_near_zero():
    view = HistoryFigure(train())
    low, high = view.axes["loss"].get_ylim()
    assert high == 50.0 and -2.5 < low < 0
    w_low, w_high = view.axes["weight"].get_ylim()
    assert (w_low * 10).is_integer() and (w_high * 10).is_integer()


def test_auto_log_scale_only_for_diverged_runs():
    view = HistoryFigure(train(), log_loss="auto")
    assert view.axes["loss"].get_yscale() == "linear"
    view.update(train(lr=0.5))
    assert view.axes["loss"].get_yscale() == "log"
    low, high = view.axes["loss"].get_ylim()
    assert math.log10(low).is_integer() and math.log10(high).is_integer()


def test_sticky_limits_hold_for_small_changes_and_follow_big_ones():
    view = HistoryFigure(train(lr=0.03), sticky=True)
    limits = view.axes["weight"].get_ylim()
    view.update(train(lr=0.031))
    assert view.axes["weight"].get_ylim() == limits
    view.update(train(lr=0.01, epochs=3))  # far smaller range: the axis zooms in
    assert view.axes["weight"].get_ylim() != limits
    for key in ("loss", "weight", "bias"):  # the data always stay in view
        low, high = view.axes[key].get_ylim()
        values = view.lines[key].get_ydata()
        assert low <= min(values) and max(values) <= high
    plain = HistoryFigure(train(lr=0.03))
    plain.update(train(lr=0.031))
    assert plain.axes["weight"].get_ylim() == HistoryFigure(train(lr=0.031)).axes[
        "weight"].get_ylim()


def test_savefig_does_not_poison_the_cached_redraw():
    import io

    history = train()
    fast = LiveHistoryFigure(history, targets={"weight": 2.0, "bias": 0.0}, sticky=True)
    fast.render()
    fast.figure.savefig(io.BytesIO(), format="png")
    fast.figure.savefig(io.BytesIO(), format="png", bbox_inches="tight", facecolor="red")
    fast.figure.savefig(io.BytesIO(), format="png", dpi=50)
    reference = LiveHistoryFigure(history, targets={"weight": 2.0, "bias": 0.0})
    assert np.array_equal(_pixels(fast), _full_draw(reference))
    assert np.array_equal(_pixels(fast), _full_draw(reference))  # from the cache
