"""The checks behind `python -m nncore check NAME`: one module here per exercise.

Each module in this package defines a check function and an ``EXERCISES`` dict
{name: Exercise(title, notebook, check, order)}; nncore.registry collects them, in the order the
notebooks meet them. This package imports nothing else of the exercise system.
A check receives the learner's module and a `passed(description)` callback.
It calls `passed` after each step that worked and raises CheckFailure with a
message that names what is wrong (expected vs got) at the first step that did not.
"""

from dataclasses import dataclass
from typing import Callable

import numpy as np


class CheckFailure(Exception):
    """One check of an exercise failed; the message says what was expected and what came out."""


@dataclass
class Exercise:
    title: str
    notebook: str
    check: Callable
    order: int = 0  # position among the exercises of the same notebook, as the notebook meets them


# --- helpers that word the failures -------------------------------------------------------

def expect_shape(what, value, shape):
    got = np.shape(value)
    if value is None or got != shape:
        got = "None (did the function return its result?)" if value is None else f"shape {got}"
        raise CheckFailure(f"{what}: expected shape {shape}, got {got}.")


def expect_close(what, got, expected, atol=1e-8, variants=()):
    """Raise CheckFailure unless got has expected's shape and values.

    variants: (wrong value, message) pairs, one per known mistake; when got is wrong and matches one
    of them, the failure says that message (the fault by name) instead of where the numbers differ.
    """
    if variants and not matches(got, expected, atol):
        named = diagnose(got, variants, atol)
        if named:
            raise CheckFailure(f"{what}: {named}")
    expected = np.asarray(expected, dtype=np.float64)
    # Shape first, while `got` is as returned: np.asarray(None) would be a NaN of shape (), and the
    # learner would read "got shape ()" instead of "did the function return its result?".
    expect_shape(what, got, expected.shape)
    try:
        got = np.asarray(got, dtype=np.float64)
    except (TypeError, ValueError):
        raise CheckFailure(f"{what}: expected numbers, got {type(got).__name__} {got!r:.80}.") from None
    diff = np.abs(got - expected)
    if not np.all(diff <= atol):  # also catches NaN
        where = tuple(int(i) for i in np.unravel_index(int(np.nanargmax(diff)) if np.any(np.isfinite(diff))
                                                        else 0, diff.shape)) if diff.ndim else ()
        raise CheckFailure(f"{what}: values differ from the expected ones by up to {np.nanmax(diff):.3g} "
                           f"(largest at index {where}: got {got[where]:.6g}, expected {expected[where]:.6g}).")


def expect_attr(obj, name, what):
    if not hasattr(obj, name):
        raise CheckFailure(f"{what}: expected an attribute `{name}` on the object, but it has none. "
                           f"Store it with self.{name} = ...")
    return getattr(obj, name)


def matches(got, wrong, atol=1e-8):
    """True if `got` has the shape and the values of `wrong` (up to atol, or 1e-6 relative)."""
    if got is None or wrong is None:
        return False
    try:
        got, wrong = np.asarray(got, dtype=np.float64), np.asarray(wrong, dtype=np.float64)
    except (TypeError, ValueError):
        return False
    return got.shape == wrong.shape and bool(np.all(np.abs(got - wrong) <= atol + 1e-6 * np.abs(wrong)))


def diagnose(got, variants, atol=1e-8):
    """The message of the first (wrong value, message) pair in `variants` that `got` matches, else None.

    Each wrong value is what a known mistake computes (transposed, summed over the other axis, off by
    a factor, the wrong sign, a derivative from the wrong formula), so a match names the mistake.
    """
    for wrong, message in variants:
        if matches(got, wrong, atol):
            return message
    return None


def same_memory(a, b):
    """True if a and b are NumPy arrays that share memory (one is the other, or a view of it)."""
    return isinstance(a, np.ndarray) and isinstance(b, np.ndarray) and np.shares_memory(a, b)


def expect_unchanged(what, before, after, advice):
    """Raise CheckFailure if an input array was changed by the learner's function (compared with a copy)."""
    if np.shape(before) != np.shape(after) or not np.array_equal(before, after, equal_nan=True):
        raise CheckFailure(f"{what}: {advice}")


def learner_line(module, exc):
    """' (exercises/x.py, line 12: `code`)' for the deepest frame of exc inside the learner's file, or ''."""
    import traceback
    from pathlib import Path
    path = Path(getattr(module, "__file__", "") or "")
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if Path(f.filename) == path]
    if not frames:
        return ""
    return f" ({path.parent.name}/{path.name}, line {frames[-1].lineno}: `{(frames[-1].line or '').strip()}`)"


def __getattr__(name):
    """`from nncore.checks import EXERCISES` (older code and tests): the registry owns EXERCISES now.

    Looked up only when asked for, so importing this package still loads none of the runner.
    """
    if name == "EXERCISES":
        from ..registry import EXERCISES
        return EXERCISES
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
