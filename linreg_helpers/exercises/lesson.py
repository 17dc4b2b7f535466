"""Self-checks for the exercises of the lesson itself: notebooks 01–05 (Part 1).

Each ``check_*`` function prints one line — a pass, a hint, or "not attempted yet" — and
returns True only for a right answer. None of them raises: an unattempted exercise (its
variable still ``...`` or ``None``) just says so, so "Run All" stays green. The messages come
from :mod:`linreg_helpers.i18n`, in the language of ``set_language`` (English by default).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping, Sequence
from typing import Any, Optional

import torch

from linreg_helpers.data import lesson_data
from linreg_helpers.exercises.report import (
    borrowed,
    check_function,
    check_int_answer,
    report_hint,
    report_pass,
    unattempted,
    watching,
)
from linreg_helpers.i18n import text
from linreg_helpers.model import seeded_model
from linreg_helpers.settings import as_number
from linreg_helpers.training import run_epoch, run_loop, train


def check_column_tensor(tensor: Any, expected: Sequence[float],
                        name: Optional[str] = None) -> bool:
    """A (N, 1) float32 tensor holding ``expected`` in order (``name``: default "your tensor")."""
    name = text("check.column.your_tensor") if name is None else name
    if unattempted(tensor, text("check.column.todo", name=name)):
        return False
    if not isinstance(tensor, torch.Tensor):
        return report_hint("check.column.not_tensor", name=name, type=type(tensor).__name__)
    n = len(expected)
    if tuple(tensor.shape) != (n, 1):
        advice = text("check.column.reshape") if tensor.ndim == 1 else ""
        return report_hint("check.column.shape", name=name, shape=tuple(tensor.shape), n=n,
                           hint=advice)
    if tensor.dtype != torch.float32:
        return report_hint("check.column.dtype", name=name, dtype=tensor.dtype)
    if not torch.equal(tensor, torch.tensor(expected, dtype=torch.float32).reshape(n, 1)):
        return report_hint("check.column.values", name=name, expected=list(expected))
    return report_pass("check.column.pass", name=name, n=n)


def check_dtype_answer(answer: Any, data: Any) -> bool:
    """What dtype ``torch.tensor(data)`` has, computed here rather than shown in the notebook."""
    expression = f"torch.tensor({data!r})"
    if unattempted(answer, text("check.dtype.todo")):
        return False
    if not isinstance(answer, torch.dtype):
        return report_hint("check.dtype.not_dtype", answer=answer)
    expected = torch.tensor(data).dtype
    if answer != expected:
        return report_hint("check.dtype.wrong", expression=expression, answer=answer)
    return report_pass("check.dtype.pass", expression=expression, expected=expected)


def check_linear_shapes(layer: Any, in_features: int, out_features: int) -> bool:
    """An ``nn.Linear(in_features, out_features)`` with a bias."""
    todo = text("check.linear.todo", in_features=in_features, out_features=out_features)
    if unattempted(layer, todo):
        return False
    if not isinstance(layer, torch.nn.Linear):
        return report_hint("check.linear.not_linear", type=type(layer).__name__)
    if (layer.in_features, layer.out_features) != (in_features, out_features):
        return report_hint("check.linear.features", got_in=layer.in_features,
                     got_out=layer.out_features, in_features=in_features,
                     out_features=out_features)
    if layer.bias is None:
        return report_hint("check.linear.no_bias")
    return report_pass("check.linear.pass", weight=tuple(layer.weight.shape),
                   bias=tuple(layer.bias.shape))


#: What computes ``layer(x)`` for the learner: the layer itself (its forward) and its function.
LAYER_CALLS = (torch.nn.Linear.forward, torch.nn.functional.linear)
#: What computes the lesson's loss for the learner: the loss module and its function.
LOSS_CALLS = (torch.nn.MSELoss.forward, torch.nn.functional.mse_loss)


def check_manual_linear(fn: Any) -> bool:
    """``fn(x, layer)`` computes what ``layer(x)`` does without calling the layer: for a layer
    with a bias, and for one built with ``bias=False`` (whose ``layer.bias`` is None)."""
    if unattempted(fn, text("check.manual.todo")):
        return False
    if not callable(fn):
        return report_hint("check.manual.not_callable")
    generator = torch.Generator().manual_seed(1)
    layer = torch.nn.Linear(3, 2)
    with torch.no_grad():
        layer.weight.copy_(torch.randn(2, 3, generator=generator))
        layer.bias.copy_(torch.randn(2, generator=generator))
    x = torch.randn(4, 3, generator=generator)
    try:
        with watching(LAYER_CALLS) as called:
            got = fn(x, layer)
    except Exception as exc:  # the learner's code: show what went wrong instead of raising
        advice = text("check.manual.transpose") if "multiplied" in str(exc) else ""
        return report_hint("check.manual.raised", error=type(exc).__name__, message=exc,
                           hint=advice)
    if called:
        return report_hint("check.function.calls", name="manual_linear", original=called[0])
    expected = layer(x)
    if not isinstance(got, torch.Tensor) or got.shape != expected.shape:
        shape = tuple(got.shape) if isinstance(got, torch.Tensor) else type(got).__name__
        return report_hint("check.manual.shape", shape=shape, hint=text("check.manual.transpose"))
    if not torch.allclose(got.detach().to(expected.dtype), expected, atol=1e-5):
        return report_hint("check.manual.numbers")
    no_bias = torch.nn.Linear(3, 2, bias=False)
    with torch.no_grad():
        no_bias.weight.copy_(layer.weight)
    try:
        got = fn(x, no_bias)
    except Exception as exc:  # typically Tensor + None
        return report_hint("check.manual.no_bias", problem=f"{type(exc).__name__}: {exc}")
    if not (isinstance(got, torch.Tensor) and got.shape == expected.shape
            and torch.allclose(got.detach().to(expected.dtype), no_bias(x), atol=1e-5)):
        return report_hint("check.manual.no_bias", problem=text("check.manual.no_bias_wrong"))
    return report_pass("check.manual.pass")


def check_sum_loss(fn: Any) -> bool:
    """``fn(y_pred, y)`` equals ``MSELoss(reduction='sum')``."""
    if unattempted(fn, text("check.sum.todo")):
        return False
    if not callable(fn):
        return report_hint("check.sum.not_callable")
    generator = torch.Generator().manual_seed(2)
    y_pred, y = torch.randn(5, 1, generator=generator), torch.randn(5, 1, generator=generator)
    try:
        with watching(LOSS_CALLS) as called:
            got = fn(y_pred, y)
    except Exception as exc:
        return report_hint("check.sum.raised", error=type(exc).__name__, message=exc)
    if called:
        return report_hint("check.function.calls", name="my_sum_loss", original=called[0])
    expected = torch.nn.MSELoss(reduction="sum")(y_pred, y)
    mean = torch.nn.MSELoss(reduction="mean")(y_pred, y)
    if isinstance(got, (int, float)):
        return report_hint("check.sum.item")
    if not isinstance(got, torch.Tensor) or got.ndim != 0:
        return report_hint("check.sum.not_scalar")
    got = got.detach().to(expected.dtype)
    if torch.allclose(got, mean):
        return report_hint("check.sum.mean")
    if not torch.allclose(got, expected):
        return report_hint("check.sum.wrong")
    return report_pass("check.sum.pass")


def check_equivalent_lr(answer: Any, *, n: int = 3, lr_sum: float = 0.05) -> bool:
    """The lr with reduction='mean' that takes the same steps as ``lr_sum`` with 'sum': lr_sum·N."""
    if unattempted(answer, text("check.lr.todo")):
        return False
    number = as_number(answer)
    if number is None:
        return report_hint("check.not_number", answer=answer)
    answer, expected = number, lr_sum * n
    if math.isclose(answer, expected, rel_tol=1e-6):
        return report_pass("check.lr.pass", n=n, expected=expected)
    if math.isclose(answer, lr_sum / n, rel_tol=1e-6):
        return report_hint("check.lr.reversed")
    return report_hint("check.lr.wrong", n=n)


#: The settings 04's Exercise 1 calls ``my_losses(lr, reduction)`` with: the exercise's, the
#: lesson's, and one that the notebook shows nowhere.
LOOP_CASES = ((0.15, "mean"), (0.05, "sum"), (0.02, "mean"))
#: The package's own loop: the learner writes it instead of calling it.
TRAINERS = (train, run_loop, run_epoch)


def check_losses_match(fn: Any) -> bool:
    """``fn(lr, reduction)``, the learner's training loop, returns the losses that
    ``train(lr=lr, reduction=reduction)`` records, for each of :data:`LOOP_CASES`, without
    calling the package's loop."""
    if unattempted(fn, text("check.losses.todo")):
        return False
    if not callable(fn):
        return report_hint("check.function.not_callable", name="my_losses")
    if borrowed(fn, "my_losses", *TRAINERS):
        return False
    for lr, reduction in LOOP_CASES:
        call = f"my_losses({lr!r}, {reduction!r})"
        try:
            with watching(TRAINERS) as called:
                losses = fn(lr, reduction)
        except Exception as exc:
            return report_hint("check.function.raised", call=call, error=type(exc).__name__,
                               message=exc)
        if called:
            return report_hint("check.losses.calls", original=called[0])
        if losses is ... or losses is None:
            return report_hint("check.losses.nothing", call=call)
        try:
            got = [float(v) for v in losses]
        except (TypeError, ValueError):
            return report_hint("check.losses.not_floats")
        expected = train(lr=lr, reduction=reduction).loss
        if len(got) != len(expected):
            return report_hint("check.losses.length", call=call, got=len(got),
                               expected=len(expected))
        if not all(math.isclose(a, b, rel_tol=1e-4, abs_tol=1e-6) for a, b in zip(got, expected)):
            return report_hint("check.losses.numbers", call=call)
    return report_pass("check.losses.pass", cases=len(LOOP_CASES))


