"""Errors a learner can act on.

Every check in nncore that rejects an input raises :class:`NNCoreError` with a
message of the same shape: *what* was wrong (the argument's name), *what was
expected*, *what was given*, and *what to try*. The helpers below build those
messages so every module words them the same way.
"""

import math
import numbers

import numpy as np


class NNCoreError(ValueError):
    """A mistake in how nncore was called, explained in plain words."""


class NonFiniteError(NNCoreError):
    """An array held NaN or inf. `index` is where the first one is; `samples` says whether the
    array's first axis counts samples (so that fit can translate a batch row into a row of X)."""

    def __init__(self, message, what, index=(), samples=False):
        super().__init__(message)
        self.what, self.index, self.samples = what, index, samples  # what: the message without advice


def fail(name, expected, got, hint=None):
    """Raise NNCoreError: `name` should be `expected` but is `got`; then `hint`.

    `name` may be a function returning the name, so hot paths (every forward
    pass) only pay for building a descriptive name when something is wrong.
    """
    if callable(name):
        name = name()
    message = f"{name}: expected {expected}, got {got}."
    if hint:
        message += f" {hint}"
    raise NNCoreError(message)


BATCH_HINT = "A batch has one sample per row: shape (N, features); reshape a single sample with x.reshape(1, -1)."


def is_whole(value, minimum):
    """True if `value` is a whole number (a Python or NumPy integer, not a bool) and >= minimum.

    bool is a subclass of int in Python, but spiral(classes=True) or epochs=True is a mistake.
    """
    return isinstance(value, numbers.Integral) and not isinstance(value, bool) and value >= minimum


def is_real(value):
    """True if `value` is a finite real number (Python or NumPy), not a bool, that fits in a float."""
    if not isinstance(value, numbers.Real) or isinstance(value, bool):
        return False
    try:
        return math.isfinite(value)
    except OverflowError:  # an int such as 10**400, too large for any float
        return False


# What to try for each kind of array that does not hold plain numbers (NumPy's dtype.kind).
_NOT_NUMBERS = {
    "U": "Text is not numbers: convert it with np.asarray(x, dtype=float), or turn class names into "
         "indices with names, y = np.unique(y, return_inverse=True).",
    "S": "Bytes are not numbers: convert them with np.asarray(x, dtype=float).",
    "O": "An array of Python objects (mixed types, None, or nested lists): build it from numbers only, "
         "e.g. np.asarray(x, dtype=float), which says which entry is not a number.",
    "c": "Complex numbers have no place here: use x.real if the imaginary parts are 0.",
}


def as_numbers(x, name):
    """Return `x` (an array, list or number) as a NumPy array of numbers: bool, integer or float.

    Strings, Python objects, complex numbers and ragged lists raise NNCoreError. One
    attribute lookup for an array that is already fine, so forward passes may call it.
    """
    if not isinstance(x, np.ndarray):
        try:
            x = np.asarray(x)
        except (ValueError, TypeError):  # rows of different lengths
            fail(name, "a rectangular array of numbers", "rows of different lengths",
                 "Every row (sample) needs the same number of entries.")
    if x.dtype.kind not in "biuf":
        fail(name, "numbers (a bool, integer or float array)", f"dtype {x.dtype}",
             _NOT_NUMBERS.get(x.dtype.kind))
    return x


def as_array(x, name, ndim=None, dtype=None, hint=BATCH_HINT):
    """Return `x` as a NumPy array of numbers, checking its rank and that it is not empty.

    ndim may be an int or a tuple of allowed ranks; `hint` is the advice for a wrong rank
    (by default about batches of samples, which is wrong advice for labels, say).
    """
    if isinstance(x, (list, tuple)):
        x = as_numbers(x, name)
    if not isinstance(x, np.ndarray):
        fail(name, "a NumPy array", type(x).__name__,
             "Convert it with np.asarray(...) first.")
    if x.dtype.kind not in "biuf":
        as_numbers(x, name)
    if x.ndim == 0:
        fail(name, "an array with one sample per row", f"a single number ({x.item()!r}, a 0-D array)", hint)
    if dtype is not None and x.dtype != dtype:
        x = x.astype(dtype)
    if ndim is not None:
        allowed = (ndim,) if isinstance(ndim, int) else tuple(ndim)
        if x.ndim not in allowed:
            want = " or ".join(f"{n}-D" for n in allowed)
            fail(name, f"a {want} array", f"shape {x.shape} ({x.ndim}-D)", hint)
    if x.size == 0 or (x.ndim >= 1 and x.shape[0] == 0):
        fail(name, "at least one sample", f"an empty array of shape {x.shape}",
             "Check the slicing or the batch size that produced it.")
    return x


