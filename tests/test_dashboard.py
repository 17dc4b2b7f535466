"""linreg_helpers.widgets.dashboard: driven from Python, as the browser would drive it."""

import asyncio
import io
import threading

import matplotlib.pyplot as plt
import numpy as np
import pytest
from PIL import Image

from linreg_helpers.settings import OPTIMIZERS
from linreg_helpers.training import train
from linreg_helpers.widgets import dashboard as dashboard_module
from linreg_helpers.widgets.dashboard import COALESCE_DELAY, TrainingDashboard
from linreg_helpers.widgets.frame import RENDER_SCALE


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
    assert len(dash.figure.axes) == 4  # the three curves and the data panel


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
    assert f"exploded at epoch {dash.history.diverged_at}, where training stopped" in text
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
    stopped = f"exploded at epoch {dash.history.diverged_at}, where training stopped"
    assert stopped in dash.status.value
    dash.lr.value = 0.062  # slow growth, no explosion
    assert "on, above its start" in dash.status.value


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
# Updates on the event loop: coalesced, the last state always shown, one drawing thread
# --------------------------------------------------------------------------------------------
#: The dashboard's picture: its figure size (CSS px, at 100 dpi) times RENDER_SCALE, RGB.
FRAME_SHAPE = (*(round(inches * 100) * RENDER_SCALE for inches in dashboard_module.FIGSIZE[::-1]),
               3)


def decoded(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))


def last_state_picture(d) -> np.ndarray:
    """The figure's current state, drawn afresh in full (no cached background)."""
    d.figure.canvas.draw()
    return np.asarray(d.figure.canvas.buffer_rgba())[..., :3].copy()


def assert_picture_is_the_last_state(d) -> None:
    shown, expected = decoded(d.image.value), last_state_picture(d)
    assert shown.shape == expected.shape == FRAME_SHAPE
    assert np.array_equal(shown, expected), (
        f"the picture is not the last state: {(shown != expected).any(axis=-1).mean():.0%} "
        "of its pixels differ")


def test_the_figure_is_one_png_picture_of_the_current_state(dash):
    assert dash.image.format == "png" and "linreg-figure" in dash.image._dom_classes
    assert dash.image in dash.widget.children
    assert_picture_is_the_last_state(dash)
    dash.lr.value = 0.5  # other axes: a full draw
    assert_picture_is_the_last_state(dash)
    dash.lr.value = 0.51  # the same axes: the blitted redraw
    assert_picture_is_the_last_state(dash)


def test_browser_changes_are_coalesced_to_the_latest_value():
    """A fast drag sends many values; the kernel trains once, for the last one."""
    async def drag():
        d = TrainingDashboard()  # in a kernel: made where the event loop runs
        count = d.updates
        for value in (0.01, 0.012, 0.015, 0.02, 0.025):
            d.lr.set_state({"value": value})  # what a message from the browser does
        assert d.updates == count  # nothing stale was trained yet
        await asyncio.sleep(COALESCE_DELAY * 10)
        return d, count

    d, count = asyncio.run(drag())
    assert d.updates == count + 1
    assert_shows(d, lr=0.025)
    assert_picture_is_the_last_state(d)
    d.close()


def test_an_update_from_code_covers_a_pending_one():
    async def mixed():
        d = TrainingDashboard()
        d.lr.set_state({"value": 0.01})
        d.epochs.value = 30
        d.update()  # from code, at once, with the latest lr too
        assert_shows(d, lr=0.01, epochs=30)
        count = d.updates
        await asyncio.sleep(COALESCE_DELAY * 10)
        assert d.updates == count  # the pending update was already covered
        return d

    asyncio.run(mixed()).close()


@pytest.mark.parametrize("seed", range(6))
def test_any_mix_of_changes_ends_with_the_last_state_shown(seed):
    """Random Python-side and browser-side changes, updates from code and waits: every frame
    sent is a whole picture, and the last one shows the last state."""
    rng = np.random.default_rng(seed)
    lrs, epochs = (0.01, 0.03, 0.05, 0.07, 0.2), (20, 51, 300)

    async def play():
        d = TrainingDashboard()
        frames = []
        d.image.observe(lambda change: frames.append(change["new"]), names="value")
        for _ in range(30):
            step = rng.choice(["python", "browser", "update", "wait"])
            if step == "python":
                d.lr.value = float(rng.choice(lrs))
            elif step == "browser":
                d.epochs.set_state({"value": int(rng.choice(epochs))})
            elif step == "update":
                d.update()
            else:
                await asyncio.sleep(COALESCE_DELAY * 2)
        await asyncio.sleep(COALESCE_DELAY * 10)
        return d, frames

    d, frames = asyncio.run(play())
    assert frames
    for png in frames:
        assert decoded(png).shape == FRAME_SHAPE
    assert_shows(d, lr=d.lr.value, epochs=d.epochs.value)
    assert_picture_is_the_last_state(d)
    d.close()


