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
    expected = (f"CPU index {tc.CPU_INDEX} cannot be reached (DNS failure): asking the indexes "
                "pip can reach for torch==2.13.0 instead")
    assert expected in steps.notes[0]
    assert "the CUDA build is not downloaded" in steps.notes[0]


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


def _report(*packages: tuple[str, str]) -> str:
    """pip's --report for a resolution of ``packages`` (name, version), from a mirror."""
    return json.dumps({"version": "1", "install": [
        {"metadata": {"name": name, "version": version},
         "download_info": {"url": f"https://mirror.example/packages/{name}-{version}.whl"}}
        for name, version in packages]})


class FakePip:
    """Stands in for pip: records the commands, fails the ones asked, lists packages, and
    answers a --dry-run --report with ``resolved`` (what the indexes pip reaches offer)."""

    def __init__(self, before: dict, after: dict, failing: str | None = None,
                 resolved: tuple = ()):
        self.calls, self.before, self.after, self.failing = [], before, after, failing
        self.resolved = resolved

    def __call__(self, *args: str) -> subprocess.CompletedProcess:
        self.calls.append(list(args))
        if "--dry-run" in args:
            return subprocess.CompletedProcess(args, 0, _report(*self.resolved), "")
        if args[0] == "list":
            listed = self.after if any(c[0] == "install" for c in self.calls) else self.before
            out = json.dumps([{"name": n, "version": v} for n, v in listed.items()])
            return subprocess.CompletedProcess(args, 0, out, "")
        failed = self.failing is not None and self.failing in args
        return subprocess.CompletedProcess(args, 1 if failed else 0, "",
                                           "ERROR: No matching distribution" if failed else "")


def _main_with(monkeypatch, fake: FakePip, torch: str, reachable: bool = True,
               *options: str) -> list:
    monkeypatch.setattr(tc, "_pip", fake)
    monkeypatch.setattr(tc.platform, "system", lambda: "Linux")
    monkeypatch.setattr(tc, "nvidia_gpu", lambda: None)
    monkeypatch.setattr(tc, "unreachable", lambda url: None if reachable else "DNS failure")
    monkeypatch.delenv("TORCH_INDEX", raising=False)
    tc.main(["--torch", torch, *options])
    return [c for c in fake.calls if c[0] != "list"]


DRY_RUN = ["install", "--dry-run", "--quiet", "--report", "-", "--disable-pip-version-check"]


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
    fake = FakePip({}, {"torch": version}, failing=f"torch=={version}+cpu",
                   resolved=[("torch", version)])
    calls = _main_with(monkeypatch, fake, "cpu")
    assert calls == [
        ["install", "--quiet", "--extra-index-url", tc.CPU_INDEX, f"torch=={version}+cpu"],
        [*DRY_RUN, f"torch=={version}"], ["install", "--quiet", f"torch=={version}"]]
    out = capsys.readouterr().out
    assert (f"has no torch=={version}+cpu for this machine (pip: ERROR: No matching "
            "distribution): asking") in out
    assert "PyPI's default build" in out.splitlines()[-1]


def test_main_unreachable_index_and_switching_back_to_the_default_build(monkeypatch, capsys):
    version = tc.pinned_torch(ROOT / "requirements.txt")
    # the indexes pip reaches serve the CPU build under the plain name (as the test machines'
    # registry does): pip is asked first, then it is installed
    fake = FakePip({}, {"torch": f"{version}+cpu"}, resolved=[("torch", f"{version}+cpu"),
                                                               ("numpy", "2.4.6")])
    assert _main_with(monkeypatch, fake, "auto", reachable=False) == [
        [*DRY_RUN, f"torch=={version}"], ["install", "--quiet", f"torch=={version}"]]
    out = capsys.readouterr().out
    assert "cannot be reached (DNS failure)" in out
    assert (f"torch: pip would take torch {version}+cpu from https://mirror.example/packages/"
            f"torch-{version}+cpu.whl — a CPU build") in out
    fake = FakePip({"torch": f"{version}+cpu"}, {"torch": version})
    assert _main_with(monkeypatch, fake, "default") == [
        ["uninstall", "--yes", "--quiet", "torch"], ["install", "--quiet", f"torch=={version}"]]
    with pytest.raises(SystemExit, match="pip install --quiet torch=="):
        _main_with(monkeypatch, FakePip({}, {}, failing=f"torch=={version}"), "default")


