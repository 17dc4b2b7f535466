"""Latency of one dashboard update, measured inside a real kernel (``%matplotlib inline``).

Prints medians (ms) of:
  (a) naive baseline: what a typical tutorial does inside ``interact`` — train with its own
      loop, create a new three-subplot figure, tight layout, render to PNG (640 × 560 px);
  (b) one ``TrainingDashboard`` update: re-train, redraw with Agg in the kernel and encode the
      whole PNG frame into its ``ipywidgets.Image`` — at 1× pixels (640 × 560, what the
      targets are stated at) and at 2× (1280 × 1120, what the widget renders for HiDPI
      screens), at 51 and 1000 epochs, along a drag of the lr slider (the axes' round limits
      mostly stay, so their rendering is reused by blitting) and in the worst case, where
      the limits change and every artist is drawn anew; toggling reduction sum <-> mean;
  (a') the same picture as the dashboard's drawn the naive way (the three curves and the data
      panel with its line, residuals and readout, a new figure each time), as a second yardstick:
      the ratios against it are printed beside those against (a), the one the targets name;
  (c) bare training alone (``train()``) at 51 and 1000 epochs;
  (d) the explorer's update (a new start each time: path, loss and data panel drawn on the
      cached contours, which are redrawn when the loss axis' limits change) at 1× and 2×;
  (e) PNG encoding alone of the dashboard's frame, for the encoders available on public API
      (this package's: Pillow drops the alpha channel, rows unfiltered, zlib level 1; Pillow
      at compress_level 1 and its default 6; matplotlib's ``print_png``), with the frame's
      size in kB;
and the ratios the targets are stated in, against runs of (a) made in turn with each
measurement (wall clock, and the kernel's CPU time, steadier on a shared machine).
Run: ``.venv/bin/python benchmarks/dashboard_latency.py [--repeats N]``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from jupyter_client.manager import start_new_kernel

ROOT = Path(__file__).resolve().parents[1]

KERNEL_CODE = r"""
import io, json, statistics, time
import numpy as np
import matplotlib.pyplot as plt
import torch
from PIL import Image
get_ipython().run_line_magic("matplotlib", "inline")
from linreg_helpers.widgets.dashboard import TrainingDashboard
from linreg_helpers.widgets.explorer import LandscapeExplorer
from linreg_helpers.widgets.frame import encode_png
from linreg_helpers.training import train

REPEATS = {repeats}

def median_ms(fn, repeats=REPEATS, warmup=3):
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1e3)
    return statistics.median(times)

NAIVE = []  # every run of the baseline, for its overall median

def paired(fn, repeats=REPEATS, warmup=3):
    # fn and the naive baseline in turn, so that a machine's changing load weighs on both:
    # (median of fn, median of the baseline runs made beside it)
    for _ in range(warmup):
        fn()
    # Also the CPU time of the kernel (all its threads): steadier than the wall clock on a
    # machine whose cores other programs share. Returns (wall, baseline wall, cpu, baseline cpu).
    mine, theirs, mine_cpu, theirs_cpu = [], [], [], []
    for _ in range(repeats):
        for times, cpu, run in ((mine, mine_cpu, fn), (theirs, theirs_cpu, naive)):
            start, start_cpu = time.perf_counter(), time.process_time()
            run()
            times.append((time.perf_counter() - start) * 1e3)
            cpu.append((time.process_time() - start_cpu) * 1e3)
    NAIVE.extend(theirs)
    return [statistics.median(v) for v in (mine, theirs, mine_cpu, theirs_cpu)]

def naive_training(epochs):
    # the lesson's loop, written out as a tutorial does
    torch.manual_seed(0)
    linear = torch.nn.Linear(1, 1)
    x = torch.tensor([[1.0], [2.0], [3.0]]); y = torch.tensor([[2.0], [4.0], [6.0]])
    criterion = torch.nn.MSELoss(reduction="sum")
    optimizer = torch.optim.SGD(linear.parameters(), lr=0.05)
    losses, ws, bs = [], [], []
    for _ in range(epochs):
        loss = criterion(linear(x), y)
        optimizer.zero_grad(); loss.backward(); optimizer.step()
        losses.append(loss.item()); ws.append(linear.weight.item()); bs.append(linear.bias.item())
    return losses, ws, bs

def naive(epochs=51):
    losses, ws, bs = naive_training(epochs)
    with plt.ioff():
        fig, axes = plt.subplots(3, 1, sharex=True, figsize=(6.4, 5.6), dpi=100)
    for ax, values, label in zip(axes, (losses, ws, bs), ("loss", "weight w", "bias b")):
        ax.plot(values); ax.set_ylabel(label)
    axes[-1].set_xlabel("epoch")
    fig.tight_layout()
    buf = io.BytesIO(); fig.savefig(buf, format="png", dpi=100); plt.close(fig)

