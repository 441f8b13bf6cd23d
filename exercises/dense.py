# This file is generated from solutions/dense.py by `python -m nncore generate`.
# It is yours: replace each `raise NotImplementedError(...)` with your code, then check it
# with nncore.check("dense") in a notebook, or in a terminal in the course folder with
# `.venv/bin/python -m nncore check dense` (Windows: .venv\Scripts\python).
# Stuck? nncore.hint("dense") (or `... -m nncore hint dense`) gives the next hint, one at a time.
# `... -m nncore reset dense` restores the original stub (your file is kept as dense.py.bak).

"""Exercise: the forward pass of a dense layer, for a whole batch at once (notebook 03, section 4).

One sample per row. With N samples of n_in features and a layer of n_out neurons::

    Z = X W + b     X (N, n_in) times W (n_in, n_out) is (N, n_out);
                    b (1, n_out) is the same row of biases added to every sample;
                    Z (N, n_out)

Column j of W holds the n_in weights of neuron j; row i of Z holds sample i's
n_out pre-activations, which depend on row i of X only.
"""

import numpy as np


def dense_forward(X, W, b):
    """Z = X W + b for a batch.

    X: (N, n_in), W: (n_in, n_out), b: (1, n_out) (a 1-D b of shape (n_out,) is fine too).
    Returns Z: (N, n_out).

    Raises ValueError, with the shapes in the message, when
    * X's number of features is not W's number of rows (X.shape[1] != W.shape[0]);
    * b is not one number per neuron in a row: anything but (1, n_out) or (n_out,).
      A column such as (n_out, 1) would broadcast to the wrong thing without any error.
    """
    raise NotImplementedError('dense_forward in exercises/dense.py is not implemented yet: Z = X W + b for the batch, after checking the shapes of X, W and b. nncore.hint("dense") gives a hint, nncore.check("dense") checks it.')


class DenseLayer:
    """A dense layer that owns its parameters.

    W: (n_in, n_out), He initialisation: normal numbers with standard deviation sqrt(2 / n_in),
       drawn from np.random.default_rng(seed) so the same seed gives the same W.
    b: (1, n_out), zeros.
    """

    def __init__(self, n_in, n_out, seed=0):
        self.n_in, self.n_out = n_in, n_out
        self.X = None  # the last input, kept by forward
        raise NotImplementedError('DenseLayer.__init__ in exercises/dense.py is not implemented yet: W with He initialisation and b as zeros. nncore.hint("dense") gives a hint, nncore.check("dense") checks it.')

    def forward(self, X):
        """Keep X (backpropagation will need it) and return Z = X W + b, shape (N, n_out)."""
        raise NotImplementedError('DenseLayer.forward in exercises/dense.py is not implemented yet: keep X on the layer and return Z. nncore.hint("dense") gives a hint, nncore.check("dense") checks it.')
