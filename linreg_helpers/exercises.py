"""Self-checks for the notebooks' exercises.

Each ``check_*`` function prints one line — a pass, a hint, or "not attempted yet" — and
returns True only for a right answer. None of them raises: an unattempted exercise (its
variable still ``...`` or ``None``) just says so, so "Run All" stays green. The messages come
from :mod:`linreg_helpers.messages`, in the language of ``set_language`` (English by default).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Optional

import numpy as np
import torch

from linreg_helpers.analysis import (
    closed_form,
    condition_number,
    contraction_factors,
    max_stable_lr,
)
from linreg_helpers.data import lesson_data
from linreg_helpers.i18n import text
from linreg_helpers.settings import OPTIMIZERS, as_number, as_whole_number
from linreg_helpers.training import train


def _report(ok: bool, message: str) -> bool:
    print(text("check.line", verdict=text("check.pass" if ok else "check.hint"), message=message))
    return ok


def _hint(key: str, **values: Any) -> bool:
    """Print the hint ``key`` (a message of linreg_helpers.messages); False."""
    return _report(False, text(key, **values))


def _passed(key: str, **values: Any) -> bool:
    """Print the pass ``key``; True."""
    return _report(True, text(key, **values))


def _unattempted(value: Any, what: str) -> bool:
    if value is ... or value is None:
        print(text("check.line", verdict=text("check.todo"),
                   message=text("check.todo.message", what=what)))
        return True
    return False


def check_column_tensor(tensor: Any, expected: Sequence[float],
                        name: Optional[str] = None) -> bool:
    """A (N, 1) float32 tensor holding ``expected`` in order (``name``: default "your tensor")."""
    name = text("check.column.your_tensor") if name is None else name
    if _unattempted(tensor, text("check.column.todo", name=name)):
        return False
    if not isinstance(tensor, torch.Tensor):
        return _hint("check.column.not_tensor", name=name, type=type(tensor).__name__)
    n = len(expected)
    if tuple(tensor.shape) != (n, 1):
        hint = text("check.column.reshape") if tensor.ndim == 1 else ""
        return _hint("check.column.shape", name=name, shape=tuple(tensor.shape), n=n, hint=hint)
    if tensor.dtype != torch.float32:
        return _hint("check.column.dtype", name=name, dtype=tensor.dtype)
    if not torch.equal(tensor, torch.tensor(expected, dtype=torch.float32).reshape(n, 1)):
        return _hint("check.column.values", name=name, expected=list(expected))
    return _passed("check.column.pass", name=name, n=n)


def check_dtype_answer(answer: Any, data: Any) -> bool:
    """What dtype ``torch.tensor(data)`` has, computed here rather than shown in the notebook."""
    expression = f"torch.tensor({data!r})"
    if _unattempted(answer, text("check.dtype.todo")):
        return False
    if not isinstance(answer, torch.dtype):
        return _hint("check.dtype.not_dtype", answer=answer)
    expected = torch.tensor(data).dtype
    if answer != expected:
        return _hint("check.dtype.wrong", expression=expression, answer=answer)
    return _passed("check.dtype.pass", expression=expression, expected=expected)


def check_linear_shapes(layer: Any, in_features: int, out_features: int) -> bool:
    """An ``nn.Linear(in_features, out_features)`` with a bias."""
    todo = text("check.linear.todo", in_features=in_features, out_features=out_features)
    if _unattempted(layer, todo):
        return False
    if not isinstance(layer, torch.nn.Linear):
        return _hint("check.linear.not_linear", type=type(layer).__name__)
    if (layer.in_features, layer.out_features) != (in_features, out_features):
        return _hint("check.linear.features", got_in=layer.in_features,
                     got_out=layer.out_features, in_features=in_features,
                     out_features=out_features)
    if layer.bias is None:
        return _hint("check.linear.no_bias")
    return _passed("check.linear.pass", weight=tuple(layer.weight.shape),
                   bias=tuple(layer.bias.shape))


def check_manual_linear(fn: Any) -> bool:
    """``fn(x, layer)`` computes x @ layer.weight.T + layer.bias without calling the layer."""
    if _unattempted(fn, text("check.manual.todo")):
        return False
    if not callable(fn):
        return _hint("check.manual.not_callable")
    generator = torch.Generator().manual_seed(1)
    layer = torch.nn.Linear(3, 2)
    with torch.no_grad():
        layer.weight.copy_(torch.randn(2, 3, generator=generator))
        layer.bias.copy_(torch.randn(2, generator=generator))
    x = torch.randn(4, 3, generator=generator)
    try:
        got = fn(x, layer)
    except Exception as exc:  # the learner's code: show what went wrong instead of raising
        hint = text("check.manual.transpose") if "multiplied" in str(exc) else ""
        return _hint("check.manual.raised", error=type(exc).__name__, message=exc, hint=hint)
    expected = layer(x)
    if not isinstance(got, torch.Tensor) or got.shape != expected.shape:
        shape = tuple(got.shape) if isinstance(got, torch.Tensor) else type(got).__name__
        return _hint("check.manual.shape", shape=shape, hint=text("check.manual.transpose"))
    if not torch.allclose(got.detach().to(expected.dtype), expected, atol=1e-5):
        return _hint("check.manual.numbers")
    return _passed("check.manual.pass")


def check_sum_loss(fn: Any) -> bool:
    """``fn(y_pred, y)`` equals ``MSELoss(reduction='sum')``."""
    if _unattempted(fn, text("check.sum.todo")):
        return False
    if not callable(fn):
        return _hint("check.sum.not_callable")
    generator = torch.Generator().manual_seed(2)
    y_pred, y = torch.randn(5, 1, generator=generator), torch.randn(5, 1, generator=generator)
    try:
        got = fn(y_pred, y)
    except Exception as exc:
        return _hint("check.sum.raised", error=type(exc).__name__, message=exc)
    expected = torch.nn.MSELoss(reduction="sum")(y_pred, y)
    mean = torch.nn.MSELoss(reduction="mean")(y_pred, y)
    if isinstance(got, (int, float)):
        return _hint("check.sum.item")
    if not isinstance(got, torch.Tensor) or got.ndim != 0:
        return _hint("check.sum.not_scalar")
    got = got.detach().to(expected.dtype)
    if torch.allclose(got, mean):
        return _hint("check.sum.mean")
    if not torch.allclose(got, expected):
        return _hint("check.sum.wrong")
    return _passed("check.sum.pass")


def check_equivalent_lr(answer: Any, *, n: int = 3, lr_sum: float = 0.05) -> bool:
    """The lr with reduction='mean' that takes the same steps as ``lr_sum`` with 'sum': lr_sum·N."""
    if _unattempted(answer, text("check.lr.todo")):
        return False
    number = as_number(answer)
    if number is None:
        return _hint("check.not_number", answer=answer)
    answer, expected = number, lr_sum * n
    if math.isclose(answer, expected, rel_tol=1e-6):
        return _passed("check.lr.pass", n=n, expected=expected)
    if math.isclose(answer, lr_sum / n, rel_tol=1e-6):
        return _hint("check.lr.reversed")
    return _hint("check.lr.wrong", n=n)


def check_losses_match(losses: Any, *, what: Optional[str] = None, **train_kwargs: Any) -> bool:
    """A list of per-epoch losses equal to ``train(**train_kwargs).loss``.

    ``what`` names the learner's code in the message (default: "your loop").
    """
    if _unattempted(losses, text("check.losses.todo")):
        return False
    what = text("check.losses.your_loop") if what is None else what
    expected = train(**train_kwargs).loss
    try:
        got = [float(v) for v in losses]
    except (TypeError, ValueError):
        return _hint("check.losses.not_floats")
    if len(got) != len(expected):
        return _hint("check.losses.length", what=what, got=len(got), expected=len(expected))
    if not all(math.isclose(a, b, rel_tol=1e-4, abs_tol=1e-6) for a, b in zip(got, expected)):
        return _hint("check.losses.numbers")
    settings = ", ".join(f"{k}={v!r}" for k, v in train_kwargs.items())
    return _passed("check.losses.pass", what=what, settings=settings)


def check_int_answer(answer: Any, expected: int, question: str, hint: str) -> bool:
    """A whole-number answer such as an epoch count."""
    if _unattempted(answer, text("check.int.todo")):
        return False
    whole = as_whole_number(answer)
    if whole is None:
        return _hint("check.int.not_whole", answer=answer)
    if whole != expected:
        return _hint("check.int.high" if whole > expected else "check.int.low", answer=whole,
                     hint=hint)
    return _passed("check.int.pass", question=question, expected=expected)


EPOCH_STEPS = ("forward", "loss", "zero_grad", "backward", "step")


def check_epoch_order(steps: Any) -> bool:
    """The calls of one epoch in a valid order.

    forward → loss → backward → step is fixed; zero_grad() may go anywhere except between
    backward() and step() (at the end of an epoch it clears the gradients for the next one).
    """
    if _unattempted(steps, text("check.order.todo", steps=sorted(EPOCH_STEPS))):
        return False
    if not isinstance(steps, (list, tuple)) or sorted(map(str, steps)) != sorted(EPOCH_STEPS):
        return _hint("check.order.each_once", steps=sorted(EPOCH_STEPS))
    order = list(steps)
    rules = [("forward", "loss", "check.order.forward_loss"),
             ("loss", "backward", "check.order.loss_backward"),
             ("backward", "step", "check.order.backward_step")]
    for first, then, why in rules:
        if order.index(first) > order.index(then):
            return _hint(why)
    if order.index("backward") < order.index("zero_grad") < order.index("step"):
        return _hint("check.order.zero_grad")
    return _passed("check.order.pass", order=" → ".join(order))


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
    if _unattempted(answers, text("check.glossary.todo")):
        return False
    if not isinstance(answers, Mapping):
        return _hint("check.glossary.not_dict")
    wrong = [term for term in terms
             if str(answers.get(term, "")).strip().lower() not in GLOSSARY[term]]
    if wrong:
        return _hint("check.glossary.wrong", wrong=len(wrong), total=len(terms),
                     terms=", ".join(wrong))
    return _passed("check.glossary.pass", total=len(terms))


def check_function(
    fn: Any, reference: Callable[..., Any], cases: Sequence[tuple], name: str
) -> bool:
    """A learner's function agrees with ``reference`` on every argument tuple in ``cases``."""
    if _unattempted(fn, text("check.function.todo", name=name)):
        return False
    if not callable(fn):
        return _hint("check.function.not_callable", name=name)
    for args in cases:
        call = f"{name}{args}"
        try:
            got = fn(*args)
        except Exception as exc:
            return _hint("check.function.raised", call=call, error=type(exc).__name__,
                         message=exc)
        number = as_number(got)
        if number is None:
            what = text("check.function.nothing") if got is None else repr(got)[:60]
            return _hint("check.function.not_number", call=call, what=what)
        want = float(reference(*args))
        if not math.isclose(number, want, rel_tol=1e-4, abs_tol=1e-6):
            return _hint("check.function.wrong", call=call, got=number, want=want)
    return _passed("check.function.pass", name=name, cases=len(cases))