def test_changes_from_another_thread_are_drawn_on_the_loops_thread():
    """JupyterLab's comms over subshells run widget callbacks on another thread: the updates
    still run (and draw) on the thread of the kernel's event loop, frames stay whole, and
    the last one shows the last state."""
    main = threading.get_ident()

    async def from_a_subshell():
        d = TrainingDashboard()
        drawn_on = []
        d.image.observe(lambda change: drawn_on.append(threading.get_ident()), names="value")

        def drag():
            for k in range(40):
                d.lr.set_state({"value": 0.01 + 0.0015 * k})
                d.epochs.set_state({"value": 30 + k})

        thread = threading.Thread(target=drag)
        thread.start()
        while thread.is_alive():
            await asyncio.sleep(0.001)
        thread.join()
        await asyncio.sleep(COALESCE_DELAY * 10)
        return d, drawn_on

    d, drawn_on = asyncio.run(from_a_subshell())
    assert drawn_on and set(drawn_on) == {main}
    assert len(drawn_on) < 80  # coalesced: fewer updates than changes
    assert (d.lr.value, d.epochs.value) == (pytest.approx(0.01 + 0.0015 * 39), 69)
    assert_shows(d, lr=d.lr.value, epochs=69)
    assert_picture_is_the_last_state(d)
    d.close()


def test_displaying_gives_the_widget_and_a_picture_of_the_last_frame(dash):
    bundle = dash._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert bundle["text/plain"].startswith("HBox(")  # what nbval compares stays text
    import base64

    picture = Image.open(io.BytesIO(base64.b64decode(bundle["image/png"])))
    # at CSS size, for GitHub and nbviewer
    assert picture.size == (FRAME_SHAPE[1] // RENDER_SCALE, FRAME_SHAPE[0] // RENDER_SCALE)


SUBSHELL_SETUP = """
import threading
from linreg_helpers.training import train
from linreg_helpers.widgets import TrainingDashboard
d = TrainingDashboard()
main, drawn_on, called_on = threading.get_ident(), [], []
d.image.observe(lambda change: drawn_on.append(threading.get_ident()), names="value")
d.lr.observe(lambda change: called_on.append(threading.get_ident()), names="value")
before = d.updates
print(d.lr.model_id)
"""
SUBSHELL_VERDICT = """print(d.updates - before, set(called_on) != {main}, set(drawn_on) == {main},
      round(d.lr.value, 4), d.history == train(lr=d.lr.value))"""


@pytest.mark.slow  # starts a kernel
def test_comms_over_a_subshell_are_drawn_on_the_main_thread():
    """JupyterLab's commsOverSubshells, played with ipykernel's own subshells: the slider's
    messages arrive on a subshell's thread; the updates run on the main thread, coalesced,
    and the last one shows the last value."""
    import time

    from jupyter_client.manager import start_new_kernel

    manager, client = start_new_kernel(kernel_name="python3")

    def run(code: str) -> str:
        out = []
        client.execute_interactive(code, timeout=120, output_hook=lambda msg: out.append(
            msg["content"].get("text", "") or "\n".join(msg["content"].get("traceback", []))))
        return "".join(out).strip()

    try:
        model_id = run(SUBSHELL_SETUP).splitlines()[-1]
        client.control_channel.send(client.session.msg("create_subshell_request", {}))
        subshell = client.control_channel.get_msg(timeout=30)["content"]["subshell_id"]
        # Wait until the subshell answers: messages sent before its thread runs can be handled
        # by the main shell instead, beside those handled by the subshell, in any order.
        ready = client.session.msg("kernel_info_request", {})
        ready["header"]["subshell_id"] = subshell
        client.shell_channel.send(ready)
        while client.shell_channel.get_msg(timeout=30)["parent_header"].get(
                "msg_id") != ready["header"]["msg_id"]:
            pass
        def send(value: float) -> None:
            msg = client.session.msg("comm_msg", {"comm_id": model_id, "data": {
                "method": "update", "state": {"value": value}, "buffer_paths": []}})
            msg["header"]["subshell_id"] = subshell
            client.shell_channel.send(msg)

        def wait_for(condition: str) -> None:
            deadline = time.monotonic() + 60  # the kernel works asynchronously; under load, slowly
            while run(f"print({condition})") != "True" and time.monotonic() < deadline:
                time.sleep(0.2)

        for k in range(9):
            send(0.01 + 0.002 * k)
        # Messages sent at once may be split between the subshell and the main shell, whose
        # order between them is not defined; the last one goes after all were applied.
        wait_for("len(called_on) >= 9")
        send(0.028)
        wait_for("round(d.lr.value, 4) == 0.028 and d.history == train(lr=d.lr.value)")
        updates, elsewhere, on_main, lr, same = run(SUBSHELL_VERDICT).split()
        assert elsewhere == "True", "no message arrived on a subshell's thread"
        assert on_main == "True", "a frame was drawn on another thread than the main one"
        # At most one update per change (fewer when they coalesce), the last one drawn.
        assert 1 <= int(updates) <= 10 and lr == "0.028" and same == "True", (updates, lr, same)
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
