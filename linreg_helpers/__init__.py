"""Helpers for the linear-regression-with-PyTorch notebook series.

The notebooks teach; this package does the plumbing. The lesson's core is at the top level:
the data (:mod:`.data`), the model (:mod:`.model`), the settings and their checks
(:mod:`.settings`), the divergence rule (:mod:`.divergence`), the trainer (:mod:`.training`),
exact answers and the loss landscape (:mod:`.analysis`), the figures (:mod:`.plotting`), and,
for Part 2, :mod:`.sweep`, :mod:`.race`, :mod:`.batches`, :mod:`.realdata`. Then, by audience:

- :mod:`linreg_helpers.widgets` — the live dashboard (04) and landscape explorer (06);
- :mod:`linreg_helpers.exercises` — the exercise checks;
- :mod:`linreg_helpers.i18n` — the language, the message tables and fonts;
- the command lines: :mod:`.ddp` (``python -m linreg_helpers.ddp``), :mod:`.doctor`
  (``make doctor``) and :mod:`.torch_build` (``make setup``).

docs/architecture.md maps every module.
"""

from linreg_helpers.data import as_column, lesson_data, noisy_data, validate_xy
from linreg_helpers.i18n import get_language, set_language
from linreg_helpers.model import LinearModel
from linreg_helpers.settings import OPTIMIZERS, REDUCTIONS
from linreg_helpers.training import History, train

__all__ = [
    "OPTIMIZERS",
    "REDUCTIONS",
    "History",
    "LinearModel",
    "as_column",
    "get_language",
    "lesson_data",
    "noisy_data",
    "set_language",
    "train",
    "validate_xy",
]