def check_parameter_count(answer: Any, in_features: int, out_features: int) -> bool:
    """How many numbers ``nn.Linear(in_features, out_features)`` learns (weights plus biases)."""
    with torch.random.fork_rng(devices=[]):  # building a layer draws random numbers
        layer = torch.nn.Linear(in_features, out_features)
    expected = sum(p.numel() for p in layer.parameters())
    question = text("check.count.question", in_features=in_features, out_features=out_features)
    return check_int_answer(answer, expected, question, text("check.count.hint"))


def check_grad_w(fn: Any) -> bool:
    """``fn(w, b)`` is ∂L/∂w of the summed loss on the lesson's data (checked with autograd)."""
    x, y = lesson_data()

    def autograd_grad_w(w: float, b: float) -> float:
        w_param = torch.tensor(float(w), requires_grad=True)
        ((w_param * x + b - y) ** 2).sum().backward()
        return w_param.grad.item()

    cases = [(0.0, 0.0), (2.0, 0.0), (1.0, 0.5), (-0.5, 2.0)]
    return check_function(fn, autograd_grad_w, cases, "grad_w")


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


STABLE_LR_CASES = [([[1.0], [2.0], [3.0]],), ([[0.5], [1.0], [4.0], [6.0]],), ([[-2.0], [2.0]],),
                   ([[10.0]],)]


