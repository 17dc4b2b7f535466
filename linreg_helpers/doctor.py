"""Is this machine set up to run the notebooks? ``make doctor``, or in a notebook
``%run -m linreg_helpers.doctor``.

One line per check: ✓ passed, ✗ failed — followed by its fix, the same words as the README's
Troubleshooting — or ℹ for information that needs no action (no GPU, no CJK font). The exit
status is 0 when no check failed. Each ``diagnose_*`` function is pure: it judges facts
gathered by the ``*_facts`` functions, so tests can hand it a broken set-up. ``LINREG_LANG=zh``
prints it in Chinese (README.zh-CN.md's table gives the same words).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from linreg_helpers import torch_build
from linreg_helpers.i18n import text, use_environment_language
from linreg_helpers.i18n.fonts import CJK_FONT_FIX, cjk_font, first_cjk_font

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
PASS, FAIL, INFO = "✓", "✗", "ℹ"
MIN_PYTHON = (3, 11)
KERNEL_NAME = "python3"  # the kernelspec every notebook's metadata names
# (Python package, the JupyterLab extension it ships): the browser side of the widgets. The
# live figures are pictures in a core ipywidgets.Image: ipywidgets' own extension is all they need.
LAB_EXTENSIONS = (("jupyterlab_widgets", "@jupyter-widgets/jupyterlab-manager"),)
# A notebook kernel's peak resident memory stays under 600 MB
# (benchmarks/notebook_memory.py); JupyterLab's server takes about 200 MB more.
MEMORY_NEEDED_MB = 800
DISK_NEEDED_MB = 500  # notebooks, checkpoints, matplotlib's font cache, with room to spare
# The fixes that are said in words: their message keys (in the current language at run time).
WORDED_FIXES = {"extension_shadowed": "doctor.extension.fix", "disk": "doctor.disk.fix",
                "memory": "doctor.memory.fix"}
# The fixes, word for word as the README's Troubleshooting gives them (a test checks it).
FIXES = {
    "python": "make clean && make setup PYTHON=python3.11",
    "reinstall": "make clean && make setup",
    "kernel": f".venv/bin/jupyter kernelspec remove -y {KERNEL_NAME}",
    "extension_disabled": (".venv/bin/jupyter labextension enable "
                           "@jupyter-widgets/jupyterlab-manager"),
    "helpers": ".venv/bin/python -m pip install --no-deps -e .",
    "cjk_font": CJK_FONT_FIX,
    **{name: text(key, lang="en") for name, key in WORDED_FIXES.items()},
}


def fix_text(name: str) -> str:
    """The fix ``name`` in the current language (a command reads the same in every language)."""
    return text(WORDED_FIXES[name]) if name in WORDED_FIXES else FIXES[name]


@dataclass(frozen=True)
class Result:
    """One check's verdict: PASS, FAIL or INFO, what was found, and for FAIL the fix."""

    status: str
    name: str
    detail: str
    fix: str = ""

    def lines(self) -> str:
        """The check's line, and the fix on the next one."""
        line = text("doctor.line", status=self.status, name=self.name, detail=self.detail)
        return line + ("\n" + text("doctor.fix", fix=self.fix) if self.fix else "")


@dataclass(frozen=True)
class TorchFacts:
    """The installed torch: version, CUDA version it was built for, usable accelerators."""

    version: str
    cuda: str | None = None
    cuda_device: str | None = None  # the GPU's name when CUDA is usable
    mps: bool = False


@dataclass(frozen=True)
class Listed:
    """An extension as ``jupyter labextension list`` shows it (the copy JupyterLab loads)."""

    version: str
    folder: str
    enabled: bool
    compatible: bool


def _fail(name: str, detail: str, fix: str) -> Result:
    return Result(FAIL, name, detail, fix_text(fix))


# ---- the checks ---------------------------------------------------------------------------
def diagnose_python(version: tuple[int, ...]) -> Result:
    """Python 3.11 or newer."""
    found = ".".join(map(str, version[:3]))
    if tuple(version[:2]) >= MIN_PYTHON:
        return Result(PASS, text("doctor.python"), text("doctor.python.pass", found=found,
                                                        prefix=sys.prefix))
    return _fail(text("doctor.python"), text("doctor.python.old", found=found,
                                             needed=".".join(map(str, MIN_PYTHON))), "python")


