"""Is this machine set up to run the notebooks? ``make doctor``, or in a notebook
``%run -m linreg_helpers.doctor``.

One line per check: ✓ passed, ✗ failed — followed by its fix, the same words as the README's
Troubleshooting — or ℹ for information that needs no action (no GPU, no CJK font). The exit
status is 0 when no check failed. Each ``check_*`` function is pure: it judges facts gathered
by the ``*_facts`` functions, so tests can hand it a broken set-up.
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
# The fixes, word for word as the README's Troubleshooting gives them (a test checks it).
FIXES = {
    "python": "make clean && make setup PYTHON=python3.11",
    "reinstall": "make clean && make setup",
    "kernel": f".venv/bin/jupyter kernelspec remove -y {KERNEL_NAME}",
    "extension_shadowed": "delete the folder named in the message, then restart JupyterLab",
    "extension_disabled": (".venv/bin/jupyter labextension enable "
                           "@jupyter-widgets/jupyterlab-manager"),
    "helpers": ".venv/bin/python -m pip install --no-deps -e .",
    "cjk_font": CJK_FONT_FIX,
    "disk": "free disk space on that drive",
    "memory": "close other programs and the kernels of notebooks you are not using",
}


@dataclass(frozen=True)
class Result:
    """One check's verdict: PASS, FAIL or INFO, what was found, and for FAIL the fix."""

    status: str
    name: str
    detail: str
    fix: str = ""

    def lines(self) -> str:
        """The check's line, and the fix on the next one."""
        text = f"{self.status} {self.name}: {self.detail}"
        return text + (f"\n    fix: {self.fix}" if self.fix else "")


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
    return Result(FAIL, name, detail, FIXES[fix])


# ---- the checks ---------------------------------------------------------------------------
def diagnose_python(version: tuple[int, ...]) -> Result:
    """Python 3.11 or newer."""
    found = ".".join(map(str, version[:3]))
    if tuple(version[:2]) >= MIN_PYTHON:
        return Result(PASS, "Python", f"{found} ({sys.prefix})")
    return _fail("Python", f"{found}; the notebooks need {'.'.join(map(str, MIN_PYTHON))} or newer",
                 "python")


def diagnose_torch(torch: TorchFacts | None, pinned: str | None) -> Result:
    """torch is installed, at the pinned version (any build of it), and says which build."""
    if torch is None:
        return _fail("torch", "not installed in this environment", "reinstall")
    public, _, label = torch.version.partition("+")
    if pinned is not None and public != pinned:
        return _fail("torch", f"{torch.version} installed; requirements.txt pins {pinned}",
                     "reinstall")
    build = f"CUDA {torch.cuda} build" if torch.cuda else "CPU build"
    if torch.mps:
        build = "build with MPS (Apple GPU)"
    elif label == "cpu":
        build = "CPU-only build"
    return Result(PASS, "torch", f"{torch.version}, {build}")


def diagnose_gpu(torch: TorchFacts | None) -> Result:
    """Whether a GPU is usable; the notebooks need none, so its absence is information."""
    if torch is not None and torch.cuda_device:
        return Result(PASS, "GPU", f"CUDA GPU usable: {torch.cuda_device}")
    if torch is not None and torch.mps:
        return Result(PASS, "GPU", "Apple GPU usable through MPS")
    detail = "none usable; the notebooks run on the CPU and need none"
    if torch is not None and torch.cuda:
        detail += (" (this CUDA build of torch could be the smaller CPU-only one: "
                   "make setup TORCH=cpu)")
    return Result(INFO, "GPU", detail)


def _same_python(command: str, python: str) -> bool:
    major, minor = sys.version_info[:2]
    if command in ("python", f"python{major}", f"python{major}.{minor}"):
        return True  # Jupyter starts the Python that runs JupyterLab: this one, with `make lab`
    return (os.path.realpath(os.path.dirname(command)) == os.path.realpath(os.path.dirname(python))
            and os.path.basename(command).startswith("python"))


def diagnose_kernel(specs: dict | None, python: str, name: str = KERNEL_NAME) -> Result:
    """The kernel JupyterLab starts for the notebooks runs this environment's Python
    (``specs``: the output of ``jupyter kernelspec list --json``, None if it failed)."""
    title = "Jupyter kernel"
    if specs is None:
        return _fail(title, "`jupyter kernelspec list` does not run here", "reinstall")
    spec = specs.get("kernelspecs", {}).get(name)
    if spec is None:
        return _fail(title, f"no kernel named {name!r}; the notebooks ask for it", "reinstall")
    argv = spec.get("spec", {}).get("argv", [])
    command = argv[0] if argv else ""
    if _same_python(command, python):
        return Result(PASS, title, f"{name!r} runs this environment's Python ({python})")
    return _fail(title, f"{name!r} ({spec.get('resource_dir')}) starts {command}, not this "
                        f"environment's Python ({python}): the notebooks would not find "
                        "its packages", "kernel")


