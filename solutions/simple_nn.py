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
        ### BEGIN SOLUTION
        # TASK: the forward pass, keeping Z1, A1, Z2 and A2 on self and returning A2
        # HINT 1: Notebook 04, section 8 lists the four equations; each layer is notebook 03's Z = X W + b followed by
        # its activation. Keep every result on self (self.Z1, ...): backward reads them later.
        # HINT 2: Z1 = X W1 + b1 (N, hidden)     A1 = tanh(Z1) (N, hidden)
        # Z2 = A1 W2 + b2 (N, output)    A2 = sigmoid(Z2) (N, output)
        # For the sigmoid, use nncore's, which never overflows (`from nncore import sigmoid`, or its formula
        # in notebook 02, section 6, which shows the textbook 1 / (1 + e^-z) overflowing for large negative z).
        # HINT 3: Steps, each result stored as an attribute of self:
        #   1. the hidden pre-activation from X, W1 and b1 (a matrix product plus the bias row);
        #   2. its tanh (np.tanh);
        #   3. the output pre-activation from A1, W2 and b2;
        #   4. its sigmoid;
        #   5. return A2, one row per sample.
        self.Z1 = X @ self.W1 + self.b1
        self.A1 = np.tanh(self.Z1)
        self.Z2 = self.A1 @ self.W2 + self.b2
        self.A2 = sigmoid(self.Z2)
        return self.A2
        ### END SOLUTION

    def loss(self, y):
        """Binary cross-entropy of the last forward pass against targets y of shape (N, output_size)."""
        A2 = np.clip(self.A2, 1e-12, 1 - 1e-12)
        return float(-np.mean(y * np.log(A2) + (1 - y) * np.log(1 - A2)))

    def backward(self, X, y):
        """Compute dW1, db1, dW2, db2 from the last forward(X); store them on self. No update here."""
        ### BEGIN SOLUTION
        # TASK: the gradients dW1, db1, dW2, db2 of the mean binary cross-entropy, stored on self
        # HINT 1: Work from the loss down, one layer at a time, as notebook 04 does: section 4 gives the
        # output layer's dZ2 for a sigmoid with cross-entropy, and section 2 turns a layer's dZ into its dW,
        # its db and the gradient of its input. Between the two layers sits tanh: the chain rule goes through
        # W2 and then through tanh' (notebook 02, section 2 gives tanh', and it can be written with A1,
        # which forward kept).
        # HINT 2: With m = the number of entries of y (N * output):
        #   dZ2 = (A2 - y) / m                         (N, output)
        #   dW2 = A1^T dZ2  (hidden, output)           db2 = the sum of dZ2 over the samples  (1, output)
        #   dA1 = the gradient of the loss at A1       (N, hidden): A1 is layer 2's input, so section 2's rule
        #         for the gradient of a layer's input applies, with dZ2 and W2
        #   dZ1 = dA1 times tanh'(Z1), element by element  (N, hidden)
        #   dW1 = X^T dZ1  (input, hidden)             db1 = the sum of dZ1 over the samples  (1, hidden)
        # HINT 3: Steps, from the loss down:
        #   1. dZ2 from A2, y and m; then layer 2's dW2 and db2 (sum over axis 0, keeping a row: (1, output));
        #   2. back through W2 to A1: a matrix product with W2 transposed, one row per sample (no sum over the
        #      batch here);
        #   3. back through tanh: multiply element by element by tanh' at Z1, written with A1;
        #   4. layer 1's dW1 and db1 from X and dZ1, as step 1 did for layer 2;
        #   5. store the four gradients as self.dW1, self.db1, self.dW2 and self.db2; return nothing.
        dZ2 = (self.A2 - y) / y.size
        self.dW2 = self.A1.T @ dZ2
        self.db2 = dZ2.sum(axis=0, keepdims=True)
        dZ1 = (dZ2 @ self.W2.T) * (1.0 - self.A1 ** 2)
        self.dW1 = X.T @ dZ1
        self.db1 = dZ1.sum(axis=0, keepdims=True)
        ### END SOLUTION

    def train(self, X, y, epochs=1000):
        """Full-batch gradient descent; returns the list of losses, one per epoch."""
        losses = []
        for _ in range(epochs):
            ### BEGIN SOLUTION
            # TASK: one epoch of gradient descent (forward, record the loss, backward, update every parameter)
            # HINT 1: Notebook 04, section 5 ("Gradient descent on a 2-D loss landscape"): a step moves every
            # parameter against its gradient, scaled by the learning rate. Your forward, the given loss and
            # your backward do the rest; section 8 gives their order.
            # HINT 2: For each parameter P among W1, b1, W2, b2, with its gradient dP of the same shape:
            #   P <- P - lr * dP,    lr = self.learning_rate
            # `losses` gets one float per epoch: the loss of this epoch's forward pass, before the update.
            # HINT 3: Inside the loop over the epochs:
            #   1. run forward on X (it keeps A2 on self);
            #   2. append the loss of that forward pass to `losses`: call the loss method with y;
            #   3. run backward on X and y;
            #   4. subtract the learning rate times its gradient from each of the four parameters, in place (-=),
            #      so that the arrays on self change.
            self.forward(X)
            losses.append(self.loss(y))
            self.backward(X, y)
            self.W1 -= self.learning_rate * self.dW1
            self.b1 -= self.learning_rate * self.db1
            self.W2 -= self.learning_rate * self.dW2
            self.b2 -= self.learning_rate * self.db2
            ### END SOLUTION
        return losses

    def predict(self, X):
        """0/1 predictions, shape (N, output_size)."""
        return (self.forward(X) > 0.5).astype(int)
