"""The checks behind `python -m nncore check NAME`: one module here per exercise.

Each module in this package defines a check function and an ``EXERCISES`` dict
{name: Exercise(title, notebook, check, order)}; they are collected below, in the order the
notebooks meet them.
A check receives the learner's module and a `passed(description)` callback.
It calls `passed` after each step that worked and raises CheckFailure with a
message that names what is wrong (expected vs got) at the first step that did not.
"""

import importlib
import pkgutil
from dataclasses import dataclass
from typing import Callable

import numpy as np

from ..exercises import CheckFailure


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


def expect_close(what, got, expected, atol=1e-8):
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


def _collect():
    found = {}
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        found.update(getattr(module, "EXERCISES", {}))
    return dict(sorted(found.items(), key=lambda item: (item[1].notebook, item[1].order, item[0])))


EXERCISES = _collect()
