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
    ### BEGIN SOLUTION
    # TASK: Z = X W + b for the batch, after checking the shapes of X, W and b
    # HINT 1: Notebook 03, section 3 ("A batch: one matrix product for all samples"): its shape rule says which
    # sizes must agree, and the common mistake after it shows the bias shape that broadcasts wrongly
    # without any error. Check the shapes first, then compute.
    # HINT 2: X (N, n_in), W (n_in, n_out), b (1, n_out) or (n_out,); Z = X W + b has shape (N, n_out).
    # The inner sizes must agree: X's number of columns is W's number of rows. n_out is W's number of columns.
    # HINT 3: Steps:
    #   1. if X's second size differs from W's first size, raise a ValueError whose message shows both shapes;
    #   2. if b's shape is neither (1, n_out) nor (n_out,), raise a ValueError that shows b's shape and the
    #      two shapes allowed;
    #   3. return the matrix product of X and W, plus b (b broadcasts over the N rows).
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
        # TASK: W with He initialisation and b as zeros
        # HINT 1: Notebook 03, section 4 states the recipe, and section 7 ("The scale of the initial weights")
        # explains it: normal numbers, scaled so that a stack of ReLU layers keeps the size of its activations.
        # HINT 2: W: shape (n_in, n_out), standard normal numbers times sqrt(2 / n_in); b: zeros of shape (1, n_out).
        # The numbers come from a generator made with np.random.default_rng and the seed argument, so that the
        # same seed gives the same W.
        # HINT 3: Steps: make a generator from the seed; draw an (n_in, n_out) array from it with its standard_normal
        # method; multiply it by the square root of 2 / n_in and store it as self.W; store zeros of shape
        # (1, n_out) as self.b.
        rng = np.random.default_rng(seed)
        self.W = rng.standard_normal((n_in, n_out)) * np.sqrt(2.0 / n_in)
        self.b = np.zeros((1, n_out))
        ### END SOLUTION

    def forward(self, X):
        """Keep X (backpropagation will need it) and return Z = X W + b, shape (N, n_out)."""
        ### BEGIN SOLUTION
        # TASK: keep X on the layer and return Z
        # HINT 1: Notebook 03, section 4: the layer remembers its input because backpropagation needs it (notebook 04
        # computes dW from it), and the product itself is what your dense_forward already does.
        # HINT 2: Z = X W + b with this layer's W (n_in, n_out) and b (1, n_out); X (N, n_in), Z (N, n_out).
        # Afterwards the layer's attribute X is the X it was given.
        # HINT 3: Two steps: store X as an attribute of the layer (the constructor sets it to None), then return what
        # your dense_forward gives for X and this layer's W and b.
        self.X = X
        return dense_forward(X, self.W, self.b)
        ### END SOLUTION
