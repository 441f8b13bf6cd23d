"""Loss functions: a number that says how wrong the predictions are, and its gradient.

Every loss has the same interface::

    L  = loss.forward(A, Y)   # a float, the mean over the batch
    dA = loss.backward()      # dL/dA, same shape as A, already divided by m

where m is the number of terms the mean averages: N for the categorical
cross-entropies (one term per sample), N K for MSE and binary cross-entropy
(one term per output entry, as in torch). So the 1/m of the mean lives here
and nowhere else. ``predict(A)`` turns
outputs into predictions and ``accuracy(A, Y)`` scores them (None for regression).

Labels ``Y`` for classification may be integer class indices of shape (N,) or
one-hot rows of shape (N, C).
"""

import numpy as np

from .activations import softmax
from .errors import NNCoreError, as_array, as_numbers, check_finite, check_labels, fail


# How far outside [0, 1] a probability may be before it counts as a logit: rounding, or a finite
# difference of h = 1e-5 in a gradient check, moves it far less than this.
_PROBABILITY_SLACK = 1e-3


def _one_hot(y, C, dtype):
    Y = np.zeros((y.shape[0], C), dtype=dtype)
    Y[np.arange(y.shape[0]), y] = 1
    return Y


class Loss:
    """Shared plumbing: input checks and the cache between forward and backward."""

    def __call__(self, A, Y):
        return self.forward(A, Y)

    def _inputs(self, A, Y):
        def name():  # the name is built only if there is an error: this runs every batch
            return f"predictions A of {type(self).__name__}"

        A = as_array(A, name, ndim=2)
        if A.dtype.kind != "f":
            A = A.astype(np.float64)  # integer predictions would turn the targets into integers too
        check_finite(A, name)
        return A, as_numbers(Y, lambda: f"targets Y of {type(self).__name__}")

    def _probabilities(self, A, instead):
        """Raise unless A holds probabilities, in [0, 1] up to rounding; `instead` says what to use for logits.

        Clipping logits into [eps, 1 - eps] would give a plausible loss and a gradient that
        trains nothing (torch's BCELoss refuses them too). The tolerance lets gradient checks
        nudge a probability by h either side.
        """
        low, high = float(A.min()), float(A.max())
        if low < -_PROBABILITY_SLACK or high > 1 + _PROBABILITY_SLACK:
            fail(f"predictions A of {type(self).__name__}", "probabilities in [0, 1]",
                 f"values from {low:.4g} to {high:.4g}, which look like logits (raw scores of a layer "
                 "without an activation)", instead)

    def _same_shape_targets(self, A, Y, what):
        """Return real-valued targets Y with A's shape (N, K), or explain the mismatch.

        For one output (K = 1) targets of shape (N,) are accepted and made (N, 1).
        Nothing else is reshaped: a (K, N) array of the same size would pair
        predictions with the wrong targets.
        """
        name = f"targets Y of {type(self).__name__}"
        if Y.ndim == 1 and A.shape == (Y.shape[0], 1):
            Y = Y.reshape(A.shape)
        if Y.shape != A.shape:
            fail(name, f"{what} of shape {A.shape} (the shape of the predictions)", f"shape {Y.shape}",
                 "Targets have one row per sample, like the predictions; with one output, "
                 "shape (N,) is fine too. If yours have one column per sample, pass Y.T.")
        Y = Y.astype(A.dtype)
        check_finite(Y, name)
        return Y

    def _class_targets(self, A, Y):
        """Return one-hot targets (N, C) for integer or one-hot Y, checked against A."""
        N, C = A.shape
        if Y.ndim == 2 and Y.shape[1] == C and C > 1:
            T = check_finite(Y.astype(A.dtype), "one-hot labels Y")
        else:
            T = _one_hot(check_labels(Y, C, "labels Y"), C, A.dtype)
        if T.shape[0] != N:
            fail("labels Y", f"{N} labels (one per row of the predictions)", f"{T.shape[0]}")
        return T

    def backward(self):
        if getattr(self, "_cache", None) is None:
            raise NNCoreError(f"{type(self).__name__}.backward was called before forward: "
                              "compute the loss with forward(A, Y) first.")
        return self._gradient()

    def predict(self, A):
        """Class index per row (classification losses)."""
        return np.argmax(as_array(A, lambda: f"outputs A of {type(self).__name__}.predict", ndim=2), axis=1)

    def accuracy(self, A, Y):
        """Fraction of rows whose predicted class equals the label: A the outputs (N, C), Y the targets.

        The same order as forward(A, Y) and as torch: prediction first, target second.
        """
        A, Y = self._accuracy_inputs(A, Y)
        labels = np.argmax(Y, axis=1) if Y.ndim == 2 and Y.shape[1] > 1 else Y.reshape(-1)
        if labels.shape[0] != A.shape[0]:
            fail(f"targets Y of {type(self).__name__}.accuracy", f"{A.shape[0]} labels (one per row of A)",
                 f"shape {Y.shape}", "The order is accuracy(A, Y): the outputs first, the labels second.")
        return float(np.mean(self.predict(A).reshape(-1) == labels))

    def _accuracy_inputs(self, A, Y):
        name = type(self).__name__
        return (as_array(A, lambda: f"predictions A of {name}.accuracy", ndim=2),
                as_array(Y, lambda: f"targets Y of {name}.accuracy"))

    def __repr__(self):
        return f"{type(self).__name__}()"