def diagnose_extension(package: str, extension: str, shipped: str | None,
                    listed: dict[str, Listed]) -> Result:
    """JupyterLab loads, enabled, the very extension that the installed ``package`` ships."""
    title = f"JupyterLab extension {extension}"
    if shipped is None:
        return _fail(title, f"{package} is not installed (or ships no {extension})",
                     "reinstall")
    found = listed.get(extension)
    if found is None:
        return _fail(title, f"JupyterLab does not see it ({package} ships {shipped})",
                     "reinstall")
    if found.version != shipped:
        return _fail(title, f"JupyterLab loads v{found.version} from {found.folder}, but "
                            f"{package} ships v{shipped}", "extension_shadowed")
    if not found.enabled:
        return _fail(title, f"v{found.version} is disabled", "extension_disabled")
    if not found.compatible:
        return _fail(title, f"v{found.version} does not fit this JupyterLab", "reinstall")
    return Result(PASS, title, f"v{found.version}, enabled, as {package} ships it")


def diagnose_live_figure(error: str | None) -> Result:
    """The live widgets' figure: matplotlib's Agg draws it in the kernel and an
    ``ipywidgets.Image`` holds it as a PNG (linreg_helpers.widgets.frame)."""
    title = "live figure"
    if error is None:
        return Result(PASS, title, "Agg draws a figure and an ipywidgets.Image shows it as PNG")
    return _fail(title, f"cannot be drawn: {error}", "reinstall")


def diagnose_helpers(found: str | None, error: str, root: Path = ROOT) -> Result:
    """``import linreg_helpers`` from the notebooks' folder finds this repository's package."""
    title = "helper package"
    if found is None:
        return _fail(title, f"`import linreg_helpers` fails in notebooks/: {error}", "helpers")
    if not Path(found).resolve().is_relative_to(root.resolve()):
        return _fail(title, f"notebooks/ imports linreg_helpers from {found}, not from {root}",
                     "helpers")
    return Result(PASS, title, f"linreg_helpers imports in notebooks/ ({Path(found).parent})")


def diagnose_cjk_font(names: set[str]) -> Result:
    """A font with Chinese glyphs for figures of the Chinese edition (information only).

    The font named is the one ``set_language("zh")`` draws with (linreg_helpers.i18n chooses).
    """
    font = first_cjk_font(names)
    if font:
        return Result(PASS, "CJK font", f"matplotlib has {font}")
    return Result(INFO, "CJK font", "matplotlib has none, so Chinese text in figures shows "
                                    "as boxes", FIXES["cjk_font"])


def diagnose_disk(free_bytes: int, where: Path = ROOT) -> Result:
    """Free disk space where the notebooks are."""
    free_mb = free_bytes / 2**20
    detail = f"{free_mb / 1024:.1f} GB free on {where} (the notebooks need {DISK_NEEDED_MB} MB)"
    if free_mb >= DISK_NEEDED_MB:
        return Result(PASS, "disk", detail)
    return _fail("disk", detail, "disk")


def diagnose_memory(available_bytes: int | None) -> Result:
    """Memory available now versus a notebook kernel's peak plus JupyterLab."""
    if available_bytes is None:
        return Result(INFO, "memory", "cannot measure the available memory on this system")
    available_mb = available_bytes / 2**20
    detail = (f"{available_mb / 1024:.1f} GB available (a notebook needs about "
              f"{MEMORY_NEEDED_MB} MB with JupyterLab)")
    if available_mb >= MEMORY_NEEDED_MB:
        return Result(PASS, "memory", detail)
    return _fail("memory", detail, "memory")


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
    """Print every check's line; 0 when none failed, else 1."""
    results = run_checks()
    for result in results:
        print(_printable(result.lines()))
    failed = [r.name for r in results if r.status == FAIL]
    summary = (f"{len(failed)} check(s) failed: {', '.join(failed)}; the README's "
               "Troubleshooting explains each fix" if failed else "all required checks passed")
    print(_printable(f"{FAIL if failed else PASS} {summary}"))
    return 1 if failed else 0


def _in_ipython() -> bool:
    ipython = sys.modules.get("IPython")
    return bool(ipython and ipython.get_ipython())


if __name__ == "__main__":
    code = main()
    if code and not _in_ipython():  # in a notebook (`%run -m`) no SystemExit traceback
        sys.exit(code)
