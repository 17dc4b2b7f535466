"""Self-checks for the notebooks' exercises.

Each ``check_*`` function prints one line — a pass, a hint, or "not attempted yet" — and
returns True only for a right answer. None of them raises: an unattempted exercise (its
variable still ``...`` or ``None``) just says so, so "Run All" stays green.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import torch

from linreg_helpers.analysis import (
    closed_form,
    condition_number,
    contraction_factors,
    max_stable_lr,
)
from linreg_helpers.data import lesson_data
from linreg_helpers.settings import OPTIMIZERS, as_number, as_whole_number
from linreg_helpers.training import train

PASS = "✅ Correct"
HINT = "💡 Not yet"
TODO = "⏳ Not attempted yet"


def _report(ok: bool, message: str) -> bool:
    print(f"{PASS}: {message}" if ok else f"{HINT}: {message}")
    return ok


def _unattempted(value: Any, what: str) -> bool:
    if value is ... or value is None:
        print(f"{TODO}: replace the ... with {what}, then run this cell again.")
        return True
    return False


def check_column_tensor(tensor: Any, expected: Sequence[float], name: str = "your tensor") -> bool:
    """A (N, 1) float32 tensor holding ``expected`` in order."""
    if _unattempted(tensor, f"{name} as a (N, 1) float tensor"):
        return False
    if not isinstance(tensor, torch.Tensor):
        return _report(False, f"{name} should be a torch tensor; got {type(tensor).__name__} "
                              "— wrap the data in torch.tensor(...)")
    n = len(expected)
    if tuple(tensor.shape) != (n, 1):
        hint = " — use .reshape(-1, 1)" if tensor.ndim == 1 else ""
        shape = tuple(tensor.shape)
        return _report(False, f"{name} has shape {shape}; it should be ({n}, 1){hint}")
    if tensor.dtype != torch.float32:
        return _report(False, f"{name} has dtype {tensor.dtype}; it should be torch.float32 — "
                              "write the numbers as floats (1.0) or add dtype=torch.float32")
    if not torch.equal(tensor, torch.tensor(expected, dtype=torch.float32).reshape(n, 1)):
        return _report(False, f"{name} has the right shape but different values; "
                              f"expected {list(expected)} in order")
    return _report(True, f"{name} is a ({n}, 1) float32 column: one sample per row.")


def check_dtype_answer(answer: Any, data: Any) -> bool:
    """What dtype ``torch.tensor(data)`` has, computed here rather than shown in the notebook."""
    expression = f"torch.tensor({data!r})"
    if _unattempted(answer, "a dtype such as torch.float32"):
        return False
    if not isinstance(answer, torch.dtype):
        return _report(False, f"give a torch dtype such as torch.float32; got {answer!r}")
    expected = torch.tensor(data).dtype
    if answer != expected:
        return _report(False, f"{expression} does not have dtype {answer} — torch.tensor looks "
                              "at every number: run it and look at .dtype")
    return _report(True, f"{expression} has dtype {expected}.")


def check_linear_shapes(layer: Any, in_features: int, out_features: int) -> bool:
    """An ``nn.Linear(in_features, out_features)`` with a bias."""
    if _unattempted(layer, f"torch.nn.Linear({in_features}, {out_features})"):
        return False
    if not isinstance(layer, torch.nn.Linear):
        return _report(False, f"expected a torch.nn.Linear; got {type(layer).__name__}")
    if (layer.in_features, layer.out_features) != (in_features, out_features):
        return _report(False, f"the layer maps {layer.in_features} → {layer.out_features} "
                              f"features; it should map {in_features} → {out_features} "
                              "(nn.Linear(in_features, out_features))")
    if layer.bias is None:
        return _report(False, "the layer has no bias; keep the default bias=True")
    return _report(True, f"weight {tuple(layer.weight.shape)} = (out, in), bias "
                         f"{tuple(layer.bias.shape)} = (out,).")


def check_manual_linear(fn: Any) -> bool:
    """``fn(x, layer)`` computes x @ layer.weight.T + layer.bias without calling the layer."""
    if _unattempted(fn, "your function manual_linear(x, layer)"):
        return False
    if not callable(fn):
        return _report(False, "manual_linear should be a function of (x, layer)")
    generator = torch.Generator().manual_seed(1)
    layer = torch.nn.Linear(3, 2)
    with torch.no_grad():
        layer.weight.copy_(torch.randn(2, 3, generator=generator))
        layer.bias.copy_(torch.randn(2, generator=generator))
    x = torch.randn(4, 3, generator=generator)
    try:
        got = fn(x, layer)
    except Exception as exc:  # the learner's code: show what went wrong instead of raising
        hint = " — did you transpose the weight (.T)?" if "multiplied" in str(exc) else ""
        return _report(False, f"manual_linear(x, layer) raised {type(exc).__name__}: {exc}{hint}")
    expected = layer(x)
    if not isinstance(got, torch.Tensor) or got.shape != expected.shape:
        shape = tuple(got.shape) if isinstance(got, torch.Tensor) else type(got).__name__
        return _report(False, f"for x of shape (4, 3) and nn.Linear(3, 2) the result should have "
                              f"shape (4, 2); got {shape} — did you transpose the weight (.T)?")
    if not torch.allclose(got.detach().to(expected.dtype), expected, atol=1e-5):
        return _report(False, "right shape, wrong numbers — y = x @ weight.T + bias")
    return _report(True, "your formula matches nn.Linear: y = x·Wᵀ + b.")


def check_sum_loss(fn: Any) -> bool:
    """``fn(y_pred, y)`` equals ``MSELoss(reduction='sum')``."""
    if _unattempted(fn, "your function my_sum_loss(y_pred, y)"):
        return False
    if not callable(fn):
        return _report(False, "my_sum_loss should be a function of (y_pred, y)")
    generator = torch.Generator().manual_seed(2)
    y_pred, y = torch.randn(5, 1, generator=generator), torch.randn(5, 1, generator=generator)
    try:
        got = fn(y_pred, y)
    except Exception as exc:
        return _report(False, f"calling my_sum_loss raised {type(exc).__name__}: {exc}")
    expected = torch.nn.MSELoss(reduction="sum")(y_pred, y)
    mean = torch.nn.MSELoss(reduction="mean")(y_pred, y)
    if isinstance(got, (int, float)):
        return _report(False, "return the loss tensor itself, without .item(): backward() "
                              "needs a tensor")
    if not isinstance(got, torch.Tensor) or got.ndim != 0:
        return _report(False, "the loss must be a scalar tensor (0-dim) — add .sum()")
    got = got.detach().to(expected.dtype)
    if torch.allclose(got, mean):
        return _report(False, "that is the mean; the lesson sums the squared errors")
    if not torch.allclose(got, expected):
        return _report(False, "not the sum of squared errors — ((y_pred - y) ** 2).sum()")
    return _report(True, "your loss equals MSELoss(reduction='sum').")


def check_equivalent_lr(answer: Any, *, n: int = 3, lr_sum: float = 0.05) -> bool:
    """The lr with reduction='mean' that takes the same steps as ``lr_sum`` with 'sum': lr_sum·N."""
    if _unattempted(answer, "a learning rate (a number)"):
        return False
    number = as_number(answer)
    if number is None:
        return _report(False, f"give a number; got {answer!r}")
    answer, expected = number, lr_sum * n
    if math.isclose(answer, expected, rel_tol=1e-6):
        return _report(True, f"the mean divides the gradient by N = {n}, so lr must be {n}× "
                             f"larger: {expected:g}.")
    if math.isclose(answer, lr_sum / n, rel_tol=1e-6):
        return _report(False, "the other way round: the mean makes gradients smaller, so the "
                              "learning rate must grow")
    return _report(False, f"the mean loss is the sum divided by N = {n}; so is its gradient")


def check_losses_match(losses: Any, *, what: str = "your loop", **train_kwargs: Any) -> bool:
    """A list of per-epoch losses equal to ``train(**train_kwargs).loss``."""
    if _unattempted(losses, "the list of losses your loop recorded"):
        return False
    expected = train(**train_kwargs).loss
    try:
        got = [float(v) for v in losses]
    except (TypeError, ValueError):
        return _report(False, "record plain floats: losses.append(loss.item())")
    if len(got) != len(expected):
        return _report(False, f"{what} recorded {len(got)} losses; expected {len(expected)} "
                              f"(one per epoch)")
    if not all(math.isclose(a, b, rel_tol=1e-4, abs_tol=1e-6) for a, b in zip(got, expected)):
        return _report(False, "the numbers differ — did you call torch.manual_seed(0) right "
                              "before building the model, and record the loss before step()?")
    settings = ", ".join(f"{k}={v!r}" for k, v in train_kwargs.items())
    return _report(True, f"{what} matches train({settings}) epoch for epoch.")


def check_int_answer(answer: Any, expected: int, question: str, hint: str) -> bool:
    """A whole-number answer such as an epoch count."""
    if _unattempted(answer, "a whole number"):
        return False
    whole = as_whole_number(answer)
    if whole is None:
        return _report(False, f"give a whole number; got {answer!r}")
    answer = whole
    if answer != expected:
        direction = "too high" if answer > expected else "too low"
        return _report(False, f"{answer} is {direction} — {hint}")
    return _report(True, f"{question}: {expected}.")


EPOCH_STEPS = ("forward", "loss", "zero_grad", "backward", "step")


def check_epoch_order(steps: Any) -> bool:
    """The calls of one epoch in a valid order.

    forward → loss → backward → step is fixed; zero_grad() may go anywhere except between
    backward() and step() (at the end of an epoch it clears the gradients for the next one).
    """
    if _unattempted(steps, f"a list ordering {sorted(EPOCH_STEPS)}"):
        return False
    if not isinstance(steps, (list, tuple)) or sorted(map(str, steps)) != sorted(EPOCH_STEPS):
        return _report(False, f"use each of {sorted(EPOCH_STEPS)} exactly once")
    order = list(steps)
    rules = [
        ("forward", "loss", "the loss needs the prediction: forward comes before loss"),
        ("loss", "backward", "backward() starts from the loss"),
        ("backward", "step", "step() uses the gradients that backward() computed"),
    ]
    for first, then, why in rules:
        if order.index(first) > order.index(then):
            return _report(False, why)
    if order.index("backward") < order.index("zero_grad") < order.index("step"):
        return _report(False, "zero_grad() between backward() and step() erases the gradients "
                              "step() needs; clear them before backward() (or after step())")
    return _report(True, " → ".join(order) + ".")


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
    if _unattempted(answers, "a dict of your translations"):
        return False
    if not isinstance(answers, Mapping):
        return _report(False, "give a dict such as {'张量': 'tensor', ...}")
    wrong = [term for term in terms
             if str(answers.get(term, "")).strip().lower() not in GLOSSARY[term]]
    if wrong:
        return _report(False, f"{len(wrong)} of {len(terms)} not right yet: "
                              f"look again at {', '.join(wrong)}")
    return _report(True, f"all {len(terms)} terms right.")


def check_function(
    fn: Any, reference: Callable[..., Any], cases: Sequence[tuple], name: str
) -> bool:
    """A learner's function agrees with ``reference`` on every argument tuple in ``cases``."""
    if _unattempted(fn, f"your function {name}"):
        return False
    if not callable(fn):
        return _report(False, f"{name} should be a function")
    for args in cases:
        try:
            got = fn(*args)
        except Exception as exc:
            return _report(False, f"{name}{args} raised {type(exc).__name__}: {exc}")
        number = as_number(got)
        if number is None:
            what = "nothing (add a return)" if got is None else repr(got)[:60]
            return _report(False, f"{name}{args} should return one number; it returned {what}")
        want = float(reference(*args))
        if not math.isclose(number, want, rel_tol=1e-4, abs_tol=1e-6):
            return _report(False, f"{name}{args} gave {number:.4f}; expected {want:.4f}")
    return _report(True, f"{name} agrees with the reference on {len(cases)} cases.")


