"""Exercise: backpropagation through a network of layers (notebook 04, section 9).

Three classes with nncore's one interface, nncore.layers.Layer: forward(X) keeps what backward
needs, backward(dA) takes the gradient of the loss with respect to the layer's output and returns
the gradient with respect to its input. Because they share that interface, your layers run inside
nncore's Sequential, your Network trains with nncore's losses and optimizers, and notebook 07 reuses
them.

For a dense layer on a batch of N samples, one per row (section 2)::

    forward:   Z = X W + b        X (N, n_in), W (n_in, n_out), b (1, n_out), Z (N, n_out)
    backward:  dW = X^T dZ        (n_in, n_out)   sums over the N samples
               db = sum_n dZ_n    (1, n_out)      sums over the N samples
               dX = dZ W^T        (N, n_in)       one row per sample, never summed

For ReLU (section 1): A = max(0, Z), and the gradient passes only where Z > 0.
For the network (sections 6 and 7): forward runs the layers in order, backward runs them in reverse,
each turning the gradient of its output into the gradient of its input: the chain rule.
"""

import numpy as np

from nncore.layers import Layer


class Dense(Layer):
    """A fully connected layer, Z = X W + b, with He initialisation.

    W: (n_in, n_out), normal numbers with standard deviation sqrt(2 / n_in) from
       np.random.default_rng(seed); b: (1, n_out), zeros.
    After backward: dW (n_in, n_out) and db (1, n_out), the gradients of the loss.
    """

    def __init__(self, n_in, n_out, seed=0):
        rng = np.random.default_rng(seed)
        self.W = rng.standard_normal((n_in, n_out)) * np.sqrt(2.0 / n_in)
        self.b = np.zeros((1, n_out))
        self.dW = np.zeros_like(self.W)
        self.db = np.zeros_like(self.b)
        self.X = None  # the last input, kept by forward for backward

    def forward(self, X):
        """Keep X on self (backward needs it for dW) and return Z = X W + b, shape (N, n_out)."""
        ### BEGIN SOLUTION
        # TASK: keep X on self and return Z = X W + b
        # HINT 1: Notebook 04, section 2 ("A layer of neurons, and a batch"): backward computes dW from this
        # layer's input, so forward must remember it; the output is notebook 03's Z = X W + b.
        # HINT 2: X (N, n_in) times W (n_in, n_out), plus b (1, n_out) broadcast to every row: Z (N, n_out).
        # After the call, the layer's attribute X (set to None in __init__) holds the X it was given.
        # HINT 3: Two steps: store the argument X as an attribute of self; return the matrix product of X
        # with this layer's W, plus this layer's b.
        self.X = X
        return X @ self.W + self.b
        ### END SOLUTION

    def backward(self, dZ):
        """Store dW and db on self and return dX, given dZ = dL/dZ of shape (N, n_out).

        dW = X^T dZ (n_in, n_out), db = the sum of dZ over the samples (1, n_out), dX = dZ W^T (N, n_in).
        No 1/N here: the loss's gradient already has it (section 3), so the layer only sums.
        """
        ### BEGIN SOLUTION
        # TASK: store dW and db on self and return dX
        # HINT 1: Notebook 04, section 2 derives all three: W and b are shared by every sample, so their
        # gradients add up the samples' contributions; the input X belongs to one sample per row, so its
        # gradient keeps one row per sample. Section 3 says why nothing here divides by N.
        # HINT 2: dZ (N, n_out), X (N, n_in) from forward, W (n_in, n_out):
        #   dW = X^T dZ      (n_in, n_out): the only product of X and dZ with the shape of W
        #   db = sum_n dZ_n  (1, n_out): a row, the shape of b
        #   dX = dZ W^T      (N, n_in): the shape of X
        # HINT 3: Steps: set self.dW to the transposed input kept by forward times dZ; set self.db to dZ
        # summed over axis 0 with keepdims=True, so it stays a row; return dZ times the transposed W.
        self.dW = self.X.T @ dZ
        self.db = dZ.sum(axis=0, keepdims=True)
        return dZ @ self.W.T
        ### END SOLUTION

    def parameters(self):
        return {"W": self.W, "b": self.b}

    def gradients(self):
        return {"W": self.dW, "b": self.db}

    def __repr__(self):
        return f"Dense({self.W.shape[0]}, {self.W.shape[1]})"


