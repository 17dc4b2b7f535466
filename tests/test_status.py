"""linreg_helpers.widgets.status: the dashboard's status line, as a pure function (no widgets)."""

import math
from dataclasses import asdict, replace

import numpy as np
import pytest

from linreg_helpers.data import lesson_data
from linreg_helpers.settings import LESSON, OPTIMIZERS
from linreg_helpers.training import train
from linreg_helpers.widgets.status import SCALE_INVARIANT, dashboard_status

X, Y = lesson_data()


def status(momentum=None, **changes):
    """The status line of a run with the lesson's settings, ``changes`` made (and momentum)."""
    settings = replace(LESSON, **changes)
    options = {} if momentum is None else {"momentum": momentum}
    history = train(X, Y, **asdict(settings), **options)
    return dashboard_status(history, settings, X, Y, momentum=momentum or 0.0)


def test_the_lesson_run_reports_its_final_parameters_and_their_loss():
    history = train()
    w, b = history.weight[-1], history.bias[-1]
    xs, ys = np.array([1.0, 2.0, 3.0]), np.array([2.0, 4.0, 6.0])
    loss = float(np.sum((w * xs + b - ys) ** 2))
    (w_star, b_star), *_ = np.linalg.lstsq(np.c_[xs, np.ones(3)], ys, rcond=None)
    text = status()
    assert text.startswith(f"After 51 epochs: w = {w:.4f}, b = {b:.4f}, loss {loss:.4f}, "
                           f"ŷ(4) = {w * 4 + b:.4f} — still converging")
    assert f"least squares: w = {w_star:.4f}, b = {abs(b_star):.4f})." in text
    assert "(SGD, lr = 0.0500, sum;" in text


def test_convergence_and_momentum_are_named():
    text = status(epochs=1000, momentum=0.5)
    assert "converged to the least-squares answer" in text
    assert "(SGD, lr = 0.0500, sum, momentum 0.50;" in text


def test_divergence_names_the_stable_bound():
    text = status(lr=0.1)
    assert text.startswith("The loss grew from epoch ")
    assert "stable only for lr below 0.0601 (2/λmax of the loss Hessian)" in text
    assert "times 1 + momentum" in status(lr=0.1, momentum=0.5)
    other = status(optimizer="ASGD", lr=0.1)
    assert other.startswith("The loss ") and "ASGD has no simple stability bound" in other


def growth_start(losses: list[float]) -> int:
    """One past the last epoch whose loss was not above the first (computed here by hand)."""
    return max(i for i, loss in enumerate(losses) if loss <= losses[0]) + 1


def test_growth_and_explosion_each_have_their_own_words():
    """At lr 0.07 the loss grows from the first step (44 -> 78 -> 137 ...) and explodes later:
    the status names both epochs; a run that only grows says where growth began; a loss that
    explodes at its first step says just that."""
    settings = replace(LESSON, lr=0.07)
    history = train(X, Y, **asdict(settings))
    assert history.exploded and [round(v) for v in history.loss[:3]] == [44, 78, 137]
    text = dashboard_status(history, settings, X, Y)
    onset = growth_start(history.loss)
    assert onset == 1 < history.diverged_at
    assert text.startswith(f"The loss grew from epoch {onset} on and exploded at epoch "
                           f"{history.diverged_at}, where training stopped (SGD, lr = 0.0700")
    slow = replace(LESSON, lr=0.0605, epochs=20)
    growing = train(X, Y, **asdict(slow))
    assert growing.diverged and not growing.exploded
    assert dashboard_status(growing, slow, X, Y).startswith(
        f"The loss grew from epoch {growth_start(growing.loss)} on, above its start (")
    assert status(lr=50.0).startswith("The loss exploded at epoch 1, where training stopped")


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_the_scale_invariance_note_is_true_for_each_optimizer(name):
    """The note appears exactly for the optimizers whose run barely changes sum -> mean."""
    runs = [train(optimizer=name, reduction=r) for r in ("sum", "mean")]
    change = max(abs(runs[0].weight[-1] - runs[1].weight[-1]),
                 abs(runs[0].bias[-1] - runs[1].bias[-1]))
    noted = "barely changes the run" in status(optimizer=name)
    assert noted == (name in SCALE_INVARIANT)
    assert (change < 1e-4) == noted, f"{name}: sum vs mean moves w or b by {change:.2g}"
    assert noted == ("barely changes" in status(optimizer=name, reduction="mean"))


def test_no_negative_zero():
    text = status(epochs=1000, lr=0.01)
    assert "-0.0000" not in text
    assert math.isfinite(float(text.split("loss ")[1].split(",")[0]))
