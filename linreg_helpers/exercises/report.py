"""The one way an exercise check reports: a pass, a hint, or "not attempted yet".

Every ``check_*`` of :mod:`.lesson` and :mod:`.beyond` prints one line through :func:`report`
and returns True only for a right answer; none raises. :func:`check_function` and
:func:`check_int_answer` are the shared checks for a learner's function and a whole number.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from linreg_helpers.i18n import text
from linreg_helpers.settings import as_number, as_whole_number


def report(ok: bool, message: str) -> bool:
    """Print one line: a pass (``ok``) or a hint, with ``message``; returns ``ok``."""
    print(text("check.line", verdict=text("check.pass" if ok else "check.hint"), message=message))
    return ok


def report_hint(key: str, **values: Any) -> bool:
    """Print the hint ``key`` (a message of linreg_helpers.i18n); False."""
    return report(False, text(key, **values))


def report_pass(key: str, **values: Any) -> bool:
    """Print the pass ``key``; True."""
    return report(True, text(key, **values))


def unattempted(value: Any, what: str) -> bool:
    """Whether ``value`` is still ``...`` or None; if so, print "not attempted yet: ``what``"."""
    if value is ... or value is None:
        print(text("check.line", verdict=text("check.todo"),
                   message=text("check.todo.message", what=what)))
        return True
    return False


def call_learner(fn: Any, name: str, *args: Any) -> tuple[bool, Any]:
    """(True, result) or (False, None) after reporting what went wrong."""
    if not callable(fn):
        report_hint("check.real.not_function", name=name)
        return False, None
    try:
        return True, fn(*args)
    except Exception as exc:  # the learner's code: report instead of raising
        report_hint("check.real.raised", name=name, error=type(exc).__name__, detail=exc)
        return False, None


def borrowed(fn: Any, name: str, *originals: Callable[..., Any]) -> bool:
    """Whether the learner's ``fn`` is one of ``originals`` itself (``my_r2 = r2_score``): if so,
    print a hint to write it; the check then passes nothing it did not compute."""
    original = next((o for o in originals if fn is o), None)
    if original is None:
        return False
    report_hint("check.function.borrowed", name=name, original=original.__name__)
    return True


@contextmanager
def watching(originals: Sequence[Callable[..., Any]]) -> Iterator[list[str]]:
    """The names of ``originals`` that run inside the block, however they are reached
    (``lambda x: r2_score(x, y)``, a loss module in scope): Python functions by their code
    object, C functions (torch's builtins) by identity, through ``sys.setprofile``."""
    codes = {o.__code__: o for o in originals if hasattr(o, "__code__")}
    builtins = [o for o in originals if not hasattr(o, "__code__")]
    seen: list[str] = []

    def profile(frame, event, arg) -> None:
        if event == "call" and frame.f_code in codes:
            seen.append(_name(codes[frame.f_code]))
        elif event == "c_call" and any(arg is o for o in builtins):
            seen.append(_name(arg))

    previous = sys.getprofile()
    sys.setprofile(profile)
    try:
        yield seen
    finally:
        sys.setprofile(previous)


def _name(function: Callable[..., Any]) -> str:
    """How a learner writes it: ``MSELoss`` (a module's forward), ``torch.nn.functional.linear``."""
    name = getattr(function, "__qualname__", None) or getattr(function, "__name__", "?")
    if name.endswith(".forward"):
        return name[: -len(".forward")]
    module = getattr(function, "__module__", None) or ""
    if module.startswith(("torch.nn.functional", "torch._C")):
        return f"torch.nn.functional.{name}"
    return name


def check_function(
    fn: Any, reference: Callable[..., Any], cases: Sequence[tuple], name: str,
    *, originals: Sequence[Callable[..., Any]] = (),
) -> bool:
    """A learner's function agrees with ``reference`` on every argument tuple in ``cases``;
    ``fn`` may not be one of ``originals`` (the package's own function for the exercise)."""
    if unattempted(fn, text("check.function.todo", name=name)):
        return False
    if not callable(fn):
        return report_hint("check.function.not_callable", name=name)
    if borrowed(fn, name, *originals):
        return False
    for args in cases:
        call = f"{name}({', '.join(map(repr, args))})"  # f(x), not the tuple's f(x,)
        try:
            with watching(originals) as called:
                got = fn(*args)
        except Exception as exc:
            return report_hint("check.function.raised", call=call, error=type(exc).__name__,
                         message=exc)
        if called:
            return report_hint("check.function.calls", name=name, original=called[0])
        number = as_number(got)
        if number is None:
            what = text("check.function.nothing") if got is None else repr(got)[:60]
            return report_hint("check.function.not_number", call=call, what=what)
        want = float(reference(*args))
        if not math.isclose(number, want, rel_tol=1e-4, abs_tol=1e-6):
            return report_hint("check.function.wrong", call=call, got=number)
    return report_pass("check.function.pass", name=name, cases=len(cases))


def check_int_answer(answer: Any, expected: int, question: str, hint: str) -> bool:
    """A whole-number answer such as an epoch count; a wrong one gets ``hint`` (the concept).
    A float that is a whole number counts as one (``96 / 4``, ``np.ceil(...)``)."""
    if unattempted(answer, text("check.int.todo")):
        return False
    whole = as_whole_number(answer)
    number = as_number(answer)
    if whole is None and number is not None and math.isfinite(number) and number.is_integer():
        whole = int(number)
    if whole is None:
        return report_hint("check.int.not_whole", answer=answer)
    if whole != expected:  # a hint about what to count, not "higher" or "lower"
        return report_hint("check.int.wrong", answer=whole, hint=hint)
    return report_pass("check.int.pass", question=question, expected=expected)


__all__ = ["call_learner", "check_function", "check_int_answer", "report", "report_hint",
           "report_pass", "unattempted", "watching"]