DATA_HINT = "Look at how the data was loaded or scaled; if this is a layer's output, the learning rate may be too high."


def check_finite(x, name, hint=DATA_HINT, samples=True):
    """Raise NonFiniteError if `x` holds NaN or inf, saying how many and where the first is.

    samples: True if x's first axis counts samples (a batch), False for weights and the like.
    """
    if not np.all(np.isfinite(x)):
        bad = ~np.isfinite(x)
        first = tuple(int(i) for i in np.argwhere(bad)[0]) if bad.ndim else ()
        if callable(name):
            name = name()
        what = f"{name} holds {int(bad.sum())} NaN/inf value(s), the first at index {first}"
        raise NonFiniteError(
            f"{name}: expected finite numbers, got {int(bad.sum())} NaN/inf value(s), the first at index "
            f"{first}." + (f" {hint}" if hint else ""), what, first, samples)
    return x


#: The most entries nncore builds into one table from labels (a one-hot matrix, a confusion matrix):
#: 10^8 float64 numbers are 800 MB, far beyond any data set of this course.
MAX_ENTRIES = 10 ** 8


def check_table_size(entries, what):
    """Refuse to build `what` with more than MAX_ENTRIES entries: labels such as 1995 or 10^9 are not classes."""
    if entries > MAX_ENTRIES:
        entries = int(entries)  # a Python int can be too large for a float, so count its digits instead
        fail(what, f"at most {MAX_ENTRIES:.0e} entries", f"{entries:,}" if entries < 10 ** 15
             else f"about 10^{len(str(entries)) - 1}",
             "Class labels are indices 0..K-1: re-index them with names, y = np.unique(y, return_inverse=True), "
             "or check num_classes.")


def check_has(obj, name, methods, example):
    """An object with the given methods; a class passed instead of an instance gets its own advice."""
    if isinstance(obj, type):
        fail(name, example, f"the class {obj.__name__} itself",
             f"Create an instance: write {obj.__name__}(...) instead of {obj.__name__}.")
    missing = [m for m in methods if not callable(getattr(obj, m, None))]
    if missing:
        fail(name, f"{example}, with {' and '.join(methods)}", f"a {type(obj).__name__} without {', '.join(missing)}")
    return obj


def check_seed(seed, name):
    """None, a whole number >= 0, or a np.random.Generator (then used as it is); returned unchanged."""
    if seed is None or isinstance(seed, np.random.Generator):
        return seed
    if not is_whole(seed, 0):
        fail(name, "None (new random numbers each run), a whole number >= 0 such as 0, or a np.random.Generator",
             repr(seed), "The same whole number gives the same random numbers in every run.")
    return seed


def check_features(x, expected, name, layer):
    """Raise if the last axis of `x` does not have `expected` features."""
    if x.shape[-1] != expected:
        fail(f"{name} of {layer}", f"{expected} features per sample (shape (N, {expected}))",
             f"shape {x.shape}",
             "The previous layer's output size must equal this layer's input size.")


def check_labels(y, n_classes, name="y", classes_from=None):
    """Validate integer class labels in [0, n_classes); return them as int64 (N,).

    `classes_from` names where n_classes came from when it is an argument (e.g. "num_classes");
    by default it is the model's number of outputs, and the advice says so.
    """
    y = as_numbers(y, name)
    if y.ndim == 2 and y.shape[1] == 1:
        y = y[:, 0]
    if y.ndim != 1:
        fail(name, f"integer labels of shape (N,) or one-hot rows of shape (N, {n_classes})",
             f"shape {y.shape}")
    if np.issubdtype(y.dtype, np.inexact):  # integers are always finite
        check_finite(y, name)
    if y.size and not np.issubdtype(y.dtype, np.integer):
        if np.all(np.mod(y, 1) == 0):
            y = y.astype(np.int64)
        else:
            fail(name, "whole-number class labels", f"dtype {y.dtype} with fractions",
                 "Class labels are indices 0..C-1.")
    if y.size and (y.min() < 0 or y.max() >= n_classes):
        if classes_from is None:
            where = f"the model has {n_classes} output{'s' if n_classes != 1 else ''}"
            hint = "Either the output layer is too small or the labels need re-indexing from 0."
        else:
            where = f"{classes_from} = {n_classes}"
            hint = f"Either {classes_from} is too small or the labels need re-indexing from 0."
        fail(name, f"labels in 0..{n_classes - 1} ({where})", f"labels from {y.min()} to {y.max()}", hint)
    return y.astype(np.int64, copy=False)
