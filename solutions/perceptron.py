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
        ### BEGIN SOLUTION
        # TASK: the weighted sums z = X w + b of the batch, one per sample
        # HINT 1: The unit's weighted sum, for a whole batch at once: notebook 01, section 1 ("The unit"), and the
        # common mistake right after it (element-wise * is not the weighted sum).
        # HINT 2: z = X w + b, with X of shape (N, n_inputs), w = self.weights of shape (n_inputs,) and b = self.bias,
        # a number; z has shape (N,). A matrix times a vector is NumPy's @ operator.
        # HINT 3: One line: return the matrix-vector product of X and the weights, plus the bias. If the shape of what
        # you return is (N, n_inputs), you multiplied element by element.
        return X @ self.weights + self.bias
        ### END SOLUTION

    def predict(self, X):
        """Class 1 where z > 0, else 0; integers of shape (N,)."""
        ### BEGIN SOLUTION
        # TASK: the step function of z, integers 1 where z > 0 and 0 elsewhere
        # HINT 1: The step function of notebook 01, section 1: the unit says 1 where its sum z is positive and 0
        # elsewhere. Your forward already computes z.
        # HINT 2: y_hat = step(z) = 1 where z > 0 and 0 otherwise (z = 0 gives 0), for z = forward(X) of shape (N,);
        # y_hat has shape (N,) and holds integers, not booleans.
        # HINT 3: Compute z with your forward; compare it with 0, strictly, which gives an array of booleans
        # of shape (N,); convert the booleans to integers and return them.
        return (self.forward(X) > 0).astype(int)
        ### END SOLUTION

    def train(self, X, y, epochs=10):
        """Apply the perceptron rule sample by sample, in order, for `epochs` passes.

        Returns a list with the number of misclassified samples seen in each epoch.
        """
        mistakes = []
        for _ in range(epochs):
            ### BEGIN SOLUTION
            # TASK: one epoch of the perceptron rule, then append its number of mistakes to `mistakes`
            # HINT 1: Notebook 01, section 2 ("The perceptron rule"): go through the samples one at a time, in
            # order; a sample that is already right changes nothing, a wrong one moves w and b towards the
            # right answer. Section 3 shows how to make one sample a batch of one, which predict accepts.
            # HINT 2: For sample x_i (a row of X, shape (n_inputs,)) with label y_i:
            #   error = y_i - y_hat_i         y_hat_i: your predict of x_i as a batch of shape (1, n_inputs)
            #   w <- w + eta * error * x_i    shape (n_inputs,)
            #   b <- b + eta * error          a number
            # with eta = self.learning_rate. A mistake is a sample whose error is not 0.
            # HINT 3: For this one epoch:
            #   1. start a count of mistakes at 0;
            #   2. for each row of X together with its label (zip them): predict the row reshaped to one sample,
            #      take the error, change self.weights and self.bias by the rule, and count the sample if its
            #      error was not 0;
            #   3. after the loop over the samples, append the count to `mistakes`.
            wrong = 0
            for x_i, y_i in zip(X, y):
                error = y_i - self.predict(x_i.reshape(1, -1))[0]
                self.weights += self.learning_rate * error * x_i
                self.bias += self.learning_rate * error
                wrong += int(error != 0)
            mistakes.append(wrong)
            ### END SOLUTION
        return mistakes
