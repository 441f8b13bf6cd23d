# This file is generated from solutions/softmax_cross_entropy.py by `python -m nncore generate`.
# It is yours: replace each `raise NotImplementedError(...)` with your code, then check it
# with nncore.check("softmax_cross_entropy") in a notebook, or in a terminal in the course folder with
# `.venv/bin/python -m nncore check softmax_cross_entropy` (Windows: .venv\Scripts\python).
# Stuck? nncore.hint("softmax_cross_entropy") (or `... -m nncore hint softmax_cross_entropy`) gives the next hint, one at a time.
# `... -m nncore reset softmax_cross_entropy` restores the original stub (your file is kept as softmax_cross_entropy.py.bak).

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
        raise NotImplementedError('SoftmaxCrossEntropy.forward in exercises/softmax_cross_entropy.py is not implemented yet: the stable log-softmax of Z and the mean cross-entropy, keeping softmax(Z) and one-hot Y for backward. nncore.hint("softmax_cross_entropy") gives a hint, nncore.check("softmax_cross_entropy") checks it.')

    def backward(self):
        """dL/dZ = (softmax(Z) - Y) / N for the Z and Y of the last forward call, shape (N, C)."""
        raise NotImplementedError('SoftmaxCrossEntropy.backward in exercises/softmax_cross_entropy.py is not implemented yet: the fused gradient (softmax(Z) - Y) / N from what forward kept. nncore.hint("softmax_cross_entropy") gives a hint, nncore.check("softmax_cross_entropy") checks it.')
