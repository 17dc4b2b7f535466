"""linreg_helpers.widgets.dashboard: driven from Python, as the browser would drive it."""

import asyncio

import matplotlib.pyplot as plt
import numpy as np
import pytest
from fake_ipympl_browser import FakeBrowser, kernel_picture
from matplotlib.backends.backend_agg import FigureCanvasAgg

from linreg_helpers.settings import OPTIMIZERS
from linreg_helpers.training import train
from linreg_helpers.widgets import dashboard as dashboard_module
from linreg_helpers.widgets.dashboard import COALESCE_DELAY, TrainingDashboard


@pytest.fixture
def dash():
    d = TrainingDashboard()
    yield d
    d.close()


def assert_shows(d, **settings):
    expected = train(**settings)
    assert d.history == expected
    for key in ("loss", "weight", "bias"):
        xs, ys = d.view.lines[key].get_data()
        assert list(xs) == expected.epochs
        np.testing.assert_array_equal(ys, getattr(expected, key))


def test_defaults_are_the_lessons(dash):
    assert (dash.lr.value, dash.epochs.value, dash.reduction.value, dash.optimizer.value) == (
        0.05, 51, "sum", "SGD")
    assert_shows(dash)
    text = dash.status.value
    for fragment in ("After 51 epochs", "loss 0.0144", "w = 1.9196", "b = 0.1828", "ŷ(4) = 7.8612",
                     "still converging", "lr = 0.0500"):
        assert fragment in text
    assert dash.figure is dash.view.figure
    assert len(dash.figure.axes) == 3


@pytest.mark.parametrize(
    ("control", "value", "settings"),
    [
        ("lr", 0.02, {"lr": 0.02}),
        ("epochs", 200, {"epochs": 200}),
        ("reduction", "mean", {"reduction": "mean"}),
        ("optimizer", "Adam", {"optimizer": "Adam"}),
        ("momentum", 0.5, {"momentum": 0.5}),
    ],
)
def test_every_control_retrains_and_redraws(dash, control, value, settings):
    before = dash.history
    getattr(dash, control).value = value
    assert dash.history != before
    assert_shows(dash, **settings)


def test_controls_combine(dash):
    dash.optimizer.value = "RMSprop"
    dash.reduction.value = "mean"
    dash.epochs.value = 120
    dash.lr.value = 0.01
    assert_shows(dash, optimizer="RMSprop", reduction="mean", epochs=120, lr=0.01)
    assert "RMSprop, lr = 0.0100, mean" in dash.status.value


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_every_optimizer(dash, name):
    dash.optimizer.value = name
    assert_shows(dash, optimizer=name)
    assert dash.momentum.disabled == (name != "SGD")
    assert name in dash.status.value and "Error" not in dash.status.value


def test_momentum_only_applies_to_sgd(dash):
    dash.momentum.value = 0.5
    dash.optimizer.value = "Adam"
    assert dash.settings() == {"lr": 0.05, "epochs": 51, "reduction": "sum", "optimizer": "Adam"}
    assert_shows(dash, optimizer="Adam")


@pytest.mark.parametrize(("reduction", "lr", "bound"), [("sum", 0.07, "0.0601"),
                                                        ("mean", 0.2, "0.1803")])
def test_divergence_is_explained(dash, reduction, lr, bound):
    dash.reduction.value = reduction
    dash.lr.value = lr
    assert dash.history.diverged
    text = dash.status.value
    assert text.startswith(f"Diverged at epoch {dash.history.diverged_at}")
    assert f"stable only for lr below {bound}" in text and f"reduction='{reduction}'" in text
    assert dash.view.axes["loss"].get_yscale() == "log"
    for ax in dash.figure.axes:
        assert all(np.isfinite(ax.get_ylim()))
    dash.lr.value = 0.01
    assert dash.view.axes["loss"].get_yscale() == "linear"
    assert not dash.history.diverged


def test_an_explosion_on_the_last_epoch_is_reported_as_one(dash):
    dash.lr.value = 0.5
    last = dash.history.diverged_at
    dash.epochs.value = last + 1  # now the run blows up on its final epoch
    assert dash.history.exploded and len(dash.history) == dash.epochs.value
    assert "the loss exploded" in dash.status.value
    dash.lr.value = 0.062  # slow growth, no explosion
    assert "the loss kept growing" in dash.status.value


def test_divergence_with_momentum_uses_the_momentum_bound(dash):
    dash.momentum.value = 0.5
    dash.lr.value = 0.1
    assert dash.history.diverged
    assert "stable only for lr below 0.0901" in dash.status.value


