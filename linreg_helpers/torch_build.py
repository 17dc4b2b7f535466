"""Which build of the pinned torch `make setup` installs, and installing it.

On Linux, PyPI's torch is the CUDA build: torch plus several GB of nvidia-* libraries. A machine
without an NVIDIA GPU cannot use them, so there `make setup` takes the CPU-only build of the same
version from PyTorch's CPU index. Everywhere else it takes the default build (macOS and Windows
wheels on PyPI are already CPU/MPS builds; Linux with an NVIDIA driver gets CUDA).
`make setup TORCH=cpu|default` overrides the choice, `TORCH=auto` restores it.

The version comes from requirements.txt (``torch==X``), the single source of the pins. This
script runs with the virtual environment's Python before anything else is installed into it,
so it uses the standard library only, and runs as a file: ``python -m linreg_helpers...`` would
first import the package, and with it torch.

Usage: python linreg_helpers/torch_build.py [--torch auto|cpu|default] [--dry-run]
"""

from __future__ import annotations

import argparse
import json
import platform
import re
import shutil
import subprocess
import sys
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CPU_INDEX = "https://download.pytorch.org/whl/cpu"
REQUESTS = ("auto", "cpu", "default")
PROBE_TIMEOUT_S = 5.0
NVIDIA_DRIVER = Path("/proc/driver/nvidia/version")


@dataclass(frozen=True)
class Choice:
    """The build to install ("cpu" or "default") and why, in words."""

    build: str
    reason: str


@dataclass(frozen=True)
class Plan:
    """What to ask pip for: the requirement, extra pip options, and what to tell the learner."""

    requirement: str
    pip_options: list[str] = field(default_factory=list)
    uninstall_first: bool = False
    notes: list[str] = field(default_factory=list)


def pinned_torch(requirements: Path) -> str:
    """The version X of the ``torch==X`` line of a requirements file."""
    for raw in requirements.read_text().splitlines():
        found = re.fullmatch(r"torch\s*==\s*([0-9][^\s#;+]*)(\+\S+)?", raw.split("#", 1)[0].strip())
        if found:
            return found.group(1)
    raise ValueError(f"{requirements} has no 'torch==VERSION' line: pin torch there")


def nvidia_gpu(driver: Path = NVIDIA_DRIVER,
               which: Callable[[str], str | None] = shutil.which) -> str | None:
    """Evidence of an NVIDIA GPU with its driver (the loaded kernel module or nvidia-smi)."""
    if driver.exists():
        return f"the NVIDIA driver is loaded ({driver})"
    smi = which("nvidia-smi")
    return f"nvidia-smi is installed ({smi})" if smi else None


def choose(requested: str, system: str, gpu: str | None) -> Choice:
    """The build for a request (auto, cpu, default) on an OS (platform.system()) with or
    without evidence of an NVIDIA GPU."""
    if requested not in REQUESTS:
        raise ValueError(f"TORCH must be one of {', '.join(REQUESTS)}; got {requested!r}")
    if requested != "auto":
        return Choice(requested, f"asked for with TORCH={requested}")
    if system != "Linux":
        kind = "CPU/MPS" if system == "Darwin" else "CPU"
        return Choice("default", f"on {system} PyPI's torch is already a {kind} build")
    if gpu:
        return Choice("default", f"Linux with an NVIDIA GPU ({gpu}): the default build uses CUDA")
    return Choice("cpu", "Linux without an NVIDIA GPU (no NVIDIA driver, no nvidia-smi): "
                         "the default build would add GBs of CUDA libraries it cannot use")


def unreachable(url: str, timeout: float = PROBE_TIMEOUT_S,
                opener: Callable = urllib.request.urlopen) -> str | None:
    """None when ``url`` answers within ``timeout`` seconds, else why not (one quick try, so
    that a machine without access does not wait for pip's retries)."""
    try:
        with opener(urllib.request.Request(url, method="HEAD"), timeout=timeout):
            return None
    except Exception as error:  # noqa: BLE001 - any failure means: cannot use it
        return str(getattr(error, "reason", None) or error)


