# This file is generated from solutions/perceptron.py by `python -m nncore generate`.
# It is yours: replace each `raise NotImplementedError(...)` with your code, then check it
# with nncore.check("perceptron") in a notebook, or in a terminal in the course folder with
# `.venv/bin/python -m nncore check perceptron` (Windows: .venv\Scripts\python).
# `... -m nncore reset perceptron` restores the original stub (your file is kept as perceptron.py.bak).

"""Exercise: the perceptron (notebook 01).

One unit: z = X @ w + b, output 1 if z > 0 else 0. The perceptron rule nudges
the weights only when a sample is misclassified::

    error = y - y_hat                 (+1, 0 or -1)
    w <- w + learning_rate * error * x
    b <- b + learning_rate * error
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
        """Weighted sums z = X @ w + b for a batch X of shape (N, n_inputs); returns shape (N,)."""
        # HINT: one matrix-vector product plus the bias: X @ self.weights + self.bias
        raise NotImplementedError('Perceptron.forward in exercises/perceptron.py is not implemented yet. Hint: one matrix-vector product plus the bias: X @ self.weights + self.bias')

    def predict(self, X):
        """Class 1 where z > 0, else 0; integers of shape (N,)."""
        # HINT: compare forward(X) with 0 and convert the booleans with .astype(int)
        raise NotImplementedError('Perceptron.predict in exercises/perceptron.py is not implemented yet. Hint: compare forward(X) with 0 and convert the booleans with .astype(int)')

    def train(self, X, y, epochs=10):
        """Apply the perceptron rule sample by sample, in order, for `epochs` passes.

        Returns a list with the number of misclassified samples seen in each epoch.
        """
        mistakes = []
        for _ in range(epochs):
            # HINT: for each row x_i and label y_i: error = y_i - prediction of x_i;
            # HINT: then w += learning_rate * error * x_i and b += learning_rate * error;
            # HINT: count the samples whose error was not 0 and append the count to `mistakes`.
            raise NotImplementedError('Perceptron.train in exercises/perceptron.py is not implemented yet. Hint: for each row x_i and label y_i: error = y_i - prediction of x_i; then w += learning_rate * error * x_i and b += learning_rate * error; count the samples whose error was not 0 and append the count to `mistakes`.')
        return mistakes