#: 04's Exercise 1: why lr = 0.15 with the mean loss ends at the lesson's w and b. The choices
#: (in the notebook): a — the mean loss is smaller; b — its gradient is 3 times smaller, and the
#: 3 times larger lr makes the same steps; c — lr = 0.15 is nearer the stability limit.
SAME_STEPS_CHOICES = {"a": "check.why.smaller_loss", "b": None, "c": "check.why.faster"}


def check_same_steps_reason(answer: Any) -> bool:
    """The letter of the reason why (mean, lr = 0.15) and (sum, lr = 0.05) train alike."""
    if unattempted(answer, text("check.why.todo")):
        return False
    letter = answer.strip().lower().strip("().") if isinstance(answer, str) else None
    if letter not in SAME_STEPS_CHOICES:
        return report_hint("check.why.not_a_choice", answer=answer)
    hint = SAME_STEPS_CHOICES[letter]
    return report_hint(hint) if hint else report_pass("check.why.pass")


EPOCH_STEPS = ("forward", "loss", "zero_grad", "backward", "step")


def check_epoch_order(steps: Any, *, unlike_lesson: bool = False) -> bool:
    """The calls of one epoch in a valid order (with ``unlike_lesson``, another one than
    the lesson's :data:`EPOCH_STEPS`, which notebook 05 shows just above its exercise).

    forward → loss → backward → step is fixed; zero_grad() may go anywhere except between
    backward() and step() (at the end of an epoch it clears the gradients for the next one).
    """
    if unattempted(steps, text("check.order.todo", steps=sorted(EPOCH_STEPS))):
        return False
    if not isinstance(steps, (list, tuple)) or sorted(map(str, steps)) != sorted(EPOCH_STEPS):
        return report_hint("check.order.each_once", steps=sorted(EPOCH_STEPS))
    order = list(steps)
    rules = [("forward", "loss", "check.order.forward_loss"),
             ("loss", "backward", "check.order.loss_backward"),
             ("backward", "step", "check.order.backward_step")]
    for first, then, why in rules:
        if order.index(first) > order.index(then):
            return report_hint(why)
    if order.index("backward") < order.index("zero_grad") < order.index("step"):
        return report_hint("check.order.zero_grad")
    if unlike_lesson and tuple(map(str, order)) == EPOCH_STEPS:
        return report_hint("check.order.lesson")
    return report_pass("check.order.pass", order=" → ".join(order))


