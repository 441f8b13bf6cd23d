# This file is generated from solutions/simple_nn.py by `python -m nncore generate`.
# It is yours: replace each `raise NotImplementedError(...)` with your code, then check it
# with nncore.check("simple_nn") in a notebook, or in a terminal in the course folder with
# `.venv/bin/python -m nncore check simple_nn` (Windows: .venv\Scripts\python).
# Stuck? nncore.hint("simple_nn") (or `... -m nncore hint simple_nn`) gives the next hint, one at a time.
# `... -m nncore reset simple_nn` restores the original stub (your file is kept as simple_nn.py.bak).

"""Exercise: SimpleNN, a two-layer network that learns XOR (notebook 04, section 8).

Forward, for a batch X of shape (N, input), one sample per row::

    Z1 = X W1 + b1         A1 = tanh(Z1)          hidden layer, (N, hidden)
    Z2 = A1 W2 + b2        A2 = sigmoid(Z2)       output, (N, output): probabilities
    L  = binary cross-entropy, the mean over its m = N * output entries

Backward: the gradients of L with respect to W1, b1, W2 and b2, each with the shape of its
parameter. Notebook 04 gives the pieces: dZ2 = (A2 - y) / m for a sigmoid output with
cross-entropy (section 4), and for a dense layer Z = X W + b, dW = X^T dZ and db = the sum of
dZ over the samples (section 2). From dZ2 down to dZ1 is yours to derive, with the chain rule.
"""

import numpy as np

from nncore import sigmoid  # the stable one: notebook 02 shows 1 / (1 + exp(-z)) overflowing


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
        raise NotImplementedError('SimpleNN.forward in exercises/simple_nn.py is not implemented yet: the forward pass, keeping Z1, A1, Z2 and A2 on self and returning A2. nncore.hint("simple_nn") gives a hint, nncore.check("simple_nn") checks it.')

    def loss(self, y):
        """Binary cross-entropy of the last forward pass against targets y of shape (N, output_size)."""
        A2 = np.clip(self.A2, 1e-12, 1 - 1e-12)
        return float(-np.mean(y * np.log(A2) + (1 - y) * np.log(1 - A2)))

    def backward(self, X, y):
        """Compute dW1, db1, dW2, db2 from the last forward(X); store them on self. No update here."""
        raise NotImplementedError('SimpleNN.backward in exercises/simple_nn.py is not implemented yet: the gradients dW1, db1, dW2, db2 of the mean binary cross-entropy, stored on self. nncore.hint("simple_nn") gives a hint, nncore.check("simple_nn") checks it.')

    def train(self, X, y, epochs=1000):
        """Full-batch gradient descent; returns the list of losses, one per epoch."""
        losses = []
        for _ in range(epochs):
            raise NotImplementedError('SimpleNN.train in exercises/simple_nn.py is not implemented yet: one epoch of gradient descent (forward, record the loss, backward, update every parameter). nncore.hint("simple_nn") gives a hint, nncore.check("simple_nn") checks it.')
        return losses

    def predict(self, X):
        """0/1 predictions, shape (N, output_size)."""
        return (self.forward(X) > 0.5).astype(int)
