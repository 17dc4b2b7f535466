"""Self-checks for the notebooks' exercises: ``from linreg_helpers.exercises import check_...``.

Each ``check_*`` prints one line — a pass, a hint, or "not attempted yet" — and returns True
only for a right answer. None of them raises: an unattempted exercise (its variable still
``...`` or ``None``) just says so, so "Run All" stays green. :mod:`.lesson` holds the checks of
notebooks 01–05, :mod:`.beyond` those of 06–09, :mod:`.report` the one way they all report.
"""

from linreg_helpers.exercises.beyond import (
    check_centred_condition_number,
    check_ddp_sum_lr,
    check_flat_epochs,
    check_iterations_per_epoch,
    check_local_batch_size,
    check_max_stable_lr,
    check_optimizer_swap,
    check_r2,
    check_reduction_sensitive,
    check_shard,
    check_standardized,
)
from linreg_helpers.exercises.lesson import (
    check_column_tensor,
    check_dtype_answer,
    check_epoch_order,
    check_epochs_to_prediction,
    check_epochs_to_settle,
    check_equivalent_lr,
    check_glossary,
    check_grad_w,
    check_linear_shapes,
    check_losses_match,
    check_manual_linear,
    check_parameter_count,
    check_same_steps_reason,
    check_steered_run,
    check_sum_loss,
)
from linreg_helpers.exercises.report import check_function, check_int_answer

__all__ = [
    "check_centred_condition_number", "check_column_tensor", "check_ddp_sum_lr",
    "check_dtype_answer", "check_epoch_order", "check_epochs_to_prediction",
    "check_epochs_to_settle", "check_steered_run",
    "check_equivalent_lr", "check_flat_epochs", "check_function", "check_glossary",
    "check_grad_w", "check_int_answer", "check_iterations_per_epoch", "check_linear_shapes",
    "check_local_batch_size", "check_losses_match", "check_manual_linear", "check_max_stable_lr",
    "check_optimizer_swap",
    "check_parameter_count", "check_r2", "check_reduction_sensitive", "check_same_steps_reason",
    "check_shard",
    "check_standardized", "check_sum_loss",
]