#: The lesson's terms and the English words the glossary of notebook 05 gives for them.
GLOSSARY: dict[str, tuple[str, ...]] = {
    "学习率": ("learning rate",),
    "梯度": ("gradient",),
    "偏置": ("bias",),
    "轮次": ("epoch",),
    "优化器": ("optimizer", "optimiser"),
    "反向传播": ("backpropagation", "backward propagation", "back propagation"),
    "损失": ("loss",),
    "权重": ("weight",),
    "标量": ("scalar",),
    "收敛": ("converge", "convergence"),
    "实例化": ("instantiate", "instantiation"),
    "继承": ("inherit", "inheritance"),
}


def check_glossary(answers: Any, terms: Sequence[str]) -> bool:
    """A dict Chinese term → English word, compared case-insensitively with :data:`GLOSSARY`."""
    if unattempted(answers, text("check.glossary.todo")):
        return False
    if not isinstance(answers, Mapping):
        return report_hint("check.glossary.not_dict")
    wrong = [term for term in terms
             if not _glossary_word(str(answers.get(term, "")).strip().lower(), GLOSSARY[term])]
    if wrong:
        return report_hint("check.glossary.wrong", wrong=len(wrong), total=len(terms),
                     terms=", ".join(wrong))
    return report_pass("check.glossary.pass", total=len(terms))


def _glossary_word(word: str, accepted: Sequence[str]) -> bool:
    """``word`` is one of ``accepted``, in the singular or the plural ("epochs", "biases")."""
    singular = word[:-2] if word.endswith("ses") else word[:-1] if word.endswith("s") else word
    return word in accepted or singular in accepted


def check_parameter_count(answer: Any, in_features: int, out_features: int) -> bool:
    """How many numbers ``nn.Linear(in_features, out_features)`` learns (weights plus biases)."""
    with torch.random.fork_rng(devices=[]):  # building a layer draws random numbers
        layer = torch.nn.Linear(in_features, out_features)
    expected = sum(p.numel() for p in layer.parameters())
    question = text("check.count.question", in_features=in_features, out_features=out_features)
    return check_int_answer(answer, expected, question, text("check.count.hint"))