def check_parameter_count(answer: Any, in_features: int, out_features: int) -> bool:
    """How many numbers ``nn.Linear(in_features, out_features)`` learns (weights plus biases)."""
    with torch.random.fork_rng(devices=[]):  # building a layer draws random numbers
        layer = torch.nn.Linear(in_features, out_features)
    expected = sum(p.numel() for p in layer.parameters())
    return check_int_answer(answer, expected, f"numbers learned by nn.Linear({in_features}, "
                            f"{out_features})", "the weight has out × in entries, plus one "
                            "bias per output")


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
    run = train(epochs=1000)
    expected = next(e + 1 for e, (w, b) in enumerate(zip(run.weight, run.bias))
                    if abs(w * x + b - target) < within)
    return check_int_answer(answer, expected, f"epochs until the prediction for {x:g} is "
                            f"within {within:g} of {target:g}", "compute w·4 + b after every "
                            "epoch of a long run; index e means e + 1 epochs")


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
    return check_int_answer(answer, n, f"epochs until the flat direction is below "
                            f"{share:.0%} of its start", "solve factor ** n < 0.01 for n with "
                            "logarithms, then round up")


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
    if _unattempted(model, "your trained model") or _unattempted(optimizer, "your optimizer"):
        return False
    if not isinstance(optimizer, torch.optim.Optimizer):
        return _report(False, f"optimizer should be a torch.optim optimizer; got "
                              f"{type(optimizer).__name__}")
    name = type(optimizer).__name__
    if isinstance(optimizer, torch.optim.SGD):
        return _report(False, "that is still SGD: swap it for another torch.optim optimizer")
    linear = getattr(model, "linear", None)
    if not isinstance(linear, torch.nn.Linear) or linear.weight.numel() != 1:
        return _report(False, "model should be the lesson's LinearModel (model.linear)")
    trained = {id(p) for group in optimizer.param_groups for p in group["params"]}
    if not {id(linear.weight), id(linear.bias)} <= trained:
        return _report(False, "this optimizer does not hold the model's parameters — build it "
                              "with model.parameters()")
    n = as_whole_number(epochs)
    if n is None or not 1 <= n <= max_epochs:
        return _report(False, f"epochs should be a whole number from 1 to {max_epochs}; "
                              f"got {epochs!r}")
    steps = optimizer.state.get(linear.weight, {}).get("step")  # LBFGS counts inner iterations
    if steps is not None and not isinstance(optimizer, torch.optim.LBFGS) and int(steps) != n:
        return _report(False, f"the optimizer took {int(steps)} steps, but epochs = {n}: give "
                              "the number of epochs your loop ran (one step each)")
    w, b = linear.weight.item(), linear.bias.item()
    w_star, b_star = closed_form()
    lr = optimizer.param_groups[0]["lr"]
    ok = abs(w - w_star) <= tol and abs(b - b_star) <= tol
    w, b = (round(v, 4) + 0.0 for v in (w, b))  # for printing: no "-0.0000"
    if not ok:
        return _report(False, f"{name} with lr {lr:g} ends at w = {w:.4f}, b = {b:.4f} after "
                              f"{n} epochs, not within {tol:g} of least squares: try another "
                              "lr (a log scale: 0.01, 0.1, 1)")
    epochs_word = "epoch" if n == 1 else "epochs"
    return _report(True, f"{name} with lr {lr:g} reaches w = {w:.4f}, b = {b:.4f} in {n} "
                         f"{epochs_word}, within {tol:g} of least squares.")