def naive_same_picture(epochs=51):
    # What the dashboard draws, the naive way: the three curves and the model over the data
    # (points, line, residuals, ŷ(4) and its readout), a new figure each time, at its size.
    losses, ws, bs = naive_training(epochs)
    with plt.ioff():
        fig = plt.figure(figsize=(10.0, 5.6), dpi=100)
    grid = fig.add_gridspec(3, 2, width_ratios=(2.2, 1))
    curves = [fig.add_subplot(grid[row, 0]) for row in range(3)]
    for ax, values, label in zip(curves, (losses, ws, bs), ("loss", "weight w", "bias b")):
        ax.plot(values); ax.set_ylabel(label)
    curves[-1].set_xlabel("epoch")
    data = fig.add_subplot(grid[:, 1])
    w, b = ws[-1], bs[-1]
    xs = np.array([1.0, 2.0, 3.0]); line_x = np.array([-0.3, 4.3])
    data.plot(xs, [2.0, 4.0, 6.0], "o", color="k")
    data.plot(line_x, w * line_x + b)
    data.vlines(xs, [2.0, 4.0, 6.0], w * xs + b, color="C3")
    data.plot([4.0], [4 * w + b], "D", color="C1")
    data.text(0.03, 0.96, f"ŷ = w·x + b: w = {{w:.4g}}, b = {{b:.4g}}\nŷ(4) = {{4 * w + b:.4g}}",
              transform=data.transAxes, va="top", fontsize="small")
    data.set_xlabel("x"); data.set_ylabel("y"); data.set_title("the model in data space")
    fig.tight_layout()
    buf = io.BytesIO(); fig.savefig(buf, format="png", dpi=100); plt.close(fig)

def at_scale(live, scale):
    # the same figure rendered with scale × its CSS pixels (the widget itself renders at 2×)
    live.figure.set_dpi(100 * scale)
    if hasattr(live, "view"):
        live.view.forget_rendered_axes()
    live.update()
    return live

def dashboard_update(dash, epochs, lrs, full):
    position = [0]
    def step():
        if full:
            dash.view.forget_rendered_axes()  # no reuse of the rendered axes
        # As messages from the browser do: set the values (each requests one coalesced
        # update on the kernel's loop), then run that update at once (it covers the request).
        dash.epochs.set_state({{"value": epochs}})
        dash.lr.set_state({{"value": lrs[position[0] % len(lrs)]}})
        dash.update()
        position[0] += 1
    return step

def toggle_reduction(dash):
    def step():
        # sum <-> mean and back, as a learner compares them: the axes' limits change every time
        dash.epochs.set_state({{"value": 51}})
        dash.lr.set_state({{"value": 0.05}})
        dash.reduction.set_state({{"value": "mean" if dash.reduction.value == "sum" else "sum"}})
        dash.update()
    return step

def explorer_update(explorer):
    starts = [(-0.5, 1.0), (3.0, -2.0)]
    position = [0]
    def step():
        w0, b0 = starts[position[0] % 2]
        explorer.w0.set_state({{"value": w0}}); explorer.b0.set_state({{"value": b0}})
        explorer.update()
        position[0] += 1
    return step

