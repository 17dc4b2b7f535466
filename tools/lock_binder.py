"""Write binder/constraints.txt: the exact version of every package Binder's pip step resolves.

requirements.txt pins the packages the series uses; their own dependencies (soupsieve, filelock,
…) would float, so a release made between `make setup` and a Binder build could give Binder a
version no test ran with. The constraints file fixes them all; binder/requirements.txt and
`make setup` both install with it, and tests/test_binder.py checks that it covers Binder's
whole resolution. Run after changing a pin: ``.venv/bin/python tools/lock_binder.py``.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
LOCK = ROOT / "binder" / "constraints.txt"
# torch: its build is picked per platform by torch_build.py; linreg-helpers: this package
SKIP = {"torch", "linreg-helpers"}
HEADER = """\
# Every package Binder's pip step installs, at the version the tests ran with
# (written by tools/lock_binder.py; do not edit by hand). torch is left out: torch_build.py
# picks its build per platform. binder/requirements.txt and `make setup` install with it.
"""


def resolve() -> dict[str, str]:
    """{name: version} pip resolves for binder/requirements.txt, without the current lock."""
    lines = [f"-e {ROOT}" if line.strip() == "-e ." else line  # the package, from here
             for line in (ROOT / "binder" / "requirements.txt").read_text().splitlines()
             if not line.strip().startswith("-c ")]
    with tempfile.TemporaryDirectory() as tmp:
        requirements, report = Path(tmp) / "requirements.txt", Path(tmp) / "report.json"
        requirements.write_text("\n".join(lines) + "\n")
        subprocess.run([sys.executable, "-m", "pip", "install", "--dry-run",
                        "--ignore-installed", "--quiet", "--retries", "0",
                        "--disable-pip-version-check", "--report", str(report),
                        "-r", str(requirements)], check=True)
        items = json.loads(report.read_text())["install"]
    return {canonicalize_name(item["metadata"]["name"]): item["metadata"]["version"]
            for item in items}


def main() -> None:
    pins = {name: version for name, version in sorted(resolve().items()) if name not in SKIP}
    LOCK.write_text(HEADER + "".join(f"{name}=={version}\n" for name, version in pins.items()))
    print(f"wrote {LOCK.relative_to(ROOT)}: {len(pins)} packages")


if __name__ == "__main__":
    main()