def test_other_optimizers_divergence_message(dash):
    dash.optimizer.value = "ASGD"
    dash.lr.value = 0.5
    assert dash.history.diverged
    assert "ASGD has no simple stability bound: lower the lr" in dash.status.value


def test_a_run_that_got_worse_is_not_called_converging(dash):
    dash.optimizer.value = "RMSprop"
    dash.epochs.value = 1
    dash.lr.value = 0.3
    assert not dash.history.diverged
    assert "not improving: try another lr or optimizer" in dash.status.value


def test_convergence_is_reported(dash):
    dash.optimizer.value = "LBFGS"
    assert "converged to the least-squares answer" in dash.status.value
    assert "ŷ(4) = 8.0000" in dash.status.value


def test_error_inside_training_is_shown_not_lost(dash, monkeypatch):
    good = dash.history

    def broken(*args, **kwargs):
        raise RuntimeError("simulated failure")

    monkeypatch.setattr(dashboard_module, "train", broken)
    dash.lr.value = 0.02
    assert "Error while updating: RuntimeError: simulated failure" in dash.status.value
    assert isinstance(dash.error, RuntimeError)
    assert dash.history is good  # the last good run stays
    monkeypatch.undo()
    dash.lr.value = 0.03
    assert dash.error is None and "Error" not in dash.status.value


def test_no_figure_or_artist_leak_after_many_updates(dash):
    figures = plt.get_fignums()
    children = [len(ax.get_children()) for ax in dash.figure.axes]
    for k in range(60):
        dash.lr.value = 10 ** (-2 + 0.02 * k)
        dash.figure.canvas.draw()
    assert plt.get_fignums() == figures
    assert [len(ax.get_children()) for ax in dash.figure.axes] == children
    assert dash.updates == 61


def test_reset_restores_the_lesson_with_one_update(dash):
    dash.optimizer.value = "Adam"
    dash.lr.value = 0.3
    dash.epochs.value = 9
    count = dash.updates
    dash.reset.click()
    assert dash.updates == count + 1
    assert (dash.lr.value, dash.epochs.value, dash.optimizer.value) == (0.05, 51, "SGD")
    assert_shows(dash)


def test_browser_changes_are_coalesced_to_the_latest_value(dash):
    """A fast drag sends many values; the kernel trains once, for the last one."""
    count = dash.updates

    async def drag():
        for value in (0.01, 0.012, 0.015, 0.02, 0.025):
            dash.lr.set_state({"value": value})  # what a message from the browser does
        assert dash.updates == count  # nothing stale was trained yet
        await asyncio.sleep(COALESCE_DELAY * 10)

    asyncio.run(drag())
    assert dash.updates == count + 1
    assert_shows(dash, lr=0.025)


def test_python_change_cancels_a_pending_browser_update(dash):
    async def mixed():
        dash.lr.set_state({"value": 0.01})
        dash.epochs.value = 30  # from Python: at once, with the latest lr too
        assert_shows(dash, lr=0.01, epochs=30)
        count = dash.updates
        await asyncio.sleep(COALESCE_DELAY * 10)
        assert dash.updates == count  # the pending update was already covered

    asyncio.run(mixed())


def test_custom_data_and_validation():
    x, y = [[0.5], [1.0], [2.0]], [[2.0], [3.0], [5.0]]
    d = TrainingDashboard(x, y, epochs=1000)
    try:
        assert "least squares: w = 2.0000, b = 1.0000" in d.status.value
        assert d.history == train(x, y, epochs=1000)
    finally:
        d.close()
    with pytest.raises(ValueError, match="give both x and y"):
        TrainingDashboard([[1.0]])
    with pytest.raises(ValueError, match="column matrix"):
        TrainingDashboard([1.0, 2.0], [2.0, 4.0])


def test_displaying_gives_the_widget_bundle(dash):
    bundle = dash._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle


def test_lr_slider_covers_both_regimes_and_has_the_lesson_value_on_its_grid(dash):
    low, high = 10 ** dash.lr.min, 10 ** dash.lr.max
    assert low < 0.002 and high > 0.9  # stable and divergent lr, for sum and mean
    steps = (np.log10(0.05) - dash.lr.min) / dash.lr.step
    assert abs(steps - round(steps)) < 1e-9