def diagnose_torch(torch: TorchFacts | None, pinned: str | None) -> Result:
    """torch is installed, at the pinned version (any build of it), and says which build."""
    name = text("doctor.torch")
    if torch is None:
        return _fail(name, text("doctor.torch.missing"), "reinstall")
    public, _, label = torch.version.partition("+")
    if pinned is not None and public != pinned:
        return _fail(name, text("doctor.torch.pin", version=torch.version, pinned=pinned),
                     "reinstall")
    build = text("doctor.torch.cuda", cuda=torch.cuda) if torch.cuda else text("doctor.torch.cpu")
    if torch.mps:
        build = text("doctor.torch.mps")
    elif label == "cpu":
        build = text("doctor.torch.cpu_only")
    return Result(PASS, name, text("doctor.torch.pass", version=torch.version, build=build))


def diagnose_gpu(torch: TorchFacts | None) -> Result:
    """Whether a GPU is usable; the notebooks need none, so its absence is information."""
    name = text("doctor.gpu")
    if torch is not None and torch.cuda_device:
        return Result(PASS, name, text("doctor.gpu.cuda", device=torch.cuda_device))
    if torch is not None and torch.mps:
        return Result(PASS, name, text("doctor.gpu.mps"))
    detail = text("doctor.gpu.none")
    if torch is not None and torch.cuda:
        detail += text("doctor.gpu.smaller")
    return Result(INFO, name, detail)


def _same_python(command: str, python: str) -> bool:
    major, minor = sys.version_info[:2]
    if command in ("python", f"python{major}", f"python{major}.{minor}"):
        return True  # Jupyter starts the Python that runs JupyterLab: this one, with `make lab`
    return (os.path.realpath(os.path.dirname(command)) == os.path.realpath(os.path.dirname(python))
            and os.path.basename(command).startswith("python"))


def diagnose_kernel(specs: dict | None, python: str, name: str = KERNEL_NAME) -> Result:
    """The kernel JupyterLab starts for the notebooks runs this environment's Python
    (``specs``: the output of ``jupyter kernelspec list --json``, None if it failed)."""
    title = text("doctor.kernel")
    if specs is None:
        return _fail(title, text("doctor.kernel.no_jupyter"), "reinstall")
    spec = specs.get("kernelspecs", {}).get(name)
    if spec is None:
        return _fail(title, text("doctor.kernel.missing", name=name), "reinstall")
    argv = spec.get("spec", {}).get("argv", [])
    command = argv[0] if argv else ""
    if _same_python(command, python):
        return Result(PASS, title, text("doctor.kernel.pass", name=name, python=python))
    return _fail(title, text("doctor.kernel.other", name=name, folder=spec.get("resource_dir"),
                             command=command, python=python), "kernel")


def diagnose_extension(package: str, extension: str, shipped: str | None,
                    listed: dict[str, Listed]) -> Result:
    """JupyterLab loads, enabled, the very extension that the installed ``package`` ships."""
    title = text("doctor.extension", extension=extension)
    if shipped is None:
        return _fail(title, text("doctor.extension.not_installed", package=package,
                                 extension=extension), "reinstall")
    found = listed.get(extension)
    if found is None:
        return _fail(title, text("doctor.extension.unseen", package=package, shipped=shipped),
                     "reinstall")
    version = found.version
    if version != shipped:
        return _fail(title, text("doctor.extension.shadowed", version=version,
                                 folder=found.folder, package=package, shipped=shipped),
                     "extension_shadowed")
    if not found.enabled:
        return _fail(title, text("doctor.extension.disabled", version=version),
                     "extension_disabled")
    if not found.compatible:
        return _fail(title, text("doctor.extension.incompatible", version=version), "reinstall")
    return Result(PASS, title, text("doctor.extension.pass", version=version, package=package))


def diagnose_live_figure(error: str | None) -> Result:
    """The live widgets' figure: matplotlib's Agg draws it in the kernel and an
    ``ipywidgets.Image`` holds it as a PNG (linreg_helpers.widgets.frame)."""
    title = text("doctor.live")
    if error is None:
        return Result(PASS, title, text("doctor.live.pass"))
    return _fail(title, text("doctor.live.fail", error=error), "reinstall")


def diagnose_helpers(found: str | None, error: str, root: Path = ROOT) -> Result:
    """``import linreg_helpers`` from the notebooks' folder finds this repository's package."""
    title = text("doctor.helpers")
    if found is None:
        return _fail(title, text("doctor.helpers.fails", error=error), "helpers")
    if not Path(found).resolve().is_relative_to(root.resolve()):
        return _fail(title, text("doctor.helpers.elsewhere", found=found, root=root), "helpers")
    return Result(PASS, title, text("doctor.helpers.pass", folder=Path(found).parent))


