"""Cost of one played frame of the dashboard and the explorer (issue 20), against a naive full
redraw of the same figure measured in turn in the same run.

A played frame is ``step(1)``: one epoch of the kept model and optimizer, the moving artists
(curves, data panel, marks; the explorer's path) drawn on the cached background, and the
whole frame encoded to PNG into the widget's picture. The naive baseline draws the same
figure from nothing each frame, as a typical tutorial would: a new figure with every panel
(the three curves and the data panel; the explorer's contours, path, loss and data panel),
its layout, and ``savefig`` to PNG at the same size. Printed: medians (ms), frames per second
and the ratio frame / naive, at 1× pixels (the CSS size) and 2× (what the widgets render).
Run: ``.venv/bin/python benchmarks/play_frame.py [--repeats N]``.
"""

from __future__ import annotations

import argparse
import io
import statistics
import time

import numpy as np
from matplotlib.figure import Figure

from linreg_helpers.analysis import SUM_LEVELS, loss_grid, trajectory
from linreg_helpers.data import lesson_data
from linreg_helpers.widgets import LandscapeExplorer, TrainingDashboard
from linreg_helpers.widgets import dashboard as dashboard_module
from linreg_helpers.widgets import explorer as explorer_module

#: The issue's target: a played frame costs at most this share of a naive full redraw.
TARGET_RATIO = 0.4


def naive_dashboard(history, dpi: int) -> None:
    x, y = (t[:, 0].numpy() for t in lesson_data())
    figure = Figure(figsize=dashboard_module.FIGSIZE, dpi=dpi)
    grid = figure.add_gridspec(3, 2, width_ratios=[2.2, 1.0])
    for row, (values, label) in enumerate(((history.loss, "loss"), (history.weight, "weight w"),
                                           (history.bias, "bias b"))):
        ax = figure.add_subplot(grid[row, 0])
        ax.plot(values)
        ax.set_ylabel(label)
    _naive_data_panel(figure.add_subplot(grid[:, 1]), x, y, history)
    figure.tight_layout()
    figure.savefig(io.BytesIO(), format="png", dpi=dpi)


def naive_explorer(history, start, dpi: int) -> None:
    x, y = (t[:, 0].numpy() for t in lesson_data())
    figure = Figure(figsize=explorer_module.FIGSIZE, dpi=dpi)
    surface, loss, data = figure.subplots(1, 3, gridspec_kw={"width_ratios": [1.2, 1.0, 0.9]})
    ws, bs = np.linspace(-1, 5, 121), np.linspace(-3, 3, 121)
    contours = surface.contour(ws, bs, loss_grid(ws, bs), levels=SUM_LEVELS)
    surface.clabel(contours, fontsize=7)
    surface.plot(*trajectory(history, *start), "o-", ms=2.5)
    loss.semilogy(history.loss)
    _naive_data_panel(data, x, y, history)
    figure.tight_layout()
    figure.savefig(io.BytesIO(), format="png", dpi=dpi)


def _naive_data_panel(ax, x, y, history) -> None:
    w, b = history.weight[-1], history.bias[-1]
    ax.plot(x, y, "o")
    line_x = np.array([-0.3, 4.3])
    ax.plot(line_x, w * line_x + b)
    ax.vlines(x, y, w * x + b, color="C3")
    ax.plot([4.0], [4 * w + b], "D")
    ax.text(0.03, 0.96, f"ŷ(4) = {4 * w + b:.4g}", transform=ax.transAxes, va="top")


def paired(frame, baseline, repeats: int) -> tuple[float, float]:
    """Medians (ms) of ``frame`` and ``baseline``, run in turn (so load weighs on both)."""
    mine, theirs = [], []
    for _ in range(3):
        frame()
        baseline()
    for _ in range(repeats):
        for times, run in ((mine, frame), (theirs, baseline)):
            start = time.perf_counter()
            run()
            times.append((time.perf_counter() - start) * 1e3)
    return statistics.median(mine), statistics.median(theirs)


def played(widget, scale: int):
    """A frame of ``widget`` at ``scale`` × CSS pixels: step(1) of a long played run."""
    widget.figure.set_dpi(100 * scale)
    widget.epochs.value = 1000
    widget.restart()
    widget.step(1)

    def frame() -> None:
        if widget.run.finished:
            widget.restart()
        widget.step(1)
    return frame


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=40)
    args = parser.parse_args()
    dash, explorer = TrainingDashboard(), LandscapeExplorer()
    rows = []
    for scale in (1, 2):
        for name, widget, baseline in (
                ("dashboard", dash, lambda s=scale: naive_dashboard(dash.history, 100 * s)),
                ("explorer", explorer, lambda s=scale: naive_explorer(
                    explorer.history, explorer.run.start, 100 * s))):
            frame_ms, naive_ms = paired(played(widget, scale), baseline, args.repeats)
            pixels = widget.figure.canvas.get_width_height()
            rows.append((name, scale, pixels, frame_ms, naive_ms))
    print(f"one played frame (step(1), encoded) vs a naive full redraw, medians of "
          f"{args.repeats} in turn")
    for name, scale, (width, height), frame_ms, naive_ms in rows:
        ratio = frame_ms / naive_ms
        print(f"{name:9s} {scale}× ({width}×{height} px): frame {frame_ms:7.2f} ms "
              f"({1e3 / frame_ms:5.1f} frames/s), naive {naive_ms:7.2f} ms "
              f"({1e3 / naive_ms:5.1f} frames/s), ratio {ratio:.2f} "
              f"(target ≤ {TARGET_RATIO}: {ratio <= TARGET_RATIO})")
    dash.close()
    explorer.close()


if __name__ == "__main__":
    main()
