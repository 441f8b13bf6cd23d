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
        ### BEGIN SOLUTION
        # HINT: one matrix-vector product plus the bias: X @ self.weights + self.bias
        return X @ self.weights + self.bias
        ### END SOLUTION

    def predict(self, X):
        """Class 1 where z > 0, else 0; integers of shape (N,)."""
        ### BEGIN SOLUTION
        # HINT: compare forward(X) with 0 and convert the booleans with .astype(int)
        return (self.forward(X) > 0).astype(int)
        ### END SOLUTION

    def train(self, X, y, epochs=10):
        """Apply the perceptron rule sample by sample, in order, for `epochs` passes.

        Returns a list with the number of misclassified samples seen in each epoch.
        """
        mistakes = []
        for _ in range(epochs):
            ### BEGIN SOLUTION
            # HINT: for each row x_i and label y_i: error = y_i - prediction of x_i;
            # HINT: then w += learning_rate * error * x_i and b += learning_rate * error;
            # HINT: count the samples whose error was not 0 and append the count to `mistakes`.
            wrong = 0
            for x_i, y_i in zip(X, y):
                error = y_i - self.predict(x_i.reshape(1, -1))[0]
                self.weights += self.learning_rate * error * x_i
                self.bias += self.learning_rate * error
                wrong += int(error != 0)
            mistakes.append(wrong)
            ### END SOLUTION
        return mistakes