class ReLU(Layer):
    """A = max(0, Z), element by element; backward passes dA only where Z > 0."""

    def forward(self, Z):
        """Keep what backward needs on self and return max(0, Z), same shape as Z; Z stays as it is."""
        ### BEGIN SOLUTION
        # TASK: keep what backward needs on self and return max(0, Z)
        # HINT 1: Notebook 04, section 1 ("One neuron, by hand"): ReLU's local derivative is 1 where z > 0
        # and 0 elsewhere, so backward needs to know where Z was positive. Only forward sees Z: keep that
        # on self now.
        # HINT 2: A = max(0, Z), element by element, shape (N, units), a new array (Z itself unchanged).
        # The mask Z > 0 has the same shape: True where the unit was active.
        # HINT 3: Steps: store on self where Z is above 0 (a boolean array of Z's shape), or Z itself;
        # return the element-wise maximum of Z and 0 as a new array, without writing into Z.
        self.mask = Z > 0
        return np.maximum(Z, 0.0)
        ### END SOLUTION

    def backward(self, dA):
        """Return dZ = dA times ReLU'(Z) (1 where Z > 0, else 0), with Z from the last forward pass."""
        ### BEGIN SOLUTION
        # TASK: dZ, that is dA times the mask of the last forward pass
        # HINT 1: Notebook 04, section 1: through ReLU the upstream gradient passes unchanged where z > 0
        # and becomes 0 elsewhere (a dead unit passes nothing). Which units were active is decided by the
        # forward pass's Z, not by dA.
        # HINT 2: dZ = dA * ReLU'(Z), element by element, with ReLU'(Z) = 1 where Z > 0, else 0 (also at
        # Z = 0 exactly); dA, Z and dZ all have shape (N, units).
        # HINT 3: One step: multiply dA element by element by what forward kept (the mask, or Z > 0 from the
        # kept Z) and return the product. Compute nothing new from dA.
        return dA * self.mask
        ### END SOLUTION


class Network(Layer):
    """Layers run one after another; itself a Layer, so it plugs into nncore like Sequential.

    parameters() and gradients() are named like nncore.Sequential's, "layers[0].W", "layers[0].b",
    "layers[2].W", ..., so that an nncore optimizer pairs each array with its gradient.
    """

    def __init__(self, layers):
        self.layers = list(layers)

    def forward(self, X):
        """Run X through every layer in order and return the last layer's output.

        Each layer keeps its own cache (its input, its mask) for backward.
        """
        ### BEGIN SOLUTION
        # TASK: run X through every layer in order and return the output of the last one
        # HINT 1: Notebook 03, section 5 ran a network's layers one after another and kept a cache for
        # backpropagation; here each layer's own forward keeps its part of that cache on itself.
        # HINT 2: A^(0) = X, A^(l) = layer_l.forward(A^(l-1)) for l = 1 .. L; return A^(L). The shape goes from
        # (N, layer_sizes[0]) to (N, layer_sizes[-1]).
        # HINT 3: Start with the input; for each layer of self.layers, in order, replace it with what that
        # layer's forward returns for it; after the loop, return it.
        A = X
        for layer in self.layers:
            A = layer.forward(A)
        return A
        ### END SOLUTION

    def backward(self, dA):
        """Given dA = dL/dOutput, run every layer's backward, last layer first; return dX = dL/dInput.

        Each layer receives the gradient that the layer after it returned.
        """
        ### BEGIN SOLUTION
        # TASK: every layer's backward, last layer first, each on the gradient the next one returned; return dX
        # HINT 1: Notebook 04, section 7 ("Exploding gradients, and clipping") passed a gradient down a chain
        # of 20 layers by hand; section 1 says why: a layer's dX is the upstream gradient of the layer below.
        # HINT 2: dA^(L) = the dA given; for l = L .. 1: dA^(l-1) = layer_l.backward(dA^(l)). The result is dA^(0),
        # the gradient with respect to X, shape (N, layer_sizes[0]). Each backward also stores its own dW, db.
        # HINT 3: Loop over the layers in reverse order (Python's reversed); in each step, give the layer the
        # current gradient and keep what it returns as the new current gradient; after the loop, return it.
        for layer in reversed(self.layers):
            dA = layer.backward(dA)
        return dA
        ### END SOLUTION

    def parameters(self):
        return {f"layers[{i}].{k}": v for i, layer in enumerate(self.layers) for k, v in layer.parameters().items()}

    def gradients(self):
        return {f"layers[{i}].{k}": v for i, layer in enumerate(self.layers) for k, v in layer.gradients().items()}

    def train(self):
        """Training mode for every layer (dropout active). Returns the network."""
        return self._set_training(True)

    def eval(self):
        """Evaluation mode for every layer (dropout off). Returns the network."""
        return self._set_training(False)

    def _set_training(self, flag):
        self.training = flag
        for layer in self.layers:
            if hasattr(layer, "_set_training"):
                layer._set_training(flag)
            else:
                layer.training = flag
        return self

    def __repr__(self):
        return f"Network([{', '.join(map(repr, self.layers))}])"


def mlp(layer_sizes, seed=0):
    """Network([Dense, ReLU, Dense, ReLU, ..., Dense]) over layer_sizes, as notebook 03, section 5 builds it.

    Dense l has seed + l; every hidden layer is followed by ReLU; the last Dense gives the scores
    (logits), for nncore's SoftmaxCrossEntropy. mlp([2, 64, 3]) is Dense(2, 64), ReLU(), Dense(64, 3).
    """
    layers = []
    for l in range(len(layer_sizes) - 1):
        layers.append(Dense(layer_sizes[l], layer_sizes[l + 1], seed=seed + l))
        if l < len(layer_sizes) - 2:
            layers.append(ReLU())
    return Network(layers)