def test_main_stops_before_downloading_the_cuda_build_and_says_what_to_run(monkeypatch,
                                                                          capsys):
    """A fake unreachable CPU index and a resolution that brings nvidia-* packages: nothing
    is installed; the message names the mirror setting and TORCH=default."""
    version = tc.pinned_torch(ROOT / "requirements.txt")
    cuda = [("torch", version), ("nvidia-cublas", "13.1.0.3"), ("nvidia-cudnn-cu13", "9.13"),
            ("triton", "3.7.1")]
    fake = FakePip({}, {}, resolved=cuda)
    with pytest.raises(SystemExit) as stopped:
        _main_with(monkeypatch, fake, "auto", False)
    assert [c for c in fake.calls if c[0] != "list"] == [[*DRY_RUN, f"torch=={version}"]]
    message = str(stopped.value.code)
    assert f"offer torch=={version} only as the CUDA build" in message
    assert f"make setup TORCH_INDEX={tc.MIRROR}" in message
    assert "make setup TORCH=default" in message
    assert "the CUDA build" in capsys.readouterr().out
    # --dry-run says the same, and TORCH=default installs the default build without asking
    with pytest.raises(SystemExit, match="TORCH_INDEX="):
        _main_with(monkeypatch, FakePip({}, {}, resolved=cuda), "auto", False, "--dry-run")
    assert _main_with(monkeypatch, FakePip({}, {"torch": version}, resolved=cuda), "default",
                      False) == [["install", "--quiet", f"torch=={version}"]]


def test_a_mirror_of_the_cpu_wheels_is_a_setting(monkeypatch, capsys):
    """TORCH_INDEX (or --index): a package index, or a page of wheel links as Aliyun's."""
    version = tc.pinned_torch(ROOT / "requirements.txt")
    page = "https://mirror.example/pytorch-wheels/cpu"
    answers = {page: None}  # the page answers; page/torch/ does not: a page of wheel links
    monkeypatch.setattr(tc, "unreachable", lambda url: answers.get(url, "HTTP Error 404"))
    assert tc.cpu_source(page) == (["--find-links", page], None)
    answers[f"{page}/torch/"] = None
    assert tc.cpu_source(page) == (["--extra-index-url", page], None)
    assert tc.cpu_source("https://down.example/cpu") == ([], "HTTP Error 404")
    assert tc.cpu_source(tc.CPU_INDEX) == ([], "HTTP Error 404")
    fake = FakePip({}, {"torch": f"{version}+cpu"})
    monkeypatch.setattr(tc, "_pip", fake)
    monkeypatch.setattr(tc.platform, "system", lambda: "Linux")
    monkeypatch.setattr(tc, "nvidia_gpu", lambda: None)
    monkeypatch.setenv("TORCH_INDEX", page)
    tc.main(["--torch", "auto", "--dry-run"])
    assert f"torch: from the CPU wheels at {page}" in capsys.readouterr().out
    tc.main(["--torch", "cpu"])
    assert [c for c in fake.calls if c[0] != "list"] == [
        ["install", "--quiet", "--extra-index-url", page, f"torch=={version}+cpu"]]


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_make_setup_passes_torch_index_and_leaves_pip_index_url_to_pip(tmp_path):
    venv = tmp_path / "venv"
    venv.mkdir()
    assert "torch_build.py --torch auto --index https://m.example/cpu" in _make_setup_commands(
        venv, "TORCH_INDEX=https://m.example/cpu")
    assert "--index" not in _make_setup_commands(venv)
    done = subprocess.run(["make", "-s", "--no-print-directory", "-f", "-", "show"],
                          input="include Makefile\nshow:\n\t@echo $$PIP_INDEX_URL\n",
                          cwd=ROOT, capture_output=True, text=True, timeout=60,
                          env={**os.environ, "PIP_INDEX_URL": "https://pypi.example/simple"})
    assert done.stdout.strip() == "https://pypi.example/simple"  # make setup's pip sees it


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
