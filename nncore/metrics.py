"""Scores for predictions: accuracy and the confusion matrix."""

import numpy as np

from .errors import check_finite, check_labels, fail, is_whole


def accuracy(y_true, y_pred):
    """Fraction of predictions equal to the labels."""
    y_true, y_pred = np.asarray(y_true).ravel(), np.asarray(y_pred).ravel()
    if y_true.shape != y_pred.shape:
        fail("y_pred", f"{y_true.size} predictions (one per label)", f"{y_pred.size}")
    return float(np.mean(y_true == y_pred))


def _class_indices(y, name):
    """y as a flat array of at least one finite number >= 0 (checked for whole numbers later)."""
    if y.size == 0:
        fail(name, "at least one class label", "an empty array", "Check the slicing that produced it.")
    if y.dtype == bool:
        y = y.astype(np.int64)  # False/True predictions of a binary classifier are classes 0 and 1
    if not (np.issubdtype(y.dtype, np.integer) or np.issubdtype(y.dtype, np.floating)):
        fail(name, "class indices 0, 1, ..., K-1", f"dtype {y.dtype}",
             "Turn class names into indices first, e.g. names, y = np.unique(y, return_inverse=True).")
    check_finite(y, name)  # a NaN has no class (and int(NaN) fails while inferring K)
    if y.min() < 0:
        fail(name, "class indices 0, 1, ..., K-1 (never negative)", f"labels from {y.min()} to {y.max()}",
             "Re-index the labels from 0, e.g. names, y = np.unique(y, return_inverse=True).")
    return y


def confusion_matrix(y_true, y_pred, num_classes=None):
    """C[i, j] = how many samples of true class i were predicted as class j; shape (K, K).

    y_true, y_pred: class indices, shape (N,). K = num_classes, or the largest label + 1 if None.
    The diagonal holds the correct predictions; row i sums to the number of samples of class i.
    """
    y_true, y_pred = np.asarray(y_true).ravel(), np.asarray(y_pred).ravel()
    if y_true.shape != y_pred.shape:
        fail("y_pred", f"{y_true.size} predictions (one per label)", f"{y_pred.size}")
    y_true, y_pred = _class_indices(y_true, "y_true"), _class_indices(y_pred, "y_pred")
    if num_classes is None:
        K = int(max(y_true.max(), y_pred.max())) + 1
        source = None  # labels are >= 0 and K covers the largest, so check_labels cannot find one out of range
    elif not is_whole(num_classes, 1):
        fail("num_classes", "None (the largest label + 1) or a whole number >= 1", repr(num_classes))
    else:
        K, source = int(num_classes), "num_classes"
    y_true = check_labels(y_true, K, "y_true", classes_from=source)
    y_pred = check_labels(y_pred, K, "y_pred", classes_from=source)
    C = np.zeros((K, K), dtype=np.int64)
    np.add.at(C, (y_true, y_pred), 1)
    return C
