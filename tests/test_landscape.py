"""linreg_helpers.widgets.explorer: the loss surface against MSELoss, and the live explorer."""

import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch

import linreg_helpers.widgets.explorer as landscape
from linreg_helpers.analysis import closed_form, loss_grid, trajectory
from linreg_helpers.data import noisy_data
from linreg_helpers.model import initial_params
from linreg_helpers.training import train
from linreg_helpers.widgets import LandscapeExplorer


@pytest.mark.parametrize("reduction", ["sum", "mean"])
def test_loss_grid_matches_mseloss_point_by_point(reduction):
    x, y = noisy_data(7, w=0.5, b=-1.0, noise=0.4, seed=2)
    ws, bs = np.linspace(-2, 3, 5), np.linspace(-1, 1, 4)
    grid = loss_grid(ws, bs, x, y, reduction)
    assert grid.shape == (4, 5)
    criterion = torch.nn.MSELoss(reduction=reduction)
    for i, b in enumerate(bs):
        for j, w in enumerate(ws):
            expected = criterion(w * x.double() + b, y.double()).item()
            assert grid[i, j] == pytest.approx(expected, rel=1e-12)


def test_loss_grid_of_the_lesson_has_its_minimum_at_least_squares():
    ws, bs = np.linspace(1, 3, 201), np.linspace(-1, 1, 201)
    grid = loss_grid(ws, bs)
    i, j = np.unravel_index(np.argmin(grid), grid.shape)
    assert (ws[j], bs[i]) == pytest.approx(closed_form(), abs=1e-9)
    np.testing.assert_allclose(loss_grid(ws, bs, reduction="mean"), grid / 3)


@pytest.mark.parametrize(
    ("args", "kwargs", "fragment"),
    [(([[1.0]], [0.0]), {}, "1-D"), (([1.0], [0.0]), {"reduction": "none"}, "unknown reduction"),
     (([1.0], [0.0], [[1.0]]), {}, "give both x and y")],
)
def test_loss_grid_is_validated(args, kwargs, fragment):
    with pytest.raises(ValueError, match=fragment):
        loss_grid(*args, **kwargs)


def test_starting_at_the_seeded_start_is_train():
    history = train(start=initial_params(0), lr=0.05, epochs=51)
    reference = train()
    assert history.loss == reference.loss and history.weight == reference.weight


def test_any_start_follows_the_sgd_recurrence():
    w, b = 4.0, -2.5
    history = train(start=(w, b), lr=0.03, epochs=20, reduction="sum")
    x, y = np.array([1.0, 2.0, 3.0]), np.array([2.0, 4.0, 6.0])
    for epoch in range(20):
        err = w * x + b - y
        assert history.loss[epoch] == pytest.approx(float(np.sum(err**2)), rel=1e-5)
        w, b = w - 0.03 * float(np.sum(2 * err * x)), b - 0.03 * float(np.sum(2 * err))
        assert history.weight[epoch] == pytest.approx(w, rel=1e-5, abs=1e-6)
        assert history.bias[epoch] == pytest.approx(b, rel=1e-5, abs=1e-6)
    ws, bs = trajectory(history, 4.0, -2.5)
    assert ws.shape == bs.shape == (21,) and (ws[0], bs[0]) == (4.0, -2.5)


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [({"w0": float("nan"), "b0": 0.0}, "w0 must be"), ({"w0": 0.0, "b0": "1"}, "b0 must be"),
     ({"w0": 0.0, "b0": 0.0, "lr": -1.0}, "must be > 0"),
     ({"w0": 0.0, "b0": 0.0, "optimizer": "sgd"}, "did you mean 'SGD'")],
)
def test_start_and_settings_are_validated(kwargs, fragment):
    start = (kwargs.pop("w0"), kwargs.pop("b0"))
    with pytest.raises(ValueError, match=fragment):
        train(start=start, **kwargs)


def snapshot(explorer):
    return (explorer.path_line.get_xydata().copy(), explorer.loss_line.get_xydata().copy(),
            explorer.start_point.get_xydata().copy(), explorer.status.value)


def test_explorer_starts_with_the_lessons_run():
    explorer = LandscapeExplorer()
    reference = train()
    assert explorer.history.loss == reference.loss
    np.testing.assert_array_equal(explorer.path_line.get_xdata()[1:], reference.weight)
    np.testing.assert_array_equal(explorer.loss_line.get_ydata(), reference.loss)
    assert "w = 1.9196, b = 0.1828" in explorer.status.value
    assert explorer.error is None


