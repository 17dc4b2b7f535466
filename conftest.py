"""Root pytest configuration: loaded by every run from this folder (tests and notebooks).

It loads ``tools/nbval_floats.py``, the extension of nbval that lets stored floats differ
from a fresh run by round-off (float32 differs in its last bits between CPUs).
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "tools"))

pytest_plugins = ["nbval_floats"]
