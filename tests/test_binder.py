"""Binder: the binder/ configuration renders with repo2docker, agrees with the top-level pins,
installs into a fresh virtual environment, installs the CJK font of binder/apt.txt (as .ci/run
does), and the badges of both READMEs (English and Chinese) launch it.

repo2docker (the tool mybinder.org builds images with) renders the Dockerfile without Docker
with ``--no-build``; the install test then does what that Dockerfile's pip step does, here:
in a new venv, on top of the Jupyter packages of repo2docker's own base environment.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]
BINDER = ROOT / "binder"
CPU_INDEX = "https://download.pytorch.org/whl/cpu"
# Pins that only Binder needs (none now: notebook and voila are pinned for everyone).
BINDER_ONLY: set[str] = set()
INSTALL_TIMEOUT_S = 900
# Debian packages Binder installs (binder/apt.txt): a font with Chinese glyphs for the figures
# of the Chinese edition, the one .ci/run installs.
APT_PACKAGES = ["fonts-wqy-microhei"]
# Each README's badge and the notebook it opens.
BADGES = {"README.md": ("Launch on Binder", "notebooks/01_data.ipynb"),
          "README.zh-CN.md": ("在 Binder 上运行", "notebooks/zh/01_data.ipynb")}


def _pins(path: Path) -> tuple[dict[str, str], list[str]]:
    """({name: version} of the ``name==version`` lines, [the option and path lines])."""
    pins, other = {}, []
    for raw in path.read_text().splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("-"):
            other.append(line)
            continue
        requirement = Requirement(line)
        specs = list(requirement.specifier)
        assert len(specs) == 1 and specs[0].operator == "==", f"{path.name}: not pinned: {raw}"
        pins[requirement.name.lower()] = specs[0].version
    return pins, other


def _repository() -> str:
    lines = [line.strip() for line in (BINDER / "REPOSITORY").read_text().splitlines()
             if line.strip() and not line.lstrip().startswith("#")]
    assert len(lines) == 1, f"binder/REPOSITORY must hold one owner/name line; got {lines}"
    return lines[0]


def _r2d_base_env() -> Path:
    """repo2docker's lock file of the conda environment it builds for runtime.txt's Python."""
    spec = importlib.util.find_spec("repo2docker")  # found, not imported (import warns)
    assert spec and spec.origin, "repo2docker is not installed: pip install -r requirements-dev.txt"
    version = (BINDER / "runtime.txt").read_text().strip().removeprefix("python-")
    return (Path(spec.origin).parent / "buildpacks" / "conda"
            / f"environment.py-{version}-linux-64.lock")


# --------------------------------------------------------------------------------------------
def _apt_packages() -> list[str]:
    return [line.strip() for line in (BINDER / "apt.txt").read_text().splitlines()
            if line.strip() and not line.lstrip().startswith("#")]


def test_binder_files():
    """binder/ holds runtime.txt (Python 3.11), requirements.txt and apt.txt (the CJK font);
    nothing that would make repo2docker ignore them (environment.yml) or that is not needed
    (postBuild)."""
    assert (BINDER / "runtime.txt").read_text().strip() == "python-3.11"
    assert (BINDER / "requirements.txt").is_file()
    assert _apt_packages() == APT_PACKAGES
    ci = (ROOT / ".ci" / "run").read_text()
    assert all(package in ci for package in APT_PACKAGES), ".ci/run must install them too"
    for name in ("environment.yml", "environment.yaml", "Pipfile", "postBuild",
                 "Dockerfile", "setup.py", "install.R", "default.nix"):
        assert not (BINDER / name).exists(), f"binder/{name} would change how Binder builds"
    # With binder/ present, repo2docker ignores the top level, but an environment.yml there
    # would still confuse a reader: there is none.
    assert not (ROOT / "environment.yml").exists()


def test_binder_pins_agree_with_requirements_txt():
    """Same pins as requirements.txt, except torch's CPU build (+cpu) from PyTorch's CPU index,
    plus the package itself (-e .) and the Binder-only pins."""
    top, top_other = _pins(ROOT / "requirements.txt")
    binder, binder_other = _pins(BINDER / "requirements.txt")
    assert not top_other, f"requirements.txt has option lines: {top_other}"
    assert binder.pop("torch") == top.pop("torch").split("+")[0] + "+cpu"
    assert {name: v for name, v in binder.items() if name not in BINDER_ONLY} == top
    assert set(binder) - set(top) <= BINDER_ONLY
    assert f"--extra-index-url {CPU_INDEX}" in binder_other
    assert "-e ." in binder_other
    assert not [line for line in binder_other if line.startswith("--index-url")], (
        "--index-url would replace PyPI; the CPU index must come as an extra index")


def test_repo2docker_renders_python_buildpack_with_binder_requirements():
    """repo2docker picks its Python build pack for this repository, Python 3.11, and its
    Dockerfile pip-installs binder/requirements.txt after copying the repository (for -e .)."""
    picked = subprocess.run(
        [sys.executable, "-c",
         "from repo2docker.app import Repo2Docker\n"
         "r2d = Repo2Docker()\n"
         "bp = next(bp for bp in (BP(base_image=r2d.base_image) for BP in r2d.buildpacks)\n"
         "          if bp.detect())\n"
         "print(type(bp).__name__, bp.python_version, bp.binder_dir)"],
        cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert picked.returncode == 0, picked.stderr
    assert picked.stdout.split() == ["PythonBuildPack", "3.11", "binder"], picked.stdout

    started = time.perf_counter()
    rendered = subprocess.run(
        [sys.executable, "-m", "repo2docker", "--no-build", "--debug",
         "--user-id", "1000", "--user-name", "jovyan", str(ROOT)],
        capture_output=True, text=True, timeout=300)
    seconds = time.perf_counter() - started
    assert rendered.returncode == 0, rendered.stderr[-3000:]
    dockerfile, log = rendered.stdout, rendered.stderr
    assert dockerfile.startswith("\nFROM ") or dockerfile.lstrip().startswith("FROM ")
    assert "Building conda environment for python=3.11" in log, log
    # the conda base environment is the one for Python 3.11 (file names are escaped: -2e = .)
    assert "environment-2epy-2d3-2e11-2dlinux-2d64-2elock" in dockerfile
    pip_step = ('RUN ${KERNEL_PYTHON_PREFIX}/bin/pip install --no-cache-dir '
                '-r "binder/requirements.txt"')
    assert pip_step in dockerfile, dockerfile
    copy_repo = "COPY --chown=1000:1000 src/ ${REPO_DIR}/"
    assert copy_repo in dockerfile, dockerfile
    assert dockerfile.index(copy_repo) < dockerfile.index(pip_step), (
        "binder/requirements.txt has '-e .': it must be installed after the repository is copied")
    assert "src/requirements.txt" not in dockerfile, "the top-level requirements.txt is used"
    # binder/ contributes requirements.txt (copied) and apt.txt (read when rendering), no
    # postBuild or other scripts
    assert set(re.findall(r"src/binder/(\S+)", dockerfile)) == {"requirements.txt"}
    apt_step = ("apt-get install --yes --no-install-recommends "
                + " ".join(sorted(APT_PACKAGES)) + " &&")
    assert apt_step in dockerfile, dockerfile
    print(f"repo2docker --no-build rendered the Dockerfile in {seconds:.1f} s")


@pytest.mark.parametrize("name", BADGES)
def test_readme_binder_badge_launches_jupyterlab_on_notebook_01(name):
    """README.md's badge opens JupyterLab on notebooks/01_data.ipynb of binder/REPOSITORY,
    README.zh-CN.md's on notebooks/zh/01_data.ipynb."""
    repository = _repository()
    assert re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9-]*/[A-Za-z0-9._-]+", repository), repository
    alt, notebook = BADGES[name]
    launch = f"https://mybinder.org/v2/gh/{repository}/HEAD?urlpath=lab/tree/{notebook}"
    readme = (ROOT / name).read_text()
    badge = f"[![{alt}](https://mybinder.org/badge_logo.svg)]({launch})"
    assert badge in readme, f"{name} lacks the badge {badge}"
    others = set(re.findall(r"mybinder\.org/v2/gh/([^/\s)]+/[^/\s)]+)/", readme))
    assert others == {repository}, f"{name} links to Binder for {others}, not {repository}"