def encoders(dash):
    dash.view.render()
    rgba = np.array(dash.figure.canvas.buffer_rgba())
    out = {{}}
    def pil(level):
        def encode():
            with io.BytesIO() as png:
                Image.frombuffer("RGBA", rgba.shape[1::-1], rgba.tobytes()).convert("RGB").save(
                    png, format="png", compress_level=level)
                return png.getvalue()
        return encode
    def mpl_print_png():
        with io.BytesIO() as png:
            dash.figure.canvas.print_png(png)
            return png.getvalue()
    for name, fn in (("Pillow RGB + zlib1 (this package)", lambda: encode_png(rgba)),
                     ("Pillow compress_level=1", pil(1)), ("Pillow default (6)", pil(6)),
                     ("matplotlib print_png (re-renders)", mpl_print_png)):
        out[name] = (median_ms(fn, repeats=max(REPEATS // 2, 10)), len(fn()) / 1e3)
    return out

# A drag of the lr slider: consecutive positions of its log scale, there and back.
drag = [10 ** (-1.5 + 0.02 * k) for k in range(12)]
drag += drag[::-1]
long = max(REPEATS // 2, 12)
dash, explorer = TrainingDashboard(), LandscapeExplorer()
naive()
result = {{"naive_same": paired(naive_same_picture),
          "train_51": paired(lambda: train(epochs=51)),
           "train_1000": paired(lambda: train(epochs=1000), repeats=long)}}
for scale in (1, 2):
    at_scale(dash, scale); at_scale(explorer, scale)
    result[scale] = {{
        "dash_51": paired(dashboard_update(dash, 51, drag, False), repeats=max(REPEATS, 48)),
        "dash_1000": paired(dashboard_update(dash, 1000, drag, False), repeats=long),
        "cold_51": paired(dashboard_update(dash, 51, [0.04, 0.05], True)),
        "cold_1000": paired(dashboard_update(dash, 1000, [0.04, 0.05], True), repeats=long),
        "toggle_51": paired(toggle_reduction(dash)),
        "explorer": paired(explorer_update(explorer), repeats=long),
        "encoders": encoders(dash),
        "pixels": list(np.asarray(dash.figure.canvas.buffer_rgba()).shape[1::-1]),
    }}
result["naive_51"] = statistics.median(NAIVE)
print("RESULT " + json.dumps(result))
"""


def run_in_kernel(repeats: int) -> dict:
    manager, client = start_new_kernel(kernel_name="python3", cwd=str(ROOT))
    try:
        outputs: list[str] = []
        reply = client.execute_interactive(
            KERNEL_CODE.format(repeats=repeats), timeout=900,
            output_hook=lambda msg: outputs.append(
                msg["content"].get("text", "") if msg["msg_type"] == "stream"
                else "\n".join(msg["content"].get("traceback", []))),
        )
        text = "".join(outputs)
        if reply["content"]["status"] != "ok":
            raise RuntimeError(f"benchmark failed in the kernel:\n{text}")
        lines = [ln for ln in text.splitlines() if ln.startswith("RESULT ")]
        if not lines:
            raise RuntimeError(f"no result from the kernel:\n{text}")
        return json.loads(lines[0][len("RESULT "):])
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)


def report(r: dict) -> None:
    naive = r["naive_51"]
    one, two = r["1"], r["2"]

    def row(label: str, key: str, target: str = "") -> None:
        (ms1, base1, cpu1, cbase1), (ms2, base2, cpu2, cbase2) = one[key], two[key]
        print(f"      {label:<13}{ms1:6.1f} ms  (b)/(a) = {ms1 / base1:.3f} "
              f"(CPU {cpu1 / cbase1:.3f})  |  2×: {ms2:6.1f} ms  (b)/(a) = {ms2 / base2:.3f} "
              f"(CPU {cpu2 / cbase2:.3f})"
              f"   {target}")

    print("(a) naive baseline (own loop, new figure, tight_layout, PNG 640×560), 51 epochs: "
          f"{naive:6.1f} ms (median of all its runs; each ratio below is against the runs of")
    print("    (a) made in turn with that measurement, so that a changing load weighs on both;")
    print("    CPU: the same ratio of the kernel's CPU time, steadier where other programs share")
    print("    the cores)")
    same, same_base = r["naive_same"][0], r["naive_same"][1]
    print(f"(a') the same picture as the dashboard's, drawn the naive way (three curves and the "
          f"data panel, {one['pixels'][0]}×{one['pixels'][1]}): {same:6.1f} ms = "
          f"{same / same_base:.2f} × (a)")
    print("(b) dashboard update = re-train + redraw (Agg, in the kernel) + the whole PNG frame,")
    print(f"    at 1× pixels ({one['pixels'][0]}×{one['pixels'][1]}) | at 2× "
          f"({two['pixels'][0]}×{two['pixels'][1]}, what the widget renders):")
    print("    along a drag of the lr slider (the axes mostly stay: their rendering is blitted):")
    row("51 epochs:", "dash_51", "typical update, target at 1× ≤ 0.15")
    row("1000 epochs:", "dash_1000")
    print("    when every update changes the limits (all artists drawn, the worst case):")
    row("51 epochs:", "cold_51", "worst case, target at 1× ≤ 0.25")
    row("1000 epochs:", "cold_1000")
    print("    toggling sum <-> mean (new limits each time; rendered axes kept per set of limits):")
    row("51 epochs:", "toggle_51")
    versus_same = same / same_base
    typical, worst = (one[key][0] / one[key][1] / versus_same for key in ("dash_51", "cold_51"))
    print(f"    against (a'), at 1×: typical {typical:.3f}, worst case {worst:.3f} "
          "(each (b)/(a) above divided by (a')/(a))")
    (train51, base51, *_), (train1000, *_) = r["train_51"], r["train_1000"]
    print(f"(c) bare training: 51 epochs {train51:6.1f} ms ((c)/(a) = {train51 / base51:.3f}), "
          f"1000 epochs {train1000:6.1f} ms")
    for scale, s in (("1×", one), ("2×", two)):
        print(f"(b)-(c) at {scale}, the cost on top of training: typical 51 epochs "
              f"{s['dash_51'][0] - train51:5.1f} ms, 1000 epochs "
              f"{s['dash_1000'][0] - train1000:5.1f} ms; worst case 51 epochs "
              f"{s['cold_51'][0] - train51:5.1f} ms")
    (ex1, exb1, *_), (ex2, exb2, *_) = one["explorer"], two["explorer"]
    print(f"(d) explorer update (blitted): 1× {ex1:6.1f} ms ((d)/(a) = {ex1 / exb1:.3f}), "
          f"2× {ex2:6.1f} ms ((d)/(a) = {ex2 / exb2:.3f})")
    print("(e) PNG encoding of the dashboard's frame alone (lossless; JPEG blurs thin lines):")
    for name in one["encoders"]:
        (ms1, kb1), (ms2, kb2) = one["encoders"][name], two["encoders"][name]
        print(f"      {name:<36} 1× {ms1:6.2f} ms {kb1:6.1f} kB  |  2× {ms2:6.2f} ms {kb2:6.1f} kB")
    sys.stdout.flush()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=30)
    args = parser.parse_args()
    report(run_in_kernel(args.repeats))


if __name__ == "__main__":
    main()