def plan(choice: Choice, version: str, installed: str | None, problem: str | None) -> Plan:
    """What to install for ``choice``, given the torch already installed (its version, or
    None) and what keeps the CPU index from serving it (None when nothing does), said as
    "PyTorch's CPU index ... <problem>"."""
    if choice.build == "cpu" and problem is None:
        return Plan(f"torch=={version}+cpu", ["--extra-index-url", CPU_INDEX],
                    notes=[f"from PyTorch's CPU index {CPU_INDEX}"])
    if choice.build == "cpu":
        return Plan(f"torch=={version}", notes=[
            f"PyTorch's CPU index {CPU_INDEX} {problem}: installing "
            f"torch=={version} from the indexes pip can reach instead — their CPU build if "
            "they offer one (a mirror, a local wheel), otherwise the default build"])
    # torch==X accepts an installed X+cpu (a local label is ignored), so pip would keep it.
    switch = installed is not None and "+cpu" in installed
    notes = [f"removing the installed CPU-only torch {installed} first"] if switch else []
    return Plan(f"torch=={version}", uninstall_first=switch, notes=notes)


def describe(version: str | None) -> str:
    """Which build an installed torch version string is."""
    if version is None:
        return "not installed"
    label = version.partition("+")[2]
    if label == "cpu":
        return f"torch {version}, the CPU-only build"
    if label.startswith(("cu", "rocm")):
        return f"torch {version}, a GPU build ({label})"
    return (f"torch {version}, PyPI's default build (CUDA on Linux x86-64; CPU/MPS on "
            "macOS; CPU on Windows)")


def cuda_leftovers(names: list[str]) -> list[str]:
    """The installed packages that only a CUDA build of torch needs (nvidia-*, triton)."""
    return sorted(n for n in names if n.lower().startswith("nvidia-") or n.lower() == "triton")


def _pip(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pip", *args], capture_output=True, text=True)


def _installed() -> dict[str, str]:
    listed = _pip("list", "--format=json", "--disable-pip-version-check")
    if listed.returncode != 0:
        return {}
    return {d["name"]: d["version"] for d in json.loads(listed.stdout)}


def _run(step: list[str], fail: bool = True) -> str | None:
    """Run pip; None when it worked, else its output's last line (or exit, when ``fail``)."""
    done = _pip(*step)
    if done.returncode == 0:
        return None
    if fail:
        sys.exit(f"pip {' '.join(step)} failed:\n{done.stdout[-3000:]}{done.stderr[-3000:]}")
    lines = (done.stderr or done.stdout).strip().splitlines()
    return lines[-1] if lines else f"pip exited with {done.returncode}"


def _tell(steps: Plan) -> None:
    for note in steps.notes:
        print(f"torch: {note}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--torch", default="auto", help="auto (default), cpu or default")
    parser.add_argument("--requirements", type=Path, default=ROOT / "requirements.txt")
    parser.add_argument("--dry-run", action="store_true", help="print the choice, install nothing")
    args = parser.parse_args(argv)
    try:
        choice = choose(args.torch, platform.system(), nvidia_gpu())
        version = pinned_torch(args.requirements)
    except ValueError as error:
        sys.exit(f"make setup: {error}")
    problem = unreachable(f"{CPU_INDEX}/torch/") if choice.build == "cpu" else None
    problem = problem and f"cannot be reached ({problem})"
    before = _installed()
    steps = plan(choice, version, before.get("torch"), problem)
    print(f"torch {version}: the {'CPU-only' if choice.build == 'cpu' else 'default'} build, "
          f"because {choice.reason}. Override with `make setup TORCH=cpu|default`.")
    _tell(steps)
    if args.dry_run:
        return
    if steps.uninstall_first:
        _run(["uninstall", "--yes", "--quiet", "torch"])
    failed = _run(["install", "--quiet", *steps.pip_options, steps.requirement],
                  fail=not steps.pip_options)
    if failed:  # the CPU index answered the probe, but pip could not install from it
        steps = plan(choice, version, before.get("torch"),
                     f"has no torch=={version}+cpu for this machine (pip: {failed})")
        _tell(steps)
        _run(["install", "--quiet", *steps.pip_options, steps.requirement])
    after = _installed()
    leftovers = cuda_leftovers(list(after)) if "+cpu" in after.get("torch", "") else []
    if leftovers:
        print(f"torch: removing {len(leftovers)} packages only the CUDA build needs")
        _run(["uninstall", "--yes", "--quiet", *leftovers])
    print(f"torch: installed {describe(after.get('torch'))}")


if __name__ == "__main__":
    main()