@pytest.mark.parametrize(("settings", "converged"), [
    ({"epochs": 100}, False),  # w = 1.9867: close, not there
    ({"epochs": 1000, "lr": 0.01}, True),  # the course: w = 1.9996, b = 0.0009
    ({"reduction": "mean", "lr": 0.0525, "epochs": 200}, False),
    ({"optimizer": "LBFGS"}, True),
    ({"epochs": 1000}, True),
])
def test_converged_means_at_the_least_squares_answer(dash, settings, converged):
    for name, value in settings.items():
        getattr(dash, name).value = value
    w, b = dash.history.weight[-1], dash.history.bias[-1]
    assert ("converged to the least-squares answer" in dash.status.value) == converged
    assert (max(abs(w - 2.0), abs(b)) <= 1e-3) == converged


# --------------------------------------------------------------------------------------------
# The figure in the browser (issue 15): whatever order the messages take, the last state shows
# --------------------------------------------------------------------------------------------
@pytest.fixture
def ipympl_backend():
    plt.switch_backend("module://ipympl.backend_nbagg")
    yield
    plt.switch_backend("Agg")


def _rendered_now(canvas) -> np.ndarray:
    """The figure's current state, rendered afresh without sending a frame."""
    FigureCanvasAgg.draw(canvas)
    return kernel_picture(canvas)


def _assert_shows_the_last_state(browser, canvas) -> None:
    shown, expected = browser.picture(), _rendered_now(canvas)
    assert shown.shape == expected.shape, (shown.shape, expected.shape)
    blank = float((shown[..., 3] == 0).mean())
    assert np.array_equal(shown, expected), (
        f"the browser does not show the figure's last state: {blank:.0%} of it is blank, "
        f"{float((shown != expected).any(axis=-1).mean()):.0%} of its pixels differ")


def test_run_all_ordering_that_left_the_figure_blank(ipympl_backend):
    """The ordering logged in JupyterLab after Run All of 04 (issue 15), replayed exactly."""
    dash = TrainingDashboard()
    canvas = dash.figure.canvas
    browser = FakeBrowser(canvas)  # the view starts: refresh, send_image_mode, initialized
    dash.lr.value = 0.07  # 04's later cell, from Python: the kernel asks the browser to draw
    dash.lr.value = 0.05
    browser.deliver_to_browser()  # one draw request (R1); the rest dropped while it waits
    browser.deliver_to_kernel(3)  # Run All finished: refresh, send_image_mode, initialized
    browser.deliver_to_browser()  # size + resize: the canvas is cleared, 'refresh' sent
    browser.deliver_to_kernel(order=[1, 0])  # as logged: that refresh, then R1 -> full frame

    async def slider_echo():
        # the lr slider's view sends its value rounded to its grid: a change from the browser
        dash.lr.set_state({"value": 0.04999999999999997})
        await asyncio.sleep(COALESCE_DELAY * 10)

    asyncio.run(slider_echo())  # retrain, and push the frame at once
    browser.deliver_to_browser()  # both frames arrive before the first one is decoded
    browser.finish_decoding()
    browser.settle()
    _assert_shows_the_last_state(browser, canvas)
    dash.close()


@pytest.mark.parametrize("seed", range(20))
def test_any_interleaving_ends_with_the_last_state_on_screen(ipympl_backend, seed):
    """Random interleavings of kernel and browser messages, frame decodings, Python-side and
    browser-side changes and resizes: once everything is delivered, the last state shows.
    (With the pre-fix dashboard, seed 10 ended blank: a diff frame replaced a full one
    still decoding.)"""
    rng = np.random.default_rng(seed)
    dash = TrainingDashboard()
    canvas = dash.figure.canvas
    browser = FakeBrowser(canvas)
    lrs = (0.01, 0.03, 0.05, 0.07, 0.2)

    async def play():
        for _ in range(80):
            step = rng.choice(["to_browser", "to_browser", "to_kernel", "to_kernel", "decode",
                               "python", "browser", "resize"])
            if step == "to_browser":
                browser.deliver_to_browser(1)
            elif step == "to_kernel":
                browser.deliver_to_kernel(1)
            elif step == "decode":
                browser.finish_decoding()
            elif step == "python":
                dash.lr.value = float(rng.choice(lrs))
            elif step == "browser":
                dash.lr.set_state({"value": float(rng.choice(lrs))})
                await asyncio.sleep(COALESCE_DELAY * 3)
            else:
                browser.resize(640, 560)
        await asyncio.sleep(COALESCE_DELAY * 3)

    asyncio.run(play())
    browser.settle()
    assert browser.frames > 0
    _assert_shows_the_last_state(browser, canvas)
    dash.close()
