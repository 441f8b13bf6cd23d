# This file is generated from solutions/perceptron.py by `python -m nncore generate`.
# It is yours: replace each `raise NotImplementedError(...)` with your code, then check it
# with nncore.check("perceptron") in a notebook, or in a terminal in the course folder with
# `.venv/bin/python -m nncore check perceptron` (Windows: .venv\Scripts\python).
# Stuck? nncore.hint("perceptron") (or `... -m nncore hint perceptron`) gives the next hint, one at a time.
# `... -m nncore reset perceptron` restores the original stub (your file is kept as perceptron.py.bak).

"""Exercise: the perceptron (notebook 01, section 3).

One unit: for a batch X of shape (N, n_inputs), the weighted sums z = X w + b, shape (N,),
and the step function y_hat = 1 where z > 0, else 0. The perceptron rule (section 2) changes
the weights only when a sample is misclassified; eta is the learning rate::

    error = y - y_hat                 (+1, 0 or -1)
    w <- w + eta * error * x
    b <- b + eta * error
"""

import numpy as np


class Perceptron:
    """A single threshold unit trained with the perceptron rule.

    weights: shape (n_inputs,); bias: a float.
    """

    def __init__(self, n_inputs, learning_rate=0.1, seed=0):
        rng = np.random.default_rng(seed)
        self.weights = rng.standard_normal(n_inputs) * 0.01
        self.bias = 0.0
        self.learning_rate = learning_rate

    def forward(self, X):
        """The weighted sums z = X w + b for a batch X of shape (N, n_inputs); returns shape (N,)."""
        raise NotImplementedError('Perceptron.forward in exercises/perceptron.py is not implemented yet: the weighted sums z = X w + b of the batch, one per sample. nncore.hint("perceptron") gives a hint, nncore.check("perceptron") checks it.')

    def predict(self, X):
        """Class 1 where z > 0, else 0; integers of shape (N,)."""
        raise NotImplementedError('Perceptron.predict in exercises/perceptron.py is not implemented yet: the step function of z, integers 1 where z > 0 and 0 elsewhere. nncore.hint("perceptron") gives a hint, nncore.check("perceptron") checks it.')

    def train(self, X, y, epochs=10):
        """Apply the perceptron rule sample by sample, in order, for `epochs` passes.

        Returns a list with the number of misclassified samples seen in each epoch.
        """
        mistakes = []
        for _ in range(epochs):
            raise NotImplementedError('Perceptron.train in exercises/perceptron.py is not implemented yet: one epoch of the perceptron rule, then append its number of mistakes to `mistakes`. nncore.hint("perceptron") gives a hint, nncore.check("perceptron") checks it.')
        return mistakes
