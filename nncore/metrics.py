"""Scores for predictions: accuracy and the confusion matrix."""

import numpy as np

from .errors import check_labels, fail


def accuracy(y_true, y_pred):
    """Fraction of predictions equal to the labels."""
    y_true, y_pred = np.asarray(y_true).ravel(), np.asarray(y_pred).ravel()
    if y_true.shape != y_pred.shape:
        fail("y_pred", f"{y_true.size} predictions (one per label)", f"{y_pred.size}")
    return float(np.mean(y_true == y_pred))


def confusion_matrix(y_true, y_pred, num_classes=None):
    """C[i, j] = how many samples of true class i were predicted as class j; shape (K, K).

    The diagonal holds the correct predictions; row i sums to the number of samples of class i.
    """
    y_true, y_pred = np.asarray(y_true).ravel(), np.asarray(y_pred).ravel()
    if y_true.shape != y_pred.shape:
        fail("y_pred", f"{y_true.size} predictions (one per label)", f"{y_pred.size}")
    K = num_classes or int(max(y_true.max(), y_pred.max())) + 1
    y_true, y_pred = check_labels(y_true, K, "y_true"), check_labels(y_pred, K, "y_pred")
    C = np.zeros((K, K), dtype=np.int64)
    np.add.at(C, (y_true, y_pred), 1)
    return C
