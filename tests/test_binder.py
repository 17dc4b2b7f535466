"""Binder: the binder/ configuration renders with repo2docker, agrees with the top-level pins,
resolves (as a fresh environment would) to the versions the tests run with, installs the CJK
font of binder/apt.txt (as .ci/run does), and the badges of both READMEs (English and
Chinese) launch it.

repo2docker (the tool mybinder.org builds images with) renders the Dockerfile without Docker
with ``--no-build``; the resolution test then asks pip what that Dockerfile's pip step would
install.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
BINDER = ROOT / "binder"
CPU_INDEX = "https://download.pytorch.org/whl/cpu"
# Pins that only Binder needs (none now: notebook and voila are pinned for everyone).
BINDER_ONLY: set[str] = set()
RESOLVE_TIMEOUT_S = 600
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
    assert "-c constraints.txt" in binder_other  # every dependency's version fixed
    locked, _ = _pins(BINDER / "constraints.txt")
    assert "torch" not in locked  # torch_build.py picks torch's build per platform
    assert {name: locked.get(name) for name in top if name != "torch"} == {
        name: version for name, version in top.items() if name != "torch"}
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


def _installed() -> dict[str, str]:
    """{normalised name: version} of the packages of the environment running the tests."""
    listed = subprocess.run([sys.executable, "-m", "pip", "list", "--format", "json",
                             "--disable-pip-version-check"],
                            capture_output=True, text=True, timeout=120, check=True)
    return {canonicalize_name(p["name"]): p["version"] for p in json.loads(listed.stdout)}


@pytest.mark.network
@pytest.mark.timeout(RESOLVE_TIMEOUT_S + 60)
def test_binder_requirements_resolve_to_this_tested_environment(tmp_path, capsys):
    """What Binder's pip step would install: pip resolves binder/requirements.txt from the
    repository root as a fresh environment would (``--dry-run --ignore-installed --report``).
    The resolution is the CPU build of torch (no CUDA package), the package itself from the
    repository, and the very versions this environment holds — the environment every other
    test ran in, so the imports, the widget extension and ``pip check`` below vouch for
    Binder's too. (An install into a new venv proved the same in 200 s more.)"""
    repo = tmp_path / "repo"  # a copy: preparing the editable install writes into the tree
    repo.mkdir()
    for name in ("binder", "linreg_helpers"):
        shutil.copytree(ROOT / name, repo / name,
                        ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, repo / name)
    report = tmp_path / "report.json"
    # --retries 0: PyPI's mirror answers at once, but download.pytorch.org may be
    # unreachable (then pip takes torch's +cpu wheel from its find-links, if configured).
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--dry-run", "--ignore-installed",
         "--quiet", "--retries", "0", "--disable-pip-version-check", "--report", str(report),
         "-r", "binder/requirements.txt"],
        cwd=repo, capture_output=True, text=True, timeout=RESOLVE_TIMEOUT_S)
    seconds = time.perf_counter() - started
    assert result.returncode == 0, (
        f"pip cannot resolve binder/requirements.txt:\n{result.stdout[-2000:]}"
        f"\n{result.stderr[-4000:]}")
    resolved = {canonicalize_name(item["metadata"]["name"]): item
                for item in json.loads(report.read_text())["install"]}
    top, _ = _pins(ROOT / "requirements.txt")
    assert resolved["torch"]["metadata"]["version"] == top["torch"] + "+cpu"
    cuda = sorted(name for name in resolved if name.startswith("nvidia-") or name == "triton")
    assert not cuda, f"Binder would install CUDA packages: {cuda}"
    package = resolved[canonicalize_name("linreg_helpers")]["download_info"]
    assert package["url"] == repo.resolve().as_uri(), package
    assert package.get("dir_info", {}).get("editable"), "-e . is not an editable install"
    locked, _ = _pins(BINDER / "constraints.txt")
    unlocked = sorted(name for name in resolved if name not in locked
                      and name not in ("torch", canonicalize_name("linreg_helpers")))
    assert not unlocked, (f"binder/constraints.txt misses {unlocked}: "
                          "run .venv/bin/python tools/lock_binder.py")
    installed = _installed()
    differ = {name: (item["metadata"]["version"], installed.get(name))
              for name, item in resolved.items()
              if name != canonicalize_name("linreg_helpers")
              and installed.get(name) != item["metadata"]["version"]}
    assert not differ, (
        f"Binder would install versions this environment does not hold (binder, here): "
        f"{differ}: run make setup, or fix binder/requirements.txt")
    check = subprocess.run([sys.executable, "-m", "pip", "check"], capture_output=True,
                           text=True, timeout=120)
    assert check.returncode == 0, f"pip check:\n{check.stdout}{check.stderr}"
    extension = (Path(sys.prefix) / "share" / "jupyter" / "labextensions"
                 / "@jupyter-widgets" / "jupyterlab-manager" / "package.json")
    assert extension.is_file(), f"{extension} missing: the live figures need it"
    with capsys.disabled():
        print(f"\n[binder] binder/requirements.txt resolves to {len(resolved)} packages, "
              f"those of this environment, in {seconds:.0f} s")
