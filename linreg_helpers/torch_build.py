"""Which build of the pinned torch `make setup` installs, and installing it.

On Linux, PyPI's torch is the CUDA build: torch plus several GB of nvidia-* libraries. A machine
without an NVIDIA GPU cannot use them, so there `make setup` takes the CPU-only build of the same
version from PyTorch's CPU index. Everywhere else it takes the default build (macOS and Windows
wheels on PyPI are already CPU/MPS builds; Linux with an NVIDIA driver gets CUDA).
`make setup TORCH=cpu|default` overrides the choice, `TORCH=auto` restores it.

Where PyTorch's CPU index cannot be reached (mainland China, networks that allow only a PyPI
mirror), `make setup TORCH_INDEX=URL` takes the CPU wheels from a mirror: a package index
(``URL/torch/``) or a page of wheel links such as https://mirrors.aliyun.com/pytorch-wheels/cpu.
With neither, the CPU build is asked of the indexes pip reaches (``PIP_INDEX_URL``), and pip is
first asked what it would take (``pip install --dry-run --report``): a CPU build is installed;
the CUDA build (nvidia-* packages, several GB) is not. Then it stops and says which command to
run instead, unless ``TORCH=default`` asks for the default build.

The version comes from requirements.txt (``torch==X``), the single source of the pins. This
script runs with the virtual environment's Python before anything else is installed into it,
so it uses the standard library only, and runs as a file: ``python -m linreg_helpers...`` would
first import the package, and with it torch.

Usage: python linreg_helpers/torch_build.py [--torch auto|cpu|default] [--index URL] [--dry-run]
"""

from __future__ import annotations

import argparse
import json
import os
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
#: A mirror of the CPU wheels reachable from mainland China (a page of wheel links).
MIRROR = "https://mirrors.aliyun.com/pytorch-wheels/cpu"
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


def cpu_source(url: str, probe: Callable[[str], str | None] | None = None
               ) -> tuple[list[str], str | None]:
    """pip's options that take the CPU wheels from ``url``, and None; or [] and why not.

    A package index (``url/torch/`` answers) is an extra index; a page of wheel links (a
    mirror such as Aliyun's) is read with ``--find-links``.
    """
    probe = probe or unreachable
    problem = probe(f"{url.rstrip('/')}/torch/")
    if problem is None:
        return ["--extra-index-url", url], None
    if url != CPU_INDEX and probe(url) is None:
        return ["--find-links", url], None
    return [], problem


def plan(choice: Choice, version: str, installed: str | None, problem: str | None,
         source: list[str] | None = None) -> Plan:
    """What to install for ``choice``, given the torch already installed (its version, or
    None) and what keeps the CPU wheels (pip's options ``source``: PyTorch's CPU index unless
    given) from serving it (None when nothing does), said as "the CPU wheels at URL <problem>"."""
    source = source or ["--extra-index-url", CPU_INDEX]
    if choice.build == "cpu" and problem is None:
        where = "PyTorch's CPU index" if source[1] == CPU_INDEX else "the CPU wheels at"
        return Plan(f"torch=={version}+cpu", source, notes=[f"from {where} {source[1]}"])
    if choice.build == "cpu":
        where = f"PyTorch's CPU index {CPU_INDEX}" if source[1] == CPU_INDEX else (
            f"the CPU wheels at {source[1]}")
        return Plan(f"torch=={version}", notes=[
            f"{where} {problem}: asking the indexes pip can reach for "
            f"torch=={version} instead — installed if it is a CPU build (a mirror, a local "
            "wheel); the CUDA build is not downloaded"])
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


def resolution(requirement: str, pip: Callable | None = None) -> list[dict]:
    """What pip would install for ``requirement`` (``pip install --dry-run --report``: nothing
    is installed or, beyond metadata, downloaded): {"name", "version", "url"} per package."""
    done = (pip or _pip)("install", "--dry-run", "--quiet", "--report", "-",
                         "--disable-pip-version-check", requirement)
    if done.returncode != 0:
        lines = (done.stderr or done.stdout).strip().splitlines()
        sys.exit(f"pip could not resolve {requirement}: {lines[-1] if lines else done.returncode}")
    report = json.loads(done.stdout)
    return [{"name": item["metadata"]["name"], "version": item["metadata"]["version"],
             "url": item.get("download_info", {}).get("url", "")}
            for item in report.get("install", [])]


