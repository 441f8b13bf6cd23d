"""Scores for predictions: accuracy and the confusion matrix.

The order is torch's, as in a loss's forward(A, Y): the prediction first, the target second.
confusion_matrix takes both by name (y_pred=..., y_true=...), because swapping them would
transpose the matrix without any error.
"""

import numpy as np

from .errors import as_numbers, check_finite, check_labels, check_table_size, fail, is_whole


def _labels(y, name):
    """y as a flat array of class labels; scores or probabilities (fractions, one column per class) get advice."""
    y = as_numbers(y, name)
    if y.ndim == 2 and y.shape[1] > 1:
        fail(name, "one class label per sample, shape (N,)", f"shape {y.shape}, one row of scores per sample",
             "Turn scores or probabilities into labels first: y.argmax(axis=1), or model.predict(X).")
    if y.dtype.kind == "f":
        check_finite(y, name, "A NaN or inf is no class label.")
        if np.any(np.mod(y, 1) != 0):
            fail(name, "class labels (whole numbers)", f"fractions from {y.min():.4g} to {y.max():.4g}, "
                 "which look like probabilities or scores",
                 "Turn them into labels first: (p > 0.5).astype(int) for one sigmoid output, "
                 "p.argmax(axis=1) for several, or model.predict(X), which does it for you.")
    return y.ravel()


def accuracy(y_pred, y_true):
    """Fraction of predicted labels equal to the true labels: accuracy(y_pred, y_true).

    Both are class labels, shape (N,) (an (N, 1) column is fine too); predictions given as
    probabilities or scores get an error that says how to turn them into labels.
    """
    y_pred, y_true = _labels(y_pred, "y_pred"), _labels(y_true, "y_true")
    if y_true.shape != y_pred.shape:
        fail("y_pred", f"{y_true.size} predictions (one per label in y_true)", f"{y_pred.size}",
             "The order is accuracy(y_pred, y_true), both with one label per sample.")
    return float(np.mean(y_true == y_pred))


def _class_indices(y, name):
    """y (numbers) as a flat array of at least one finite number >= 0 (checked for whole numbers later)."""
    if y.size == 0:
        fail(name, "at least one class label", "an empty array", "Check the slicing that produced it.")
    if y.dtype == bool:
        y = y.astype(np.int64)  # False/True predictions of a binary classifier are classes 0 and 1
    check_finite(y, name)  # a NaN has no class (and int(NaN) fails while inferring K)
    if y.min() < 0:
        fail(name, "class indices 0, 1, ..., K-1 (never negative)", f"labels from {y.min()} to {y.max()}",
             "Re-index the labels from 0, e.g. names, y = np.unique(y, return_inverse=True).")
    return y


def confusion_matrix(*args, y_pred=None, y_true=None, num_classes=None):
    """C[i, j] = how many samples of true class i were predicted as class j; shape (K, K).

    confusion_matrix(y_pred=..., y_true=..., num_classes=None), by name only: libraries disagree on
    the order (scikit-learn takes the truth first, torch the prediction), and a swap would
    transpose C without an error.
    y_pred, y_true: class indices, shape (N,). K = num_classes, or the largest label + 1 if None.
    The diagonal holds the correct predictions; row i sums to the number of samples of class i.
    """
    if args or y_pred is None or y_true is None:
        fail("confusion_matrix", "the labels by name: confusion_matrix(y_pred=predicted, y_true=y_test)",
             f"{len(args)} positional argument(s)" if args else
             f"no {'y_pred' if y_pred is None else 'y_true'}",
             "Rows are the true classes and columns the predicted ones; naming both arguments keeps "
             "them from being swapped, which would transpose the matrix without any error.")
    y_true, y_pred = as_numbers(y_true, "y_true").ravel(), as_numbers(y_pred, "y_pred").ravel()
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
    check_table_size(K * K, "confusion_matrix: its K x K table (K = the largest label + 1 or num_classes)")
    y_true = check_labels(y_true, K, "y_true", classes_from=source)
    y_pred = check_labels(y_pred, K, "y_pred", classes_from=source)
    C = np.zeros((K, K), dtype=np.int64)
    np.add.at(C, (y_true, y_pred), 1)
    return C