def test_the_badges_notebooks_exist():
    """The English badge's notebook exists; the Chinese one once notebooks/zh/ has any."""
    assert (ROOT / BADGES["README.md"][1]).is_file()
    chinese = ROOT / BADGES["README.zh-CN.md"][1]
    if any(chinese.parent.glob("*.ipynb")):
        assert chinese.is_file()


@pytest.mark.network
@pytest.mark.slow
@pytest.mark.timeout(INSTALL_TIMEOUT_S + 60)
def test_binder_requirements_install_into_a_fresh_venv(tmp_path, capsys):
    """What Binder's pip step does: into a new venv that already holds the Jupyter packages
    of repo2docker's base environment, install binder/requirements.txt from the repository
    root; then torch is the CPU build, the package imports, the widget extensions are there,
    and `pip check` finds no conflict."""
    repo = tmp_path / "repo"  # a copy: an editable install writes build files into the tree
    repo.mkdir()
    for name in ("binder", "linreg_helpers"):
        shutil.copytree(ROOT / name, repo / name,
                        ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, repo / name)
    venv = tmp_path / "venv"
    python = venv / "bin" / "python"
    # Jupyter packages repo2docker's base environment already has before the pip step.
    lock = _r2d_base_env().read_text()
    base = []
    for name in ("jupyterlab", "notebook", "jupyter_server", "ipykernel", "ipywidgets"):
        found = re.search(rf"/{name}-(\d[^-/]*)-[^-/]+\.conda", lock)
        assert found, f"{name} not in {_r2d_base_env().name}"
        base.append(f"{name}=={found.group(1)}")
    # --retries 0: PyPI's mirror answers at once, but download.pytorch.org may be
    # unreachable (then pip takes torch's +cpu wheel from its find-links, if configured).
    # This venv's own matplotlib must not write its font cache (with paths into this
    # temporary venv) where the project's matplotlib of the same version reads it.
    env = {**os.environ, "MPLCONFIGDIR": str(tmp_path / "mplconfig")}
    pip = [str(python), "-m", "pip", "install", "--no-cache-dir", "--retries", "0",
           "--disable-pip-version-check", "--quiet"]
    try:
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
        steps = [("base", pip + base), ("binder", pip + ["-r", "binder/requirements.txt"])]
        seconds = {}
        for what, command in steps:
            t0 = time.perf_counter()
            result = subprocess.run(command, cwd=repo, capture_output=True, text=True,
                                    timeout=INSTALL_TIMEOUT_S, env=env)
            seconds[what] = time.perf_counter() - t0
            assert result.returncode == 0, (
                f"pip install ({what}) failed:\n{result.stdout[-2000:]}\n{result.stderr[-4000:]}")
        total = time.perf_counter() - started

        check = subprocess.run([str(python), "-m", "pip", "check"], capture_output=True,
                               text=True, timeout=120, env=env)
        assert check.returncode == 0, f"pip check:\n{check.stdout}{check.stderr}"
        probe = subprocess.run(
            [str(python), "-c",
             "import json, sys, torch, numpy, matplotlib, jupyterlab, ipywidgets, PIL\n"
             "import linreg_helpers\n"
             "print(json.dumps({'python': '%d.%d' % sys.version_info[:2],\n"
             "  'torch': torch.__version__, 'cuda': torch.version.cuda,\n"
             "  'jupyterlab': jupyterlab.__version__, 'helpers': linreg_helpers.__file__}))"],
            cwd=tmp_path, capture_output=True, text=True, timeout=300, env=env)
        assert probe.returncode == 0, probe.stderr[-3000:]
        info = json.loads(probe.stdout.strip().splitlines()[-1])
        assert info["python"] == "3.11"
        top, _ = _pins(ROOT / "requirements.txt")
        assert info["torch"] == top["torch"] + "+cpu" and info["cuda"] is None, info
        assert info["jupyterlab"] == top["jupyterlab"], info
        assert Path(info["helpers"]).resolve().is_relative_to(repo.resolve()), (
            f"linreg_helpers should be the editable install of the repository: {info}")
        extensions = venv / "share" / "jupyter" / "labextensions"
        extension = "@jupyter-widgets/jupyterlab-manager"  # all the live figures need
        assert (extensions / extension / "package.json").is_file(), f"{extension} missing"
        size = sum(f.stat().st_size for f in venv.rglob("*") if f.is_file()) / 1e9
        with capsys.disabled():
            print(f"\n[binder benchmark] fresh venv + binder/requirements.txt: {total:.0f} s "
                  f"(base Jupyter packages {seconds['base']:.0f} s, binder requirements "
                  f"{seconds['binder']:.0f} s); environment {size:.2f} GB")
    finally:
        shutil.rmtree(tmp_path, ignore_errors=True)  # ~1.5 GB: do not keep it around
