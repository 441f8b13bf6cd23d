"""Metrics and the plotting helpers (drawn on the Agg backend, inspected, closed)."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from nncore import NNCoreError  # noqa: E402
from nncore.metrics import accuracy, confusion_matrix  # noqa: E402
from nncore.plots import (plot_confusion_matrix, plot_decision_regions, plot_history,  # noqa: E402
                          plot_misclassified)


def test_confusion_matrix_counts():
    C = confusion_matrix(y_true=[0, 0, 1, 2, 2, 2], y_pred=[0, 1, 1, 2, 0, 2], num_classes=3)
    np.testing.assert_array_equal(C, [[1, 1, 0], [0, 1, 0], [1, 0, 2]])
    assert C.sum() == 6 and np.trace(C) == 4
    assert accuracy([0, 1, 1, 2, 0, 2], [0, 0, 1, 2, 2, 2]) == pytest.approx(4 / 6)


def test_confusion_matrix_bad_input():
    with pytest.raises(NNCoreError, match="y_pred"):
        confusion_matrix(y_true=[0, 1], y_pred=[0, 1, 1])
    with pytest.raises(NNCoreError, match="labels in 0..2"):
        confusion_matrix(y_true=[0, 1], y_pred=[0, 5], num_classes=3)


def test_confusion_matrix_out_of_range_names_num_classes_not_the_model():
    # The caller chose num_classes: advice about "the model's outputs" or "the output layer" would mislead.
    with pytest.raises(NNCoreError) as info:
        confusion_matrix(y_true=[0, 1], y_pred=[0, 5], num_classes=3)
    message = str(info.value)
    assert message.startswith("y_pred: expected labels in 0..2 (num_classes = 3), got labels from 0 to 5.")
    assert "num_classes is too small" in message
    assert "model" not in message and "output layer" not in message


@pytest.mark.parametrize("y_true, y_pred, num_classes, match", [
    ([], [], None, r"^y_true: expected at least one class label, got an empty array"),
    ([], [], 3, r"^y_true: expected at least one class label"),
    ([0, np.nan], [0, 1], None, r"^y_true: expected finite numbers, got 1 NaN/inf value\(s\), .*index \(1,\)"),
    ([0, 1], [0, np.inf], 2, r"^y_pred: expected finite numbers"),
    ([0, -1], [0, 1], None, r"^y_true: expected class indices .*never negative.*got labels from -1 to 0"),
    (["cat", "dog"], [0, 1], None, r"^y_true: expected numbers.*got dtype <U3\. .*np\.unique"),
    ([0, 1.5], [0, 1], None, r"^y_true: expected whole-number class labels"),
    ([0, 1], [0, 1], 0, r"^num_classes: expected None .* or a whole number >= 1, got 0"),
    ([0, 1], [0, 1], 2.0, r"^num_classes: .*got 2\.0"),
])
def test_confusion_matrix_explains_bad_labels(y_true, y_pred, num_classes, match):
    with pytest.raises(NNCoreError, match=match):
        confusion_matrix(y_true=y_true, y_pred=y_pred, num_classes=num_classes)


def test_confusion_matrix_accepts_float_and_bool_labels():
    np.testing.assert_array_equal(confusion_matrix(y_true=[0.0, 1.0, 1.0], y_pred=[False, True, False]),
                                  [[1, 0], [1, 1]])


def test_confusion_matrix_and_plot_misclassified_take_the_labels_by_name():
    # A swap would transpose C, or swap every title, without a word: positional labels are refused.
    with pytest.raises(NNCoreError, match=r"^confusion_matrix: expected the labels by name.*got 2 positional"):
        confusion_matrix([0, 1], [1, 1])
    with pytest.raises(NNCoreError, match=r"no y_true"):
        confusion_matrix(y_pred=[0, 1])
    with pytest.raises(NNCoreError, match=r"^plot_misclassified: expected the labels by name"):
        plot_misclassified(np.zeros((2, 4)), [0, 1], [1, 1])


def test_accuracy_takes_the_prediction_first_and_refuses_probabilities():
    y = np.array([0, 1, 1, 0])
    assert accuracy(np.array([0, 1, 0, 0]), y) == 0.75
    assert accuracy(np.array([[0], [1], [0], [0]]), y) == 0.75  # a column of labels is fine
    with pytest.raises(NNCoreError, match=r"^y_pred: expected class labels.*look like probabilities.*p > 0\.5"):
        accuracy(np.array([0.1, 0.8, 0.6, 0.3]), y)
    with pytest.raises(NNCoreError, match=r"^y_pred: expected one class label per sample.*argmax\(axis=1\)"):
        accuracy(np.array([[0.9, 0.1], [0.2, 0.8], [0.4, 0.6], [0.7, 0.3]]), y)
    with pytest.raises(NNCoreError, match=r"^y_pred: expected 4 predictions.*accuracy\(y_pred, y_true\)"):
        accuracy([0, 1], y)


def test_plots_draw_what_they_are_given():
    X = np.array([[0.0, 0], [0, 1], [1, 0], [1, 1]])
    y = np.array([0, 1, 1, 0])
    ax = plot_decision_regions(lambda P: (P[:, 0] > 0.5).astype(int), X, y, title="t")
    assert ax.get_title() == "t" and len(ax.collections) >= 2
    ax = plot_history({"loss": [3, 2, 1], "val_loss": [3, 2.5, 2]}, keys=("loss", "val_loss"))
    assert [line.get_label() for line in ax.get_lines()] == ["loss", "val_loss"]
    np.testing.assert_array_equal(ax.get_lines()[0].get_ydata(), [3, 2, 1])
    ax = plot_confusion_matrix(np.array([[5, 1], [2, 7]]), ["a", "b"])
    assert [t.get_text() for t in ax.texts] == ["5", "1", "2", "7"]
    fig = plot_misclassified(np.zeros((6, 16)), y_pred=[0, 2, 2, 1, 1, 0], y_true=[0, 1, 2, 0, 1, 2], n=4, cols=2)
    assert len(fig.axes) == 3  # three wrong predictions
    assert fig.axes[0].get_title() == "1 /\n2"
    plt.close("all")
