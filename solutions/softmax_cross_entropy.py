"""Exercise: softmax and cross-entropy as one loss on the logits (notebook 05, section 9).

For logits Z (N, C) and one-hot targets Y (N, C), row by row with m_n = max_j Z_nj::

    log_P = (Z - m) - log sum_j exp(Z_j - m)        the stable log-softmax, (N, C)
    L     = -1/N sum_n sum_c Y_nc log_P_nc          the mean cross-entropy over the batch, a float
    dL/dZ = (softmax(Z) - Y) / N                    the fused gradient, (N, C)

Integer labels y (N,) stand for the one-hot rows Y[n, y_n] = 1. nncore's SoftmaxCrossEntropy
computes exactly this; the base class Loss adds predict(Z) and accuracy(Z, Y).
"""

import numpy as np

from nncore.losses import Loss


class SoftmaxCrossEntropy(Loss):
    """Used like nncore.SoftmaxCrossEntropy:

        loss = SoftmaxCrossEntropy()
        L = loss.forward(Z, y)      # the mean loss, a float
        dZ = loss.backward()        # dL/dZ, shape (N, C)
    """

    def forward(self, Z, Y):
        """The mean cross-entropy of the logits Z (N, C) against Y: integer labels (N,) or one-hot rows (N, C).

        Keep on self what backward needs (the probabilities softmax(Z) and the one-hot targets),
        and do not change Z in place. Returns a float.
        """
        ### BEGIN SOLUTION
        # TASK: the stable log-softmax of Z and the mean cross-entropy, keeping softmax(Z) and one-hot Y for backward
        # HINT 1: Notebook 05, section 7 ("Stable log-softmax for the loss"): take the log before exponentiating,
        # after subtracting each row's largest logit. Section 4 gives the cross-entropy, -sum_c y_c log y_hat_c.
        # HINT 2: m = max_j Z_nj per row, kept as a column (N, 1); log_P = (Z - m) - log sum_j e^(Z_nj - m), (N, C);
        # L = -1/N sum_n sum_c Y_nc log_P_nc, a float. Integer labels y (N,) become one-hot rows (N, C) first:
        # the identity matrix of size C, indexed by y, gives them. softmax(Z) = e^log_P, (N, C).
        # HINT 3: Steps: make Z a float array and read N and C from its shape; if Y has one dimension, turn it into
        # one-hot rows; subtract the row maxima (keepdims, a new array, not -=); subtract from that the log of the
        # row sums of its exponentials; keep the exponential of the result (the probabilities) and the one-hot Y
        # on self; return minus the sum of Y times log_P, divided by N, as a float.
        Z = np.asarray(Z, dtype=np.float64)
        N, C = Z.shape
        Y = np.asarray(Y)
        if Y.ndim == 1:
            Y = np.eye(C)[Y]
        shifted = Z - Z.max(axis=1, keepdims=True)
        log_P = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        self.P, self.Y = np.exp(log_P), Y
        return float(-np.sum(Y * log_P) / N)
        ### END SOLUTION

    def backward(self):
        """dL/dZ = (softmax(Z) - Y) / N for the Z and Y of the last forward call, shape (N, C)."""
        ### BEGIN SOLUTION
        # TASK: the fused gradient (softmax(Z) - Y) / N from what forward kept
        # HINT 1: Notebook 05, section 5 ("Backpropagation through the Jacobian"): paired with cross-entropy the
        # softmax Jacobian cancels, and what is left is y_hat - y per sample, divided by N for the batch mean.
        # HINT 2: dZ = (P - Y) / N with P = softmax(Z) (N, C) and Y one-hot (N, C), both kept by forward; dZ is (N, C).
        # HINT 3: One step: subtract the kept one-hot targets from the kept probabilities and divide by the number
        # of rows. The loss is a mean, so divide once; predictions minus targets, not the other way round.
        return (self.P - self.Y) / len(self.P)
        ### END SOLUTION