@pytest.mark.parametrize(
    ("control", "value"),
    [("lr", 0.02), ("epochs", 10), ("reduction", "mean"), ("optimizer", "Adam"),
     ("w0", 3.0), ("b0", -2.0)],
)
def test_every_control_changes_the_run_and_the_lines(control, value):
    explorer = LandscapeExplorer()
    before = snapshot(explorer)
    lines = (explorer.path_line, explorer.loss_line, explorer.start_point)
    getattr(explorer, control).value = value  # like moving the widget: updates synchronously
    after = snapshot(explorer)
    assert (explorer.path_line, explorer.loss_line, explorer.start_point) == lines
    assert after[3] != before[3]
    assert any(a.shape != b.shape or not np.array_equal(a, b)
               for a, b in zip(after[:2], before[:2]))
    settings = {"lr": 0.05, "epochs": 51, "reduction": "sum", "optimizer": "SGD"}
    w0, b0 = initial_params(0)
    if control in settings:
        settings[control] = value
    else:
        w0, b0 = (value, b0) if control == "w0" else (w0, value)
    assert explorer.history.loss == train(start=(w0, b0), **settings).loss


def visible_levels(explorer):
    (shown,) = [c for c in explorer._contours.values() if c.get_visible()]
    assert all(label.get_visible() for label in shown.labelTexts)
    return np.array(shown.levels)


def test_reduction_switches_the_contours_to_scaled_levels():
    explorer = LandscapeExplorer()
    levels_sum = visible_levels(explorer)
    n_children = len(explorer.ax_surface.get_children())
    explorer.reduction.value = "mean"
    np.testing.assert_allclose(visible_levels(explorer), levels_sum / 3)
    assert "reduction='mean'" in explorer.ax_surface.get_title()
    explorer.reduction.value = "sum"
    np.testing.assert_allclose(visible_levels(explorer), levels_sum)
    assert len(explorer.ax_surface.get_children()) == n_children
    assert "reduction='sum'" in explorer.ax_surface.get_title()


def test_divergence_is_reported_and_axes_stay_finite():
    explorer = LandscapeExplorer()
    explorer.lr.value = 0.5
    assert explorer.history.diverged and "diverged — the loss exploded" in explorer.status.value
    explorer.lr.value = 0.0605  # just above the bound: grows slowly, no explosion
    assert explorer.history.diverged
    assert "diverging — the loss grew from epoch 1" in explorer.status.value
    assert all(np.isfinite(explorer.ax_loss.get_ylim()))


def test_errors_in_the_callback_appear_in_the_status(monkeypatch):
    explorer = LandscapeExplorer()
    lines_before = snapshot(explorer)[:2]

    def broken(*args, **kwargs):
        raise RuntimeError("the trainer broke <here>")

    monkeypatch.setattr(landscape, "train", broken)
    explorer.lr.value = 0.01  # must not raise
    assert "RuntimeError: the trainer broke &lt;here&gt;" in explorer.status.value
    assert isinstance(explorer.error, RuntimeError)  # one error attribute, as the dashboard's
    assert "Error while updating" in explorer.status.value
    for a, b in zip(snapshot(explorer)[:2], lines_before):  # the last good run stays drawn
        np.testing.assert_array_equal(a, b)
    monkeypatch.undo()
    explorer.lr.value = 0.02
    assert explorer.error is None and "lr = 0.0200" in explorer.status.value


def test_many_updates_leak_no_figures_or_artists():
    explorer = LandscapeExplorer()
    figures = len(plt.get_fignums())
    children = [len(ax.get_children()) for ax in explorer.figure.axes]
    for k in range(8):  # each update renders the whole figure with Agg: keep it short
        explorer.lr.value = 0.01 + 0.002 * k
        explorer.reduction.value = ("sum", "mean")[k % 2]
        explorer.w0.value = -1.0 + 0.3 * k
    explorer.reduction.value = "sum"
    assert len(plt.get_fignums()) == figures
    assert [len(ax.get_children()) for ax in explorer.figure.axes] == children


def test_widget_holds_the_controls_and_status():
    explorer = LandscapeExplorer(lr=0.01, epochs=20, optimizer="Rprop", start=(1.0, 1.0))
    assert explorer.lr.value == 0.01 and explorer.optimizer.value == "Rprop"
    assert (explorer.w0.value, explorer.b0.value) == (1.0, 1.0)
    assert explorer.status in explorer.widget.children
    assert len(explorer.controls) == 6
    with pytest.raises(ValueError, match="unknown reduction"):
        LandscapeExplorer(reduction="none")


def test_the_explorer_makes_no_pyplot_figure_and_closes_its_widgets():
    figures = len(plt.get_fignums())
    explorer = LandscapeExplorer()
    assert len(plt.get_fignums()) == figures  # %matplotlib inline never shows it twice
    bundle = explorer._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle and "image/png" in bundle
    explorer.close()
    assert explorer.widget.comm is None and explorer.image.comm is None