def cuda_resolution(resolved: list[dict]) -> list[str]:
    """The packages of a resolution that make it the CUDA build: nvidia-*, triton, torch+cu…"""
    return sorted(p["name"] for p in resolved
                  if cuda_leftovers([p["name"]]) or "+cu" in p["version"] or
                  "+rocm" in p["version"])


def stop_message(version: str, cuda: list[str]) -> str:
    """Why `make setup` stopped instead of downloading the CUDA build, and what to run."""
    return (f"torch: the indexes pip can reach offer torch=={version} only as the CUDA build "
            f"(with {', '.join(cuda[:4])}{' …' if len(cuda) > 4 else ''}: several GB this "
            "machine, without an NVIDIA GPU, cannot use). Nothing was downloaded. Take the "
            "CPU build from a mirror of PyTorch's CPU wheels:\n"
            f"    make setup TORCH_INDEX={MIRROR}\n"
            "or install the default (CUDA) build anyway:\n"
            "    make setup TORCH=default")


def _would_take(requirement: str, version: str) -> None:
    """Say what pip would install for ``requirement``; stop when that is the CUDA build."""
    resolved = resolution(requirement)
    torch = next((p for p in resolved if p["name"].lower() == "torch"), None)
    if torch is None:
        print(f"torch: pip would keep the installed {requirement} (nothing to download)")
        return
    cuda = cuda_resolution(resolved)
    print(f"torch: pip would take torch {torch['version']} from {torch['url'] or 'its index'}"
          f" — {'the CUDA build' if cuda else 'a CPU build'}")
    if cuda:
        sys.exit(stop_message(version, cuda))


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
    parser.add_argument("--index", default=os.environ.get("TORCH_INDEX") or CPU_INDEX,
                        help="where the CPU wheels come from: an index or a page of wheel links "
                             f"(TORCH_INDEX; default {CPU_INDEX}; e.g. {MIRROR})")
    parser.add_argument("--requirements", type=Path, default=ROOT / "requirements.txt")
    parser.add_argument("--dry-run", action="store_true", help="print the choice, install nothing")
    args = parser.parse_args(argv)
    try:
        choice = choose(args.torch, platform.system(), nvidia_gpu())
        version = pinned_torch(args.requirements)
    except ValueError as error:
        sys.exit(f"make setup: {error}")
    source, problem = cpu_source(args.index) if choice.build == "cpu" else ([], None)
    problem = problem and f"cannot be reached ({problem})"
    source = source or ["--extra-index-url", args.index]
    before = _installed()
    steps = plan(choice, version, before.get("torch"), problem, source)
    print(f"torch {version}: the {'CPU-only' if choice.build == 'cpu' else 'default'} build, "
          f"because {choice.reason}. Override with `make setup TORCH=cpu|default`.")
    _tell(steps)
    if choice.build == "cpu" and not steps.pip_options:
        _would_take(steps.requirement, version)
    if args.dry_run:
        return
    if steps.uninstall_first:
        _run(["uninstall", "--yes", "--quiet", "torch"])
    failed = _run(["install", "--quiet", *steps.pip_options, steps.requirement],
                  fail=not steps.pip_options)
    if failed:  # the CPU wheels answered the probe, but pip could not install from them
        steps = plan(choice, version, before.get("torch"),
                     f"has no torch=={version}+cpu for this machine (pip: {failed})", source)
        _tell(steps)
        _would_take(steps.requirement, version)
        _run(["install", "--quiet", *steps.pip_options, steps.requirement])
    after = _installed()
    leftovers = cuda_leftovers(list(after)) if "+cpu" in after.get("torch", "") else []
    if leftovers:
        print(f"torch: removing {len(leftovers)} packages only the CUDA build needs")
        _run(["uninstall", "--yes", "--quiet", *leftovers])
    print(f"torch: installed {describe(after.get('torch'))}")


if __name__ == "__main__":
    main()