def check_max_stable_lr(fn: Any) -> bool:
    """``fn(x)`` is 2/λmax of the summed loss's Hessian for inputs x (as ``max_stable_lr``)."""
    return check_function(fn, max_stable_lr, STABLE_LR_CASES, "my_max_stable_lr")


def check_flat_epochs(answer: Any, *, lr: float = 0.05, share: float = 0.01) -> bool:
    """The fewest epochs after which the flat-axis distance is below ``share`` of its start."""
    factor, n = abs(float(contraction_factors(lr)[0])), 1
    while factor ** n >= share:
        n += 1
    return check_int_answer(answer, n, text("check.flat.question", share=share),
                            text("check.flat.hint"))


def check_centred_condition_number(fn: Any) -> bool:
    """``fn(x)`` is the condition number of the summed loss's Hessian for the centred inputs."""
    def centred(x: Any) -> float:
        column = np.asarray(x, dtype=float)
        return condition_number(column - column.mean())

    cases = [([[1.0], [2.0], [3.0]],), ([[0.5], [1.0], [4.0], [6.0]],), ([[10.0], [11.0], [12.0]],),
             ([[-3.0], [0.0], [8.0]],)]
    return check_function(fn, centred, cases, "centred_condition_number")


def check_optimizer_swap(model: Any, optimizer: Any, epochs: Any, *, max_epochs: int = 500,
                         tol: float = 1e-3) -> bool:
    """Another optimizer than SGD trained ``model`` to within ``tol`` of least squares."""
    if (_unattempted(model, text("check.swap.todo_model"))
            or _unattempted(optimizer, text("check.swap.todo_optimizer"))):
        return False
    if not isinstance(optimizer, torch.optim.Optimizer):
        return _hint("check.swap.not_optimizer", type=type(optimizer).__name__)
    name = type(optimizer).__name__
    if isinstance(optimizer, torch.optim.SGD):
        return _hint("check.swap.sgd")
    linear = getattr(model, "linear", None)
    if not isinstance(linear, torch.nn.Linear) or linear.weight.numel() != 1:
        return _hint("check.swap.not_lesson_model")
    trained = {id(p) for group in optimizer.param_groups for p in group["params"]}
    if not {id(linear.weight), id(linear.bias)} <= trained:
        return _hint("check.swap.not_held")
    n = as_whole_number(epochs)
    if n is None or not 1 <= n <= max_epochs:
        return _hint("check.swap.epochs", max_epochs=max_epochs, epochs=epochs)
    steps = optimizer.state.get(linear.weight, {}).get("step")  # LBFGS counts inner iterations
    if steps is not None and not isinstance(optimizer, torch.optim.LBFGS) and int(steps) != n:
        return _hint("check.swap.steps", steps=int(steps), n=n)
    w, b = linear.weight.item(), linear.bias.item()
    w_star, b_star = closed_form()
    lr = optimizer.param_groups[0]["lr"]
    ok = abs(w - w_star) <= tol and abs(b - b_star) <= tol
    w, b = (round(v, 4) + 0.0 for v in (w, b))  # for printing: no "-0.0000"
    values = {"name": name, "lr": lr, "w": w, "b": b, "n": n, "tol": tol}
    if not ok:
        return _hint("check.swap.far", **values)
    return _passed("check.swap.pass_one" if n == 1 else "check.swap.pass", **values)


