"""Shared test setup: a non-interactive matplotlib backend, figure clean-up, browser fixtures."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

# The real-browser tests' fixtures (Chromium, the session's Jupyter server, the browser, a
# page), for every test module by name.
from browser_support import browser, chromium, lab, page  # noqa: E402, F401


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")
