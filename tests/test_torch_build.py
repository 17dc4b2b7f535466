"""linreg_helpers/torch_build.py: which torch build `make setup` installs, decided without the
network, and the Makefile's stamp that re-installs when the choice changes."""

from __future__ import annotations

import http.server
import json
import os
import platform
import re
import shutil
import socket
import subprocess
import sys
import threading
import urllib.error
from pathlib import Path

import pytest

from linreg_helpers import torch_build as tc

ROOT = Path(__file__).resolve().parents[1]


def _binder_torch() -> str:
    lines = (ROOT / "binder" / "requirements.txt").read_text().splitlines()
    return next(line.split("==")[1] for line in lines if line.startswith("torch=="))


# ---- the pin and the machine --------------------------------------------------------------
def test_pinned_torch_is_the_requirements_pin_and_binder_takes_its_cpu_build():
    version = tc.pinned_torch(ROOT / "requirements.txt")
    assert "torch==" + version in (ROOT / "requirements.txt").read_text().splitlines()
    assert _binder_torch() == version + "+cpu"
    assert f"--extra-index-url {tc.CPU_INDEX}" in (ROOT / "binder" / "requirements.txt").read_text()


def test_readme_installs_the_pinned_version_by_hand():
    version = tc.pinned_torch(ROOT / "requirements.txt")
    readme = (ROOT / "docs" / "install.md").read_text()
    assert f"pip install torch=={version}+cpu --extra-index-url {tc.CPU_INDEX}" in readme
    assert set(re.findall(r"torch==([0-9][^\s`]*)", readme)) == {f"{version}+cpu"}


def test_pinned_torch_without_a_pin_says_what_to_do(tmp_path):
    requirements = tmp_path / "requirements.txt"
    requirements.write_text("numpy==2.4.6\ntorchvision==0.29.0  # not torch\n")
    with pytest.raises(ValueError, match="no 'torch==VERSION' line: pin torch there"):
        tc.pinned_torch(requirements)
    requirements.write_text("# comment\ntorch == 9.1.2  # pinned\n")
    assert tc.pinned_torch(requirements) == "9.1.2"


def test_nvidia_gpu_from_the_driver_or_nvidia_smi(tmp_path):
    driver = tmp_path / "version"
    assert tc.nvidia_gpu(driver, which=lambda name: None) is None
    smi = tc.nvidia_gpu(driver, which=lambda name: "/usr/bin/nvidia-smi" if name == "nvidia-smi"
                        else None)
    assert smi == "nvidia-smi is installed (/usr/bin/nvidia-smi)"
    driver.write_text("NVRM version: NVIDIA UNIX x86_64 Kernel Module  550.54\n")
    assert tc.nvidia_gpu(driver, which=lambda name: None) == (
        f"the NVIDIA driver is loaded ({driver})")


def test_auto_on_this_machine_follows_what_the_machine_has():
    """`make setup`'s default, run for real: its dry run names this machine's OS and GPU."""
    system = platform.system()
    gpu = Path("/proc/driver/nvidia/version").exists() or shutil.which("nvidia-smi") is not None
    if system != "Linux":
        expected = "the default build, because on " + system
    elif gpu:
        expected = "the default build, because Linux with an NVIDIA GPU ("
    else:
        expected = "the CPU-only build, because Linux without an NVIDIA GPU ("
    shown = subprocess.run([sys.executable, str(ROOT / "linreg_helpers" / "torch_build.py"),
                            "--dry-run"], capture_output=True, text=True, timeout=60)
    assert shown.returncode == 0, shown.stderr
    version = tc.pinned_torch(ROOT / "requirements.txt")
    assert shown.stdout.startswith(f"torch {version}: {expected}"), shown.stdout


# ---- the choice ---------------------------------------------------------------------------
@pytest.mark.parametrize(("requested", "system", "gpu", "build", "why"), [
    ("auto", "Linux", None, "cpu", "Linux without an NVIDIA GPU"),
    ("auto", "Linux", "nvidia-smi is installed (/usr/bin/nvidia-smi)", "default",
     "Linux with an NVIDIA GPU (nvidia-smi is installed"),
    ("auto", "Darwin", None, "default", "on Darwin PyPI's torch is already a CPU/MPS build"),
    ("auto", "Windows", None, "default", "on Windows PyPI's torch is already a CPU build"),
    ("cpu", "Linux", "the NVIDIA driver is loaded (x)", "cpu", "asked for with TORCH=cpu"),
    ("cpu", "Darwin", None, "cpu", "asked for with TORCH=cpu"),
    ("default", "Linux", None, "default", "asked for with TORCH=default"),
])
def test_choose(requested, system, gpu, build, why):
    choice = tc.choose(requested, system, gpu)
    assert choice.build == build
    assert why in choice.reason