@functools.lru_cache(maxsize=16)
def _reduction_sensitive(lr: float, tol: float) -> frozenset[str]:
    """The optimizers whose final w or b moves by more than ``tol`` between 'sum' and 'mean'."""
    def changes(name: str) -> bool:
        runs = [train(optimizer=name, lr=lr, reduction=r) for r in ("sum", "mean")]
        return any(abs(getattr(runs[0], k)[-1] - getattr(runs[1], k)[-1]) > tol
                   for k in ("weight", "bias"))

    return frozenset(name for name in OPTIMIZERS if changes(name))


def check_reduction_sensitive(answer: Any, *, lr: float = 0.05, tol: float = 1e-3) -> bool:
    """The optimizers whose final w or b moves by more than ``tol`` when 'sum' becomes 'mean'."""
    if _unattempted(answer, text("check.sensitive.todo")):
        return False
    if isinstance(answer, str) or not isinstance(answer, (list, tuple, set, frozenset)):
        return _hint("check.sensitive.not_list", answer=answer)
    by_lower = {name.lower(): name for name in OPTIMIZERS}
    unknown = [a for a in answer if str(a).lower() not in by_lower]
    if unknown:
        return _hint("check.sensitive.unknown", name=unknown[0], names=", ".join(OPTIMIZERS))
    given = {by_lower[str(a).lower()] for a in answer}
    expected = _reduction_sensitive(float(lr), float(tol))
    missing, extra = expected - given, given - expected
    if missing or extra:
        return _hint("check.sensitive.wrong", missing=len(missing), extra=len(extra))
    names = text("check.sensitive.and").join(sorted(expected))
    return _passed("check.sensitive.pass", names=names)