def check_grad_w(fn: Any) -> bool:
    """``fn(w, b)`` is ∂L/∂w of the summed loss on the lesson's data, by the formula: checked
    with autograd, which ``fn`` itself may not call."""
    x, y = lesson_data()

    def autograd_grad_w(w: float, b: float) -> float:
        w_param = torch.tensor(float(w), requires_grad=True)
        ((w_param * x + b - y) ** 2).sum().backward()
        return w_param.grad.item()

    cases = [(0.0, 0.0), (2.0, 0.0), (1.0, 0.5), (-0.5, 2.0)]
    autograd = (torch.Tensor.backward, torch.autograd.backward, torch.autograd.grad)
    return check_function(fn, autograd_grad_w, cases, "grad_w", originals=autograd)


def check_epochs_to_prediction(
    answer: Any, *, x: float = 4.0, target: float = 8.0, within: float = 0.01
) -> bool:
    """The fewest epochs of the lesson's setting after which ŷ(x) is within ``within`` of target."""
    question = text("check.prediction.question", x=x, within=within, target=target)
    return check_int_answer(answer, _epochs_to_prediction(x, target, within), question,
                            text("check.prediction.hint"))


@functools.lru_cache(maxsize=16)
def _epochs_to_prediction(x: float, target: float, within: float) -> int:
    run = train(epochs=1000)
    return next(e + 1 for e, (w, b) in enumerate(zip(run.weight, run.bias))
                if abs(w * x + b - target) < within)




def check_steered_run(history: Any, *, switch_at: int = 20, lr: float = 0.05,
                      new_lr: float = 0.02, epochs: int = 51) -> bool:
    """The ``history`` of a run of ``epochs`` whose lr went from ``lr`` to ``new_lr`` after
    ``switch_at`` epochs, the optimizer kept (e.g. ``dashboard.step(20)``, then the lr slider,
    then ``dashboard.step(31)``), against a hand-written loop that sets
    ``optimizer.param_groups[0]["lr"]`` at that epoch."""
    if unattempted(history, text("check.steered.todo")):
        return False
    losses = getattr(history, "loss", None)
    if not isinstance(losses, list):
        return report_hint("check.steered.not_history", type=type(history).__name__)
    if len(losses) != epochs:
        return report_hint("check.steered.length", got=len(losses), epochs=epochs)
    if _close(losses, train(lr=lr, epochs=epochs).loss):
        return report_hint("check.steered.not_steered", lr=lr, new_lr=new_lr)
    if _close(losses, train(lr=new_lr, epochs=epochs).loss):
        return report_hint("check.steered.restarted", new_lr=new_lr)
    if not _close(losses, _steered_losses(switch_at, lr, new_lr, epochs)):
        return report_hint("check.steered.wrong", switch_at=switch_at, new_lr=new_lr)
    return report_pass("check.steered.pass", switch_at=switch_at, lr=lr, new_lr=new_lr)


def _close(got: Sequence[float], want: Sequence[float]) -> bool:
    return all(math.isclose(a, b, rel_tol=1e-4, abs_tol=1e-6) for a, b in zip(got, want))


@functools.lru_cache(maxsize=16)
def _steered_losses(switch_at: int, lr: float, new_lr: float, epochs: int) -> tuple[float, ...]:
    """The lesson's loop written out, setting the lr in place before epoch ``switch_at``."""
    x, y = lesson_data()
    model = seeded_model(0)
    criterion = torch.nn.MSELoss(reduction="sum")
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    losses = []
    for epoch in range(epochs):
        if epoch == switch_at:
            optimizer.param_groups[0]["lr"] = new_lr
        loss = criterion(model(x), y)
        losses.append(loss.item())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return tuple(losses)


def check_epochs_to_settle(answer: Any, *, lr: float = 0.055, within: float = 0.05) -> bool:
    """The epoch at ``lr`` from which on |w − 2| stays below ``within``, counted as the cursor
    and the lesson's log count them (from 0; w after that epoch's step): the lesson's data and
    start, and "stays" for every later epoch of a long run."""
    question = text("check.settle.question", lr=lr, within=within)
    return check_int_answer(answer, _epochs_to_settle(lr, within), question,
                            text("check.settle.hint"))


@functools.lru_cache(maxsize=16)
def _epochs_to_settle(lr: float, within: float) -> int:
    far = [e for e, w in enumerate(train(lr=lr, epochs=1000).weight) if abs(w - 2.0) >= within]
    return far[-1] + 1 if far else 0  # weight[e]: w after epoch e's step (the cursor's epoch e)
