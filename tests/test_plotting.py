"""linreg_helpers.plotting: the three stacked curves, drawn and updated in place."""

import math

import numpy as np

from linreg_helpers.plotting import HistoryFigure, plot_history
from linreg_helpers.training import train


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
