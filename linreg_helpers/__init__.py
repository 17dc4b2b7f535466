"""Helpers for the linear-regression-with-PyTorch notebook series.

The notebooks teach; this package does the plumbing: data validation and generation
(:mod:`.data`), the lesson's model (:mod:`.model`), a reusable trainer (:mod:`.training`),
plots (:mod:`.plotting`), analysis of the loss (:mod:`.analysis`) and exercise checks
(:mod:`.exercises`).
"""

from linreg_helpers.data import as_column, check_xy, lesson_data, noisy_data
from linreg_helpers.i18n import get_language, set_language
from linreg_helpers.model import LinearModel
from linreg_helpers.training import OPTIMIZERS, REDUCTIONS, History, train

__all__ = [
    "OPTIMIZERS",
    "REDUCTIONS",
    "History",
    "LinearModel",
    "as_column",
    "check_xy",
    "get_language",
    "lesson_data",
    "noisy_data",
    "set_language",
    "train",
]
