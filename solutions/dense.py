"""Exercise: the forward pass of a dense layer, for a whole batch at once (notebook 03).

One sample per row. With N samples of n_in features and a layer of n_out neurons::

    X (N, n_in)  @  W (n_in, n_out)  ->  (N, n_out)
                 +  b (1, n_out)         the same row of biases added to every sample
                 =  Z (N, n_out)

Column j of W holds the n_in weights of neuron j; row i of Z holds sample i's
n_out pre-activations, which depend on row i of X only.
"""

import numpy as np


def dense_forward(X, W, b):
    """Z = X @ W + b for a batch.

    X: (N, n_in), W: (n_in, n_out), b: (1, n_out) (a 1-D b of shape (n_out,) is fine too).
    Returns Z: (N, n_out).

    Raises ValueError, with the shapes in the message, when
    * X's number of features is not W's number of rows (X.shape[1] != W.shape[0]);
    * b is not one number per neuron in a row: anything but (1, n_out) or (n_out,).
      A column such as (n_out, 1) would broadcast to the wrong thing without any error.
    """
    ### BEGIN SOLUTION
    # HINT: compare X.shape[1] with W.shape[0], and b.shape with (1, n_out) and (n_out,) where n_out = W.shape[1];
    # HINT: on a mismatch raise ValueError(f"...") showing the shapes, e.g. {X.shape} and {W.shape}.
    # HINT: Then return X @ W + b (b broadcasts over the N rows).
    if X.shape[1] != W.shape[0]:
        raise ValueError(f"X has shape {X.shape}: {X.shape[1]} features per sample, but W has shape "
                         f"{W.shape}, which expects {W.shape[0]}. The inner sizes of X @ W must agree.")
    n_out = W.shape[1]
    if b.shape not in ((1, n_out), (n_out,)):
        raise ValueError(f"b has shape {b.shape}; expected (1, {n_out}) or ({n_out},): one bias per neuron, "
                         "in a row, so that it is added to every sample.")
    return X @ W + b
    ### END SOLUTION


class DenseLayer:
    """A dense layer that owns its parameters.

    W: (n_in, n_out), He initialisation: normal numbers with standard deviation sqrt(2 / n_in),
       drawn from np.random.default_rng(seed) so the same seed gives the same W.
    b: (1, n_out), zeros.
    """

    def __init__(self, n_in, n_out, seed=0):
        self.n_in, self.n_out = n_in, n_out
        self.X = None  # the last input, kept by forward
        ### BEGIN SOLUTION
        # HINT: rng = np.random.default_rng(seed); draw self.W with rng.standard_normal((n_in, n_out))
        # HINT: and scale it by np.sqrt(2 / n_in); self.b is np.zeros((1, n_out)).
        rng = np.random.default_rng(seed)
        self.W = rng.standard_normal((n_in, n_out)) * np.sqrt(2.0 / n_in)
        self.b = np.zeros((1, n_out))
        ### END SOLUTION

    def forward(self, X):
        """Keep X (backpropagation will need it) and return Z = X @ W + b, shape (N, n_out)."""
        ### BEGIN SOLUTION
        # HINT: store the input as self.X, then reuse your dense_forward.
        self.X = X
        return dense_forward(X, self.W, self.b)
        ### END SOLUTION