def test_choose_rejects_an_unknown_request():
    with pytest.raises(ValueError, match=r"TORCH must be one of auto, cpu, default; got 'cuda'"):
        tc.choose("cuda", "Linux", None)


# ---- reaching the CPU index ---------------------------------------------------------------
def test_unreachable_reports_the_reason_from_the_opener():
    def refuse(request, timeout):
        assert request.get_method() == "HEAD" and timeout == tc.PROBE_TIMEOUT_S
        raise urllib.error.URLError(OSError(-2, "Name or service not known"))

    assert "Name or service not known" in tc.unreachable("https://example.invalid/", opener=refuse)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_unreachable_against_a_local_server_and_a_closed_port():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), http.server.SimpleHTTPRequestHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        assert tc.unreachable(f"http://127.0.0.1:{server.server_port}/", timeout=5) is None
    finally:
        server.shutdown()
        server.server_close()
    problem = tc.unreachable(f"http://127.0.0.1:{_free_port()}/", timeout=5)
    assert problem and "refused" in problem.lower()


# ---- what to install ----------------------------------------------------------------------
def test_plan_cpu_build_from_the_cpu_index():
    steps = tc.plan(tc.Choice("cpu", "r"), "2.13.0", installed=None, problem=None)
    assert steps.requirement == "torch==2.13.0+cpu"
    assert steps.pip_options == ["--extra-index-url", tc.CPU_INDEX]
    assert not steps.uninstall_first


def test_plan_cpu_build_when_the_cpu_index_cannot_be_reached_falls_back_and_says_so():
    steps = tc.plan(tc.Choice("cpu", "r"), "2.13.0", installed=None,
                    problem="cannot be reached (DNS failure)")
    assert steps.requirement == "torch==2.13.0" and steps.pip_options == []
    expected = f"CPU index {tc.CPU_INDEX} cannot be reached (DNS failure): installing torch==2.13.0"
    assert expected in steps.notes[0]
    assert "from the indexes pip can reach" in steps.notes[0]


@pytest.mark.parametrize(("installed", "switch"), [
    ("2.13.0+cpu", True), ("2.13.0", False), ("2.13.0+cu128", False), (None, False)])
def test_plan_default_build_removes_an_installed_cpu_build_first(installed, switch):
    steps = tc.plan(tc.Choice("default", "r"), "2.13.0", installed=installed, problem=None)
    assert steps.requirement == "torch==2.13.0" and steps.pip_options == []
    assert steps.uninstall_first is switch
    assert bool(steps.notes) is switch


def test_describe_and_cuda_leftovers():
    assert tc.describe("2.13.0+cpu") == "torch 2.13.0+cpu, the CPU-only build"
    assert "GPU build (cu128)" in tc.describe("2.13.0+cu128")
    assert "PyPI's default build" in tc.describe("2.13.0")
    assert tc.describe(None) == "not installed"
    names = ["nvidia-cublas-cu12", "numpy", "triton", "NVIDIA-nccl-cu12", "torch"]
    assert tc.cuda_leftovers(names) == ["NVIDIA-nccl-cu12", "nvidia-cublas-cu12", "triton"]


def test_command_line_dry_run_prints_the_choice_and_rejects_a_bad_torch():
    script = [sys.executable, str(ROOT / "linreg_helpers" / "torch_build.py")]
    shown = subprocess.run(script + ["--torch", "default", "--dry-run"], capture_output=True,
                           text=True, timeout=60)
    assert shown.returncode == 0, shown.stderr
    version = tc.pinned_torch(ROOT / "requirements.txt")
    assert shown.stdout.startswith(f"torch {version}: the default build, because asked for "
                                   "with TORCH=default. Override with `make setup TORCH=")
    bad = subprocess.run(script + ["--torch", "gpu"], capture_output=True, text=True, timeout=60)
    assert bad.returncode == 1
    assert "make setup: TORCH must be one of auto, cpu, default; got 'gpu'" in bad.stderr


class FakePip:
    """Stands in for pip: records the commands, fails the ones asked, lists packages."""

    def __init__(self, before: dict, after: dict, failing: str | None = None):
        self.calls, self.before, self.after, self.failing = [], before, after, failing

    def __call__(self, *args: str) -> subprocess.CompletedProcess:
        self.calls.append(list(args))
        if args[0] == "list":
            listed = self.after if any(c[0] == "install" for c in self.calls) else self.before
            out = json.dumps([{"name": n, "version": v} for n, v in listed.items()])
            return subprocess.CompletedProcess(args, 0, out, "")
        failed = self.failing is not None and self.failing in args
        return subprocess.CompletedProcess(args, 1 if failed else 0, "",
                                           "ERROR: No matching distribution" if failed else "")