class MSE(Loss):
    """Mean squared error over every element (as torch.nn.MSELoss).

    L = 1/(N K) sum_{n,k} (A_nk - Y_nk)^2,     dL/dA = 2 (A - Y) / (N K)

    for A and Y of shape (N, K).
    """

    def forward(self, A, Y):
        A, Y = self._inputs(A, Y)
        Y = self._same_shape_targets(A, Y, "numbers")
        self._cache = (A, Y)
        return float(np.mean((A - Y) ** 2))

    def _gradient(self):
        A, Y = self._cache
        return 2.0 * (A - Y) / A.size

    def predict(self, A):
        return A

    def accuracy(self, A, Y):
        return None


class BinaryCrossEntropy(Loss):
    """Binary cross-entropy on probabilities A in (0, 1), e.g. a sigmoid output.

    L = -1/(N K) sum [ Y log A + (1 - Y) log(1 - A) ]
    dL/dA = (A - Y) / (A (1 - A)) / (N K)

    A is clipped to [eps, 1 - eps] so log never sees 0. Paired with a sigmoid
    output the chain rule gives dL/dZ = (A - Y) / (N K): no sigmoid derivative left.
    """

    def forward(self, A, Y):
        A, Y = self._inputs(A, Y)
        Y = self._same_shape_targets(A, Y, "values in 0..1")
        if np.any((Y < 0) | (Y > 1)):
            fail("targets Y of BinaryCrossEntropy", "values between 0 and 1",
                 f"values from {Y.min()} to {Y.max()}",
                 "Binary targets are 0 or 1 (or a probability in between); check that A and Y are not swapped: "
                 "forward(A, Y) takes the predictions first.")
        self._probabilities(A, "BinaryCrossEntropy takes probabilities, such as the output of a Sigmoid(): "
                               "end the model with Sigmoid(), or, for logits, use 2 outputs and "
                               "SoftmaxCrossEntropy() (nncore's loss on logits).")
        eps = np.finfo(A.dtype).eps
        P = np.clip(A, eps, 1 - eps)
        self._cache = (P, Y)
        return float(-np.mean(Y * np.log(P) + (1 - Y) * np.log(1 - P)))

    def _gradient(self):
        P, Y = self._cache
        return (P - Y) / (P * (1 - P)) / P.size

    def predict(self, A):
        return (as_array(A, "outputs A of BinaryCrossEntropy.predict") > 0.5).astype(np.int64)

    def accuracy(self, A, Y):
        A, Y = self._accuracy_inputs(A, Y)
        if Y.size != A.size:
            fail("targets Y of BinaryCrossEntropy.accuracy", f"{A.size} targets of shape {A.shape} (one per output)",
                 f"shape {Y.shape}", "The order is accuracy(A, Y): the outputs first, the targets second.")
        return float(np.mean(self.predict(A) == Y.reshape(A.shape)))


class CrossEntropy(Loss):
    """Categorical cross-entropy on probabilities A (rows sum to 1, e.g. softmax outputs).

    L = -1/N sum_n sum_c Y_nc log A_nc = -1/N sum_n log A_{n, y_n}
    dL/dA = -Y / A / N

    A is clipped below at eps = 1e-12, so a predicted probability of exactly 0
    costs -log(eps) (about 27.6) instead of infinity.
    """

    def forward(self, A, Y):
        A, Y = self._inputs(A, Y)
        T = self._class_targets(A, Y)
        self._probabilities(A, "CrossEntropy takes probabilities, such as the output of a Softmax(); for logits "
                               "use SoftmaxCrossEntropy() (softmax and cross-entropy in one, more stable), "
                               "or end the model with Softmax().")
        P = np.clip(A, 1e-12, None)
        self._cache = (P, T)
        return float(-np.sum(T * np.log(P)) / A.shape[0])

    def _gradient(self):
        P, T = self._cache
        return -T / P / P.shape[0]


class SoftmaxCrossEntropy(Loss):
    """Softmax and categorical cross-entropy fused, taking the logits Z (N, C).

    L = -1/N sum_n log softmax(Z)_{n, y_n}
    dL/dZ = (softmax(Z) - Y) / N

    The fused gradient skips the softmax Jacobian entirely (notebook 05 shows
    why it equals going through it) and log_softmax never takes log(0).
    This is what torch.nn.CrossEntropyLoss computes from logits.

    With integer labels y (N,) no one-hot matrix is built: the loss picks
    log softmax(Z)[n, y_n] out of each row, and the gradient subtracts 1 at
    [n, y_n], which is what "- Y" does for a one-hot Y. The exponentials are
    computed once, in forward, and the softmax they give is kept for backward.
    """

    def forward(self, Z, Y):
        Z, Y = self._inputs(Z, Y)
        N, C = Z.shape
        # log_softmax and softmax from one exp (see activations.log_softmax and softmax)
        shifted = Z - Z.max(axis=1, keepdims=True)
        E = np.exp(shifted)
        total = E.sum(axis=1, keepdims=True)
        log_P = shifted - np.log(total)
        P = E / total
        if Y.ndim == 2 and Y.shape[1] == C and C > 1:  # one-hot rows
            T = self._class_targets(Z, Y)
            self._cache = (P, T)
            # one term per row (the others are 0), then the same sum as for integer labels
            return float(-np.sum(np.sum(T * log_P, axis=1)) / N)
        y = check_labels(Y, C, "labels Y")
        if y.shape[0] != N:
            fail("labels Y", f"{N} labels (one per row of the predictions)", f"{y.shape[0]}")
        self._cache = (P, y)
        return float(-np.sum(log_P[np.arange(N), y]) / N)

    def _gradient(self):
        P, Y = self._cache
        N = P.shape[0]
        if Y.ndim == 2:
            return (P - Y) / N
        dZ = P.copy()  # a copy: backward may be called again on the same forward
        dZ[np.arange(N), Y] -= 1
        dZ /= N
        return dZ

    def probabilities(self, Z):
        """softmax(Z): the class probabilities behind the logits."""
        return softmax(Z)
