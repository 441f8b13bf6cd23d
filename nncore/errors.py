"""Errors a learner can act on.

Every check in nncore that rejects an input raises :class:`NNCoreError` with a
message of the same shape: *what* was wrong (the argument's name), *what was
expected*, *what was given*, and *what to try*. The helpers below build those
messages so every module words them the same way.
"""

import numbers

import numpy as np


class NNCoreError(ValueError):
    """A mistake in how nncore was called, explained in plain words."""


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


def as_array(x, name, ndim=None, dtype=None, hint=BATCH_HINT):
    """Return `x` as a NumPy array, checking its rank and that it is not empty.

    ndim may be an int or a tuple of allowed ranks; `hint` is the advice for a wrong rank
    (by default about batches of samples, which is wrong advice for labels, say).
    """
    if isinstance(x, (list, tuple)):
        x = np.asarray(x)
    if not isinstance(x, np.ndarray):
        fail(name, "a NumPy array", type(x).__name__,
             "Convert it with np.asarray(...) first.")
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


def check_finite(x, name):
    """Raise if `x` holds NaN or inf, saying how many and where the first is."""
    if not np.all(np.isfinite(x)):
        bad = ~np.isfinite(x)
        first = tuple(int(i) for i in np.argwhere(bad)[0])
        fail(name, "finite numbers", f"{int(bad.sum())} NaN/inf value(s), the first at index {first}",
             "Look at how the data was loaded or scaled; if this is a layer's "
             "output, the learning rate may be too high.")
    return x


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
    y = np.asarray(y)
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
