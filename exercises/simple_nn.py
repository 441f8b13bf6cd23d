# This file is generated from solutions/simple_nn.py by `python -m nncore generate`.
# It is yours: replace each `raise NotImplementedError(...)` with your code, then check it
# with nncore.check("simple_nn") in a notebook, or in a terminal in the course folder with
# `.venv/bin/python -m nncore check simple_nn` (Windows: .venv\Scripts\python).
# `... -m nncore reset simple_nn` restores the original stub (your file is kept as simple_nn.py.bak).

"""Exercise: SimpleNN, a two-layer network that learns XOR (notebook 04).

    Z1 = X @ W1 + b1        A1 = tanh(Z1)          hidden layer, (N, hidden)
    Z2 = A1 @ W2 + b2       A2 = sigmoid(Z2)       output, (N, output) probabilities
    L  = binary cross-entropy, mean over the N * output entries

Backward, with m = N * output (the number of entries the loss averages over)::

    dZ2 = (A2 - y) / m                 sigmoid + cross-entropy: the sigmoid's slope cancels
    dW2 = A1.T @ dZ2      db2 = sum of dZ2 over the batch (axis 0)
    dA1 = dZ2 @ W2.T
    dZ1 = dA1 * (1 - A1**2)            tanh'(Z1) = 1 - tanh(Z1)^2
    dW1 = X.T @ dZ1       db1 = sum of dZ1 over the batch (axis 0)
"""

import numpy as np


class SimpleNN:
    """input -> tanh hidden layer -> sigmoid output, trained by full-batch gradient descent.

    Parameters: W1 (input_size, hidden_size), b1 (1, hidden_size),
                W2 (hidden_size, output_size), b2 (1, output_size).
    After backward: dW1, db1, dW2, db2 with the same shapes.
    """

    def __init__(self, input_size, hidden_size, output_size, learning_rate=0.01, seed=0):
        rng = np.random.default_rng(seed)
        # Variance 1/n_in (LeCun's scale, close to Xavier's 2/(n_in + n_out) here): keeps the tanh
        # units away from their flat tails at the start.
        self.W1 = rng.standard_normal((input_size, hidden_size)) * np.sqrt(1.0 / input_size)
        self.b1 = np.zeros((1, hidden_size))
        self.W2 = rng.standard_normal((hidden_size, output_size)) * np.sqrt(1.0 / hidden_size)
        self.b2 = np.zeros((1, output_size))
        self.learning_rate = learning_rate

    def forward(self, X):
        """Return A2, shape (N, output_size); keep Z1, A1, Z2, A2 on self for backward."""
        # HINT: self.Z1 = X @ self.W1 + self.b1, self.A1 = np.tanh(self.Z1), then self.Z2 and
        # HINT: self.A2 = 1 / (1 + np.exp(-self.Z2)) the same way; return self.A2.
        raise NotImplementedError('SimpleNN.forward in exercises/simple_nn.py is not implemented yet. Hint: self.Z1 = X @ self.W1 + self.b1, self.A1 = np.tanh(self.Z1), then self.Z2 and self.A2 = 1 / (1 + np.exp(-self.Z2)) the same way; return self.A2.')

    def loss(self, y):
        """Binary cross-entropy of the last forward pass against targets y of shape (N, output_size)."""
        A2 = np.clip(self.A2, 1e-12, 1 - 1e-12)
        return float(-np.mean(y * np.log(A2) + (1 - y) * np.log(1 - A2)))

    def backward(self, X, y):
        """Compute dW1, db1, dW2, db2 from the last forward(X); store them on self. No update here."""
        # HINT: follow the formulas at the top of this file, from dZ2 = (A2 - y) / y.size
        # HINT: down to dW1 and db1; db is dZ.sum(axis=0, keepdims=True).
        raise NotImplementedError('SimpleNN.backward in exercises/simple_nn.py is not implemented yet. Hint: follow the formulas at the top of this file, from dZ2 = (A2 - y) / y.size down to dW1 and db1; db is dZ.sum(axis=0, keepdims=True).')

    def train(self, X, y, epochs=1000):
        """Full-batch gradient descent; returns the list of losses, one per epoch."""
        losses = []
        for _ in range(epochs):
            # HINT: self.forward(X), losses.append(self.loss(y)), self.backward(X, y), then update each
            # HINT: parameter in place: self.W1 -= self.learning_rate * self.dW1, and so on for b1, W2, b2.
            raise NotImplementedError('SimpleNN.train in exercises/simple_nn.py is not implemented yet. Hint: self.forward(X), losses.append(self.loss(y)), self.backward(X, y), then update each parameter in place: self.W1 -= self.learning_rate * self.dW1, and so on for b1, W2, b2.')
        return losses

    def predict(self, X):
        """0/1 predictions, shape (N, output_size)."""
        return (self.forward(X) > 0.5).astype(int)
