"""Peak memory of the kernel while executing each notebook, against Binder's budget.

mybinder.org gives a session 1-2 GB of RAM, shared by the Jupyter server, the kernel and
everything else, so the target here is: executing any notebook top to bottom keeps the
kernel's peak resident memory at or below 600 MB.

Each notebook runs in a fresh kernel (nbclient, the same machinery as ``make notebooks``),
with one extra cell appended that reads the kernel process's own high-water mark of resident
memory (``VmHWM`` in /proc/self/status; ``ru_maxrss`` where /proc is missing). The stored
notebooks are not modified. Prints one line per notebook, the maximum and the verdict; exits
with status 1 when a notebook is over the target.

Run from the repository root:
    .venv/bin/python benchmarks/notebook_memory.py [--target-mb 600] [NOTEBOOK ...]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
TARGET_MB = 600.0
MARKER = "LINREG_PEAK_RSS="

# Appended to each notebook; runs in the kernel after every other cell.
PROBE = f"""
import json as _json, resource as _resource
_peak = None
try:
    with open("/proc/self/status") as _status:
        for _line in _status:
            if _line.startswith("VmHWM:"):
                _peak = int(_line.split()[1]) * 1024  # kB -> bytes
except OSError:
    pass
if _peak is None:  # ru_maxrss: kB on Linux, bytes on macOS
    import sys as _sys
    _peak = _resource.getrusage(_resource.RUSAGE_SELF).ru_maxrss
    _peak *= 1 if _sys.platform == "darwin" else 1024
print("{MARKER}" + _json.dumps({{"peak": _peak}}))
"""


def measure(path: Path, timeout: int) -> tuple[float, float]:
    """Execute ``path`` in a fresh kernel; return (peak RSS in MB, wall seconds)."""
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(PROBE))
    env_backend = os.environ.pop("MPLBACKEND", None)  # as in JupyterLab: the notebook decides
    try:
        client = NotebookClient(nb, timeout=timeout, kernel_name="python3",
                                resources={"metadata": {"path": str(path.parent)}})
        start = time.perf_counter()
        client.execute()
        seconds = time.perf_counter() - start
    finally:
        if env_backend is not None:
            os.environ["MPLBACKEND"] = env_backend
    for output in nb.cells[-1].outputs:
        for line in output.get("text", "").splitlines():
            if line.startswith(MARKER):
                return json.loads(line[len(MARKER):])["peak"] / 1e6, seconds
    raise RuntimeError(f"{path.name}: the memory probe printed nothing")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path,
                        help="notebooks to measure (default: every notebooks/*.ipynb)")
    parser.add_argument("--target-mb", type=float, default=TARGET_MB)
    parser.add_argument("--timeout", type=int, default=600, help="seconds per cell")
    args = parser.parse_args()
    paths = args.notebooks or sorted((ROOT / "notebooks").glob("*.ipynb"))

    print(f"Peak resident memory of the kernel, one fresh kernel per notebook "
          f"(MB = 10^6 bytes; target <= {args.target_mb:.0f} MB)")
    results = {}
    for path in paths:
        peak, seconds = measure(path, args.timeout)
        results[path.name] = peak
        flag = "" if peak <= args.target_mb else "   <-- over the target"
        print(f"  {path.name:32s} {peak:7.1f} MB   ({seconds:5.1f} s){flag}", flush=True)
    worst = max(results, key=results.get)
    ok = results[worst] <= args.target_mb
    print(f"  {'max':32s} {results[worst]:7.1f} MB   ({worst}) -> "
          f"{'within' if ok else 'OVER'} the {args.target_mb:.0f} MB target")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