def _main_with(monkeypatch, fake: FakePip, torch: str, reachable: bool = True) -> list:
    monkeypatch.setattr(tc, "_pip", fake)
    monkeypatch.setattr(tc.platform, "system", lambda: "Linux")
    monkeypatch.setattr(tc, "nvidia_gpu", lambda: None)
    monkeypatch.setattr(tc, "unreachable", lambda url: None if reachable else "DNS failure")
    tc.main(["--torch", torch])
    return [c for c in fake.calls if c[0] != "list"]


def test_main_cpu_build_replaces_a_cuda_build_and_removes_its_libraries(monkeypatch, capsys):
    version = tc.pinned_torch(ROOT / "requirements.txt")
    fake = FakePip({"torch": version, "nvidia-cublas": "13.1", "numpy": "2"},
                   {"torch": f"{version}+cpu", "nvidia-cublas": "13.1", "triton": "3.7.1"})
    calls = _main_with(monkeypatch, fake, "auto")
    assert calls == [
        ["install", "--quiet", "--extra-index-url", tc.CPU_INDEX, f"torch=={version}+cpu"],
        ["uninstall", "--yes", "--quiet", "nvidia-cublas", "triton"]]
    out = capsys.readouterr().out
    assert out.splitlines()[-1] == f"torch: installed torch {version}+cpu, the CPU-only build"


def test_main_falls_back_when_the_cpu_index_has_no_build_for_this_machine(monkeypatch, capsys):
    version = tc.pinned_torch(ROOT / "requirements.txt")
    fake = FakePip({}, {"torch": version}, failing=f"torch=={version}+cpu")
    calls = _main_with(monkeypatch, fake, "cpu")
    assert calls == [
        ["install", "--quiet", "--extra-index-url", tc.CPU_INDEX, f"torch=={version}+cpu"],
        ["install", "--quiet", f"torch=={version}"]]
    out = capsys.readouterr().out
    assert (f"has no torch=={version}+cpu for this machine (pip: ERROR: No matching "
            "distribution): installing") in out
    assert "PyPI's default build" in out.splitlines()[-1]


def test_main_unreachable_index_and_switching_back_to_the_default_build(monkeypatch, capsys):
    version = tc.pinned_torch(ROOT / "requirements.txt")
    fake = FakePip({}, {"torch": f"{version}+cpu"})
    assert _main_with(monkeypatch, fake, "auto", reachable=False) == [
        ["install", "--quiet", f"torch=={version}"]]
    assert "cannot be reached (DNS failure)" in capsys.readouterr().out
    fake = FakePip({"torch": f"{version}+cpu"}, {"torch": version})
    assert _main_with(monkeypatch, fake, "default") == [
        ["uninstall", "--yes", "--quiet", "torch"], ["install", "--quiet", f"torch=={version}"]]
    with pytest.raises(SystemExit, match="pip install --quiet torch=="):
        _main_with(monkeypatch, FakePip({}, {}, failing=f"torch=={version}"), "default")


# ---- the Makefile's stamp -----------------------------------------------------------------
def _make_setup_commands(venv: Path, *args: str) -> str:
    """The commands `make setup` would run (make -n) with ``venv`` as the environment."""
    done = subprocess.run(["make", "-n", "setup", f"VENV={venv}", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=60,
                          env={k: v for k, v in os.environ.items() if k != "TORCH"})
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_setup_stamp_follows_the_torch_choice_and_the_choice_sticks(tmp_path):
    venv = tmp_path / "venv"
    venv.mkdir()
    assert "torch_build.py --torch auto" in _make_setup_commands(venv)  # fresh: auto
    assert "torch_build.py --torch cpu" in _make_setup_commands(venv, "TORCH=cpu")
    # what the recipe leaves behind after `make setup TORCH=cpu`:
    (venv / ".torch").write_text("cpu\n")
    (venv / ".installed-torch-cpu").touch()
    assert "torch_build.py" not in _make_setup_commands(venv)  # the choice sticks
    assert "torch_build.py" not in _make_setup_commands(venv, "TORCH=cpu")
    changed = _make_setup_commands(venv, "TORCH=default")  # another choice re-installs
    assert "torch_build.py --torch default" in changed
    assert f"rm -f {venv}/.installed {venv}/.installed-torch-*" in changed
    assert f"echo default > {venv}/.torch" in changed