def diagnose_cjk_font(names: set[str]) -> Result:
    """A font with Chinese glyphs for figures of the Chinese edition (information only).

    The font named is the one ``set_language("zh")`` draws with (linreg_helpers.i18n chooses).
    """
    font = first_cjk_font(names)
    if font:
        return Result(PASS, text("doctor.cjk"), text("doctor.cjk.pass", font=font))
    return Result(INFO, text("doctor.cjk"), text("doctor.cjk.none"), fix_text("cjk_font"))


def diagnose_disk(free_bytes: int, where: Path = ROOT) -> Result:
    """Free disk space where the notebooks are."""
    free_mb = free_bytes / 2**20
    detail = text("doctor.disk.detail", free_gb=free_mb / 1024, where=where,
                  needed=DISK_NEEDED_MB)
    if free_mb >= DISK_NEEDED_MB:
        return Result(PASS, text("doctor.disk"), detail)
    return _fail(text("doctor.disk"), detail, "disk")


def diagnose_memory(available_bytes: int | None) -> Result:
    """Memory available now versus a notebook kernel's peak plus JupyterLab."""
    if available_bytes is None:
        return Result(INFO, text("doctor.memory"), text("doctor.memory.unknown"))
    available_mb = available_bytes / 2**20
    detail = text("doctor.memory.detail", available_gb=available_mb / 1024,
                  needed=MEMORY_NEEDED_MB)
    if available_mb >= MEMORY_NEEDED_MB:
        return Result(PASS, text("doctor.memory"), detail)
    return _fail(text("doctor.memory"), detail, "memory")


# ---- the facts ----------------------------------------------------------------------------
def torch_facts() -> TorchFacts | None:
    """The installed torch, or None."""
    try:
        import torch
    except ImportError:
        return None
    cuda_device = torch.cuda.get_device_name(0) if torch.cuda.is_available() else None
    mps = bool(getattr(torch.backends, "mps", None) and torch.backends.mps.is_available())
    return TorchFacts(torch.__version__, torch.version.cuda, cuda_device, mps)


def pinned_torch(requirements: Path = ROOT / "requirements.txt") -> str | None:
    """The torch version requirements.txt pins (None outside a checkout of the repository)."""
    try:
        return torch_build.pinned_torch(requirements)
    except (OSError, ValueError):
        return None


def _jupyter(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "jupyter", *args], capture_output=True,
                          text=True, timeout=120)


def kernelspec_facts() -> dict | None:
    """``jupyter kernelspec list --json`` of this environment's Jupyter, or None."""
    listed = _jupyter("kernelspec", "list", "--json")
    try:
        return json.loads(listed.stdout) if listed.returncode == 0 else None
    except json.JSONDecodeError:
        return None


def parse_labextension_list(text: str) -> dict[str, Listed]:
    """The extensions in the output of ``jupyter labextension list``, by name."""
    text = re.sub(r"\x1b\[[0-9;]*m", "", text)
    found, folder = {}, ""
    for line in text.splitlines():
        if line and not line[0].isspace():
            folder = line.strip()
            continue
        entry = re.match(r"\s+(\S+) v(\S+) (enabled|disabled) +(OK|X)\b", line)
        if entry:
            name, version, state, ok = entry.groups()
            found[name] = Listed(version, folder, state == "enabled", ok == "OK")
    return found


def labextension_facts() -> dict[str, Listed]:
    """What ``jupyter labextension list`` of this environment shows."""
    listed = _jupyter("labextension", "list")
    return parse_labextension_list(listed.stdout + listed.stderr)


def shipped_version(package: str, extension: str) -> str | None:
    """The version of ``extension`` that the installed Python ``package`` ships (the
    package.json it installs under share/jupyter/labextensions), or None."""
    from importlib import metadata

    try:
        files = metadata.distribution(package).files or []
    except metadata.PackageNotFoundError:
        return None
    suffix = f"labextensions/{extension}/package.json"
    for file in files:
        if file.as_posix().endswith(suffix):
            path = Path(file.locate())
            if path.is_file():
                return json.loads(path.read_text(encoding="utf-8"))["version"]
    return None


def _python_in_notebooks(code: str) -> subprocess.CompletedProcess:
    folder = NOTEBOOKS if NOTEBOOKS.is_dir() else Path.cwd()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    return subprocess.run([sys.executable, "-c", code], cwd=folder, capture_output=True,
                          text=True, timeout=300, env=env)


