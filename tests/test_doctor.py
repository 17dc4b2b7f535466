"""linreg_helpers.doctor: every check passes on this environment and fails, with the README's
fix, on a simulated broken set-up (a kernelspec or lab extension that shadows this
environment's, a disabled extension, mismatched versions, no CJK font, little disk or memory)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from jupyter_server.extension.serverextension import (
    GREEN_ENABLED,
    GREEN_OK,
    RED_DISABLED,
    RED_X,
)

from linreg_helpers import doctor, i18n
from linreg_helpers.doctor import FAIL, FIXES, INFO, PASS, Listed, Result, TorchFacts

ROOT = Path(__file__).resolve().parents[1]
EXTENSIONS = Path(sys.prefix) / "share" / "jupyter" / "labextensions"
MB = 2**20


def _package_json_version(extension: str) -> str:
    """The version in the package.json this environment installed for ``extension``."""
    return json.loads((EXTENSIONS / extension / "package.json").read_text())["version"]


def _shadowing_jupyter_path(tmp_path: Path) -> Path:
    """A JUPYTER_PATH folder (searched before the environment's own) holding a python3
    kernelspec for another Python and an older copy of ipywidgets' JupyterLab extension."""
    kernel = tmp_path / "kernels" / "python3"
    kernel.mkdir(parents=True)
    (kernel / "kernel.json").write_text(json.dumps({
        "argv": ["/usr/bin/python3", "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python 3 (system)", "language": "python"}))
    extension = tmp_path / "labextensions" / "@jupyter-widgets" / "jupyterlab-manager"
    extension.mkdir(parents=True)
    (extension / "package.json").write_text(json.dumps(
        {"name": "@jupyter-widgets/jupyterlab-manager", "version": "3.0.0", "jupyterlab": {}}))
    return tmp_path


# ---- Python, torch, GPU -------------------------------------------------------------------
def test_check_python():
    assert doctor.diagnose_python((3, 11, 7)).status == PASS
    assert doctor.diagnose_python((3, 13, 0)).status == PASS
    old = doctor.diagnose_python((3, 10, 12))
    assert old.status == FAIL and "3.10.12; the notebooks need 3.11" in old.detail
    assert old.fix == "make clean && make setup PYTHON=python3.11"
    assert doctor.diagnose_python(tuple(sys.version_info)).status == PASS


def test_check_torch_builds_and_the_pin():
    cpu = doctor.diagnose_torch(TorchFacts("2.13.0+cpu"), "2.13.0")
    assert cpu == Result(PASS, "torch", "2.13.0+cpu, CPU-only build")
    cuda = doctor.diagnose_torch(TorchFacts("2.13.0", cuda="12.8"), "2.13.0")
    assert cuda.detail == "2.13.0, CUDA 12.8 build"
    assert doctor.diagnose_torch(TorchFacts("2.13.0", mps=True), "2.13.0").detail == (
        "2.13.0, build with MPS (Apple GPU)")
    assert doctor.diagnose_torch(TorchFacts("2.13.0"), None).status == PASS  # no checkout: no pin
    other = doctor.diagnose_torch(TorchFacts("2.12.1+cpu"), "2.13.0")
    assert other.status == FAIL and other.fix == FIXES["reinstall"]
    assert "2.12.1+cpu installed; requirements.txt pins 2.13.0" in other.detail
    missing = doctor.diagnose_torch(None, "2.13.0")
    assert missing.status == FAIL and missing.fix == FIXES["reinstall"]


def test_torch_facts_and_pin_of_this_environment():
    import torch

    facts = doctor.torch_facts()
    assert facts.version == torch.__version__ and facts.cuda == torch.version.cuda
    pinned = re.search(r"^torch==(\S+)$", (ROOT / "requirements.txt").read_text(), re.M)
    assert doctor.pinned_torch() == pinned.group(1)
    assert doctor.diagnose_torch(facts, doctor.pinned_torch()).status == PASS


def test_pinned_torch_outside_a_checkout(tmp_path):
    assert doctor.pinned_torch(tmp_path / "requirements.txt") is None
    (tmp_path / "requirements.txt").write_text("torch==1.2.3+cpu  # x\nnumpy==2\n")
    assert doctor.pinned_torch(tmp_path / "requirements.txt") == "1.2.3"


def test_check_gpu_no_gpu_is_information():
    none = doctor.diagnose_gpu(TorchFacts("2.13.0+cpu"))
    assert none.status == INFO and "need none" in none.detail and not none.fix
    unused = doctor.diagnose_gpu(TorchFacts("2.13.0", cuda="12.8"))
    assert unused.status == INFO and "make setup TORCH=cpu" in unused.detail
    assert doctor.diagnose_gpu(TorchFacts("2.13.0", cuda="12.8", cuda_device="NVIDIA H100")) == (
        Result(PASS, "GPU", "CUDA GPU usable: NVIDIA H100"))
    assert doctor.diagnose_gpu(TorchFacts("2.13.0", mps=True)).status == PASS
    assert doctor.diagnose_gpu(None).status == INFO


# ---- the kernel ---------------------------------------------------------------------------
def _specs(argv0: str, resource_dir: str = "/somewhere/kernels/python3") -> dict:
    return {"kernelspecs": {"python3": {"resource_dir": resource_dir, "spec": {
        "argv": [argv0, "-m", "ipykernel_launcher", "-f", "{connection_file}"]}}}}


def test_check_kernel_simulated():
    python = sys.executable
    assert doctor.diagnose_kernel(_specs("python"), python).status == PASS
    assert doctor.diagnose_kernel(_specs(f"python{sys.version_info[0]}"), python).status == PASS
    assert doctor.diagnose_kernel(_specs(python), python).status == PASS
    elsewhere = doctor.diagnose_kernel(_specs("/usr/bin/python3"), python)
    assert elsewhere.status == FAIL and elsewhere.fix == FIXES["kernel"]
    assert "starts /usr/bin/python3, not this environment's Python" in elsewhere.detail
    assert "/somewhere/kernels/python3" in elsewhere.detail
    # another venv's python, even if it is a link to the same interpreter
    other = doctor.diagnose_kernel(_specs("/opt/other-venv/bin/python"), python)
    assert other.status == FAIL
    missing = doctor.diagnose_kernel({"kernelspecs": {"ir": {}}}, python)
    assert missing.status == FAIL and "no kernel named 'python3'" in missing.detail
    assert doctor.diagnose_kernel(None, python).fix == FIXES["reinstall"]


def test_notebooks_ask_for_the_kernel_the_doctor_checks():
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        kernelspec = json.loads(path.read_text())["metadata"]["kernelspec"]
        assert kernelspec["name"] == doctor.KERNEL_NAME, path.name


def test_kernel_of_this_environment_and_one_that_shadows_it(tmp_path, monkeypatch):
    assert doctor.diagnose_kernel(doctor.kernelspec_facts(), sys.executable).status == PASS
    monkeypatch.setenv("JUPYTER_PATH", str(_shadowing_jupyter_path(tmp_path)))
    shadowed = doctor.diagnose_kernel(doctor.kernelspec_facts(), sys.executable)
    assert shadowed.status == FAIL and "starts /usr/bin/python3" in shadowed.detail
    assert str(tmp_path / "kernels" / "python3") in shadowed.detail


# ---- JupyterLab's extensions --------------------------------------------------------------
# What `jupyter labextension list` prints, in its own colours (jupyter_server's constants).
LISTING = f"""JupyterLab v4.6.6
/home/me/.local/share/jupyter/labextensions
        jupyter-matplotlib v0.11.3 {RED_DISABLED} {GREEN_OK}

/env/share/jupyter/labextensions
        @jupyter-widgets/jupyterlab-manager v5.0.16 {GREEN_ENABLED} {RED_X} (python, widgets)
        jupyterlab_pygments v0.3.0 {GREEN_ENABLED} {GREEN_OK} (python, jupyterlab_pygments)

"""


def test_parse_labextension_list():
    listed = doctor.parse_labextension_list(LISTING)
    assert listed == {
        "jupyter-matplotlib": Listed("0.11.3", "/home/me/.local/share/jupyter/labextensions",
                                     enabled=False, compatible=True),
        "@jupyter-widgets/jupyterlab-manager": Listed(
            "5.0.16", "/env/share/jupyter/labextensions", enabled=True, compatible=False),
        "jupyterlab_pygments": Listed("0.3.0", "/env/share/jupyter/labextensions", True, True),
    }


def test_check_extension_simulated():
    name, package = "@jupyter-widgets/jupyterlab-manager", "jupyterlab_widgets"
    good = {name: Listed("0.12.0", "/env/share/jupyter/labextensions", True, True)}
    assert doctor.diagnose_extension(package, name, "0.12.0", good).status == PASS
    older = {name: Listed("0.11.3", "/home/me/.local/share/jupyter/labextensions", True, True)}
    shadowed = doctor.diagnose_extension(package, name, "0.12.0", older)
    assert shadowed.status == FAIL and shadowed.fix == FIXES["extension_shadowed"]
    assert ("loads v0.11.3 from /home/me/.local/share/jupyter/labextensions, but "
            "jupyterlab_widgets ships v0.12.0") in shadowed.detail
    disabled = {name: Listed("0.12.0", "/env", False, True)}
    assert doctor.diagnose_extension(package, name, "0.12.0", disabled).fix == (
        FIXES["extension_disabled"])
    incompatible = {name: Listed("0.12.0", "/env", True, False)}
    reinstall = doctor.diagnose_extension(package, name, "0.12.0", incompatible)
    assert reinstall.fix == FIXES["reinstall"]
    unseen = doctor.diagnose_extension(package, name, "0.12.0", {})
    assert unseen.status == FAIL and "does not see it" in unseen.detail
    not_installed = doctor.diagnose_extension(package, name, None, good)
    assert not_installed.status == FAIL
    assert "jupyterlab_widgets is not installed" in not_installed.detail


def test_shipped_version_is_the_package_json_the_package_installs():
    for package, extension in doctor.LAB_EXTENSIONS:
        assert doctor.shipped_version(package, extension) == _package_json_version(extension)
    # the labextension versions are not the Python packages' versions
    from importlib.metadata import version
    widgets = "@jupyter-widgets/jupyterlab-manager"
    assert doctor.shipped_version("jupyterlab_widgets", widgets) != version("jupyterlab_widgets")
    assert doctor.shipped_version("no-such-package-xyz", widgets) is None
    assert doctor.shipped_version("numpy", widgets) is None


@pytest.mark.slow  # starts Jupyter or IPython subprocesses
def test_extensions_of_this_environment_and_an_older_copy_that_shadows_one(tmp_path,
                                                                           monkeypatch):
    listed = doctor.labextension_facts()
    for package, extension in doctor.LAB_EXTENSIONS:
        shipped = doctor.shipped_version(package, extension)
        assert doctor.diagnose_extension(package, extension, shipped, listed).status == PASS
    monkeypatch.setenv("JUPYTER_PATH", str(_shadowing_jupyter_path(tmp_path)))
    listed = doctor.labextension_facts()
    package, extension = doctor.LAB_EXTENSIONS[0]
    result = doctor.diagnose_extension(package, extension,
                                       doctor.shipped_version(package, extension), listed)
    assert result.status == FAIL and result.fix == FIXES["extension_shadowed"]
    assert f"loads v3.0.0 from {tmp_path / 'labextensions'}" in result.detail


# ---- live figure, helper package ----------------------------------------------------------
def test_live_figure():
    assert doctor.live_figure_error() is None
    assert doctor.diagnose_live_figure(None).status == PASS
    broken = doctor.diagnose_live_figure("ModuleNotFoundError: No module named 'PIL'")
    assert broken.status == FAIL and broken.fix == FIXES["reinstall"]
    assert "No module named 'PIL'" in broken.detail


def test_the_doctor_no_longer_checks_ipympl():
    assert [package for package, _ in doctor.LAB_EXTENSIONS] == ["jupyterlab_widgets"]
    assert all("jupyter-matplotlib" not in fix and "ipympl" not in fix for fix in FIXES.values())


def test_helpers_import_from_the_notebooks_folder():
    found, error = doctor.helpers_facts()
    assert Path(found) == ROOT / "linreg_helpers" / "__init__.py" and error == ""
    assert doctor.diagnose_helpers(found, error).status == PASS
    other = doctor.diagnose_helpers("/elsewhere/linreg_helpers/__init__.py", "")
    assert other.status == FAIL and other.fix == FIXES["helpers"]
    assert "from /elsewhere/linreg_helpers/__init__.py, not from" in other.detail
    missing = doctor.diagnose_helpers(None, "ModuleNotFoundError: No module named 'linreg_helpers'")
    assert missing.status == FAIL and "No module named 'linreg_helpers'" in missing.detail


# ---- fonts, disk, memory ------------------------------------------------------------------
def test_check_cjk_font():
    none = doctor.diagnose_cjk_font({"DejaVu Sans", "DejaVu Serif", "cmr10"})
    assert none.status == INFO and none.fix == FIXES["cjk_font"]
    assert doctor.diagnose_cjk_font({"DejaVu Sans", "Noto Sans CJK JP", "Noto Sans CJK SC"}) == (
        Result(PASS, "CJK font", "matplotlib has Noto Sans CJK SC"))  # what the helpers use
    assert doctor.diagnose_cjk_font({"WenQuanYi Micro Hei"}).status == PASS
    assert "DejaVu Sans" in doctor.font_names()  # matplotlib's own font
    assert doctor.diagnose_cjk_font(doctor.font_names()).status in (PASS, INFO)


def test_check_disk_and_memory():
    assert doctor.diagnose_disk(doctor.DISK_NEEDED_MB * MB).status == PASS
    low = doctor.diagnose_disk(100 * MB, Path("/data"))
    assert low.status == FAIL and low.fix == FIXES["disk"] and "on /data" in low.detail
    assert doctor.diagnose_memory(doctor.MEMORY_NEEDED_MB * MB).status == PASS
    short = doctor.diagnose_memory(300 * MB)
    assert short.status == FAIL and short.fix == FIXES["memory"]
    assert "0.3 GB available" in short.detail
    assert doctor.diagnose_memory(None).status == INFO


def test_available_memory_agrees_with_proc_meminfo():
    meminfo = Path("/proc/meminfo")
    if not meminfo.is_file():
        pytest.skip("no /proc/meminfo")
    kb = int(re.search(r"^MemAvailable:\s+(\d+) kB", meminfo.read_text(), re.M).group(1))
    assert doctor.available_memory() == pytest.approx(kb * 1024, rel=0.2)


# ---- the whole run, and the README --------------------------------------------------------
def test_main_exit_status_follows_the_failed_checks(monkeypatch, capsys):
    passed = [Result(PASS, "a", "fine"), Result(INFO, "GPU", "none")]
    monkeypatch.setattr(doctor, "run_checks", lambda: passed)
    assert doctor.main() == 0
    assert capsys.readouterr().out.splitlines()[-1] == "✓ all required checks passed"
    monkeypatch.setattr(doctor, "run_checks",
                        lambda: [*passed, doctor.diagnose_python((3, 9, 1))])
    assert doctor.main() == 1
    out = capsys.readouterr().out
    assert f"    fix: {FIXES['python']}" in out
    assert out.splitlines()[-1].startswith("✗ 1 check(s) failed: Python")


def test_linreg_lang_zh_prints_the_doctor_in_chinese(monkeypatch, capsys):
    monkeypatch.setitem(i18n._state, "language", "en")
    monkeypatch.setenv("LINREG_LANG", "zh")
    monkeypatch.setattr(doctor, "run_checks", lambda: [doctor.diagnose_python((3, 9, 1)),
                                                       doctor.diagnose_disk(2**20)])
    assert doctor.main() == 1
    assert capsys.readouterr().out.splitlines() == [
        "✗ Python：3.9.1；这些笔记本需要 3.11 或更新的版本",
        f"    修复：{FIXES['python']}",
        f"✗ 磁盘：{ROOT} 上有 0.0 GB 可用空间（笔记本需要 500 MB）",
        "    修复：清理那个磁盘上的空间",
        "✗ 2 项检查失败：Python、磁盘；README 的“故障排除”说明了每项的修复方法"]
    monkeypatch.setenv("LINREG_LANG", "zh_CN")
    assert doctor.main() == 2
    assert "LINREG_LANG='zh_CN'" in capsys.readouterr().err


def _run_doctor(*command: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *command], cwd=ROOT, capture_output=True, text=True,
                          timeout=300, env={**os.environ, "PYTHONIOENCODING": "utf-8",
                                            **(env or {})})


@pytest.mark.slow  # starts Jupyter or IPython subprocesses
def test_make_doctor_passes_here_one_line_per_check():
    done = _run_doctor("-m", "linreg_helpers.doctor")
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    checks = [line for line in lines if not line.startswith("    fix: ")]
    assert all(line[0] in (PASS, INFO) for line in checks), done.stdout
    names = [line[2:].split(":")[0] for line in checks[:-1]]
    assert names == ["Python", "torch", "GPU", "Jupyter kernel",
                     "JupyterLab extension @jupyter-widgets/jupyterlab-manager",
                     "live figure", "helper package", "CJK font", "disk", "memory"]
    assert checks[-1] == "✓ all required checks passed"


@pytest.mark.slow  # starts Jupyter or IPython subprocesses
def test_doctor_in_a_notebook_reports_failures_without_a_traceback(tmp_path):
    """`%run -m linreg_helpers.doctor` in IPython, with a kernelspec and an extension that
    shadow this environment's: the ✗ lines and their fixes, and no SystemExit."""
    done = _run_doctor("-m", "IPython", "--no-banner", "--colors=NoColor", "-c",
                       "%run -m linreg_helpers.doctor",
                       env={"JUPYTER_PATH": str(_shadowing_jupyter_path(tmp_path))})
    out = done.stdout + done.stderr
    assert done.returncode == 0, out
    assert "SystemExit" not in out and "Traceback" not in out, out
    assert f"✗ Jupyter kernel: 'python3' ({tmp_path / 'kernels' / 'python3'})" in out
    assert f"    fix: {FIXES['kernel']}" in out
    extension = "JupyterLab extension @jupyter-widgets/jupyterlab-manager"
    assert f"✗ {extension}: JupyterLab loads v3.0.0" in out
    assert f"✗ 2 check(s) failed: Jupyter kernel, {extension}" in out


def _troubleshooting() -> str:
    readme = (ROOT / "README.md").read_text()
    return readme.split("## Troubleshooting", 1)[1].split("\n## ", 1)[0]


def test_readme_troubleshooting_starts_with_make_doctor_and_gives_every_fix():
    section = _troubleshooting()
    first = section.strip().split("\n\n", 1)[0]
    assert first.startswith("Run `make doctor`"), first
    for key, fix in FIXES.items():
        assert fix in section, f"README's Troubleshooting lacks the fix for {key}: {fix}"


def test_the_chinese_readme_gives_every_fix_as_the_doctor_says_it_in_chinese(monkeypatch):
    """README.zh-CN.md's 故障排除 table: each check under the name `make doctor LINREG_LANG=zh`
    prints, each fix in its words (the commands as they are)."""
    readme = (ROOT / "README.zh-CN.md").read_text(encoding="utf-8")
    section = readme.split("## 故障排除", 1)[1].split("\n## ", 1)[0]
    assert section.strip().startswith("先运行 `make doctor LINREG_LANG=zh`")
    monkeypatch.setitem(i18n._state, "language", "zh")
    for name in FIXES:
        assert doctor.fix_text(name) in section, f"README.zh-CN.md lacks the fix for {name}"
    for key in ("doctor.python", "doctor.torch", "doctor.kernel", "doctor.live",
                "doctor.helpers", "doctor.cjk", "doctor.disk", "doctor.memory"):
        assert f"{i18n.text(key)}：" in section, key
    assert f"{i18n.text('doctor.extension', extension='')}".strip() in section
    assert i18n.text("doctor.cjk.none") in section and "修复：" in section