def _reduction_changes(name: str, lr: float, tol: float) -> bool:
    runs = [train(optimizer=name, lr=lr, reduction=r) for r in ("sum", "mean")]
    return any(abs(getattr(runs[0], k)[-1] - getattr(runs[1], k)[-1]) > tol
               for k in ("weight", "bias"))


def check_reduction_sensitive(answer: Any, *, lr: float = 0.05, tol: float = 1e-3) -> bool:
    """The optimizers whose final w or b moves by more than ``tol`` when 'sum' becomes 'mean'."""
    if _unattempted(answer, "a list of optimizer names, such as ['SGD']"):
        return False
    if isinstance(answer, str) or not isinstance(answer, (list, tuple, set, frozenset)):
        return _report(False, f"give a list of names such as ['SGD', 'Adam']; got {answer!r}")
    by_lower = {name.lower(): name for name in OPTIMIZERS}
    unknown = [a for a in answer if str(a).lower() not in by_lower]
    if unknown:
        return _report(False, f"unknown optimizer {unknown[0]!r}; choose from "
                              f"{', '.join(OPTIMIZERS)}")
    given = {by_lower[str(a).lower()] for a in answer}
    expected = {name for name in OPTIMIZERS if _reduction_changes(name, lr, tol)}
    missing, extra = expected - given, given - expected
    if missing or extra:
        return _report(False, f"{len(missing)} missing and {len(extra)} that do not change — "
                              "train each with reduction='sum' and 'mean' and compare")
    return _report(True, f"only {' and '.join(sorted(expected))} change: they step by lr × "
                         "gradient, and the mean divides the gradient by N.")