def _last_line(text: str) -> str:
    lines = text.strip().splitlines()
    return lines[-1] if lines else "no output"


def live_figure_error() -> str | None:
    """None when a live widget's figure draws into its ``ipywidgets.Image`` as a PNG of the
    expected size (from notebooks/, as a notebook would), else why."""
    done = _python_in_notebooks(
        "from linreg_helpers.widgets.frame import LiveFrame, RENDER_DPI, live_figure\n"
        "figure = live_figure((2.0, 1.0)); figure.subplots().plot([0, 1], [1, 0])\n"
        "frame = LiveFrame(figure); frame.show(); png = bytes(frame.image.value)\n"
        "assert png[:8] == b'\\x89PNG\\r\\n\\x1a\\n', 'not a PNG'\n"
        "print(int.from_bytes(png[16:20], 'big') == 2 * RENDER_DPI)")
    if done.returncode == 0 and done.stdout.strip().endswith("True"):
        return None
    return _last_line(done.stderr or done.stdout)


def helpers_facts() -> tuple[str | None, str]:
    """(linreg_helpers/__init__.py as imported from notebooks/, or None; the error)."""
    done = _python_in_notebooks("import linreg_helpers; print(linreg_helpers.__file__)")
    if done.returncode == 0:
        return done.stdout.strip().splitlines()[-1], ""
    return None, _last_line(done.stderr)


def font_names() -> set[str]:
    """The font families matplotlib knows, CJK fonts its cache predates included (as the
    helpers find them: linreg_helpers.i18n.fonts.cjk_font)."""
    from matplotlib import font_manager

    cjk_font()
    return {font.name for font in font_manager.fontManager.ttflist}


def available_memory() -> int | None:
    """Bytes of memory available to a new process now (None where it cannot be told)."""
    try:
        import psutil

        return int(psutil.virtual_memory().available)
    except ImportError:
        pass
    meminfo = Path("/proc/meminfo")
    if meminfo.is_file():
        found = re.search(r"^MemAvailable:\s+(\d+) kB", meminfo.read_text(), re.MULTILINE)
        if found:
            return int(found.group(1)) * 1024
    return None


# ---- running them -------------------------------------------------------------------------
def run_checks() -> list[Result]:
    """Every check, on this machine."""
    with ThreadPoolExecutor() as pool:  # the slow facts come from subprocesses: run at once
        listed, specs, backend, helpers = (pool.submit(facts) for facts in (
            labextension_facts, kernelspec_facts, live_figure_error, helpers_facts))
        torch = torch_facts()
        results = [diagnose_python(tuple(sys.version_info)), diagnose_torch(torch, pinned_torch()),
                   diagnose_gpu(torch), diagnose_kernel(specs.result(), sys.executable)]
        results += [diagnose_extension(package, extension, shipped_version(package, extension),
                                    listed.result()) for package, extension in LAB_EXTENSIONS]
        results += [diagnose_live_figure(backend.result()), diagnose_helpers(*helpers.result())]
    return results + [diagnose_cjk_font(font_names()), diagnose_disk(shutil.disk_usage(ROOT).free),
                      diagnose_memory(available_memory())]


def _printable(text: str) -> str:
    """``text`` with ✓/✗/ℹ spelled in ASCII where the terminal cannot show them."""
    try:
        text.encode(sys.stdout.encoding or "ascii")
        return text
    except UnicodeEncodeError:
        return text.replace(PASS, "OK").replace(FAIL, "FAIL").replace(INFO, "info")


def main() -> int:
    """Print every check's line; 0 when none failed, else 1 (2: LINREG_LANG names no language)."""
    try:
        use_environment_language()
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 2
    results = run_checks()
    for result in results:
        print(_printable(result.lines()))
    print(_printable(summary(results)))
    return 1 if any(r.status == FAIL for r in results) else 0


def summary(results: list[Result]) -> str:
    """The last line: which checks failed (the README explains their fixes), or that none did."""
    failed = [r.name for r in results if r.status == FAIL]
    if failed:
        names = text("doctor.separator").join(failed)
        return f"{FAIL} " + text("doctor.failed", count=len(failed), names=names)
    return f"{PASS} " + text("doctor.passed")


def _in_ipython() -> bool:
    ipython = sys.modules.get("IPython")
    return bool(ipython and ipython.get_ipython())


if __name__ == "__main__":
    code = main()
    if code and not _in_ipython():  # in a notebook (`%run -m`) no SystemExit traceback
        sys.exit(code)
