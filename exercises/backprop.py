# This file is generated from solutions/backprop.py by `python -m nncore generate`.
# It is yours: replace each `raise NotImplementedError(...)` with your code, then check it
# with nncore.check("backprop") in a notebook, or in a terminal in the course folder with
# `.venv/bin/python -m nncore check backprop` (Windows: .venv\Scripts\python).
# Stuck? nncore.hint("backprop") (or `... -m nncore hint backprop`) gives the next hint, one at a time.
# `... -m nncore reset backprop` restores the original stub (your file is kept as backprop.py.bak).

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
        raise NotImplementedError('Dense.forward in exercises/backprop.py is not implemented yet: keep X on self and return Z = X W + b. nncore.hint("backprop") gives a hint, nncore.check("backprop") checks it.')

    def backward(self, dZ):
        """Store dW and db on self and return dX, given dZ = dL/dZ of shape (N, n_out).

        dW = X^T dZ (n_in, n_out), db = the sum of dZ over the samples (1, n_out), dX = dZ W^T (N, n_in).
        No 1/N here: the loss's gradient already has it (section 3), so the layer only sums.
        """
        raise NotImplementedError('Dense.backward in exercises/backprop.py is not implemented yet: store dW and db on self and return dX. nncore.hint("backprop") gives a hint, nncore.check("backprop") checks it.')

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
        raise NotImplementedError('ReLU.forward in exercises/backprop.py is not implemented yet: keep what backward needs on self and return max(0, Z). nncore.hint("backprop") gives a hint, nncore.check("backprop") checks it.')

    def backward(self, dA):
        """Return dZ = dA times ReLU'(Z) (1 where Z > 0, else 0), with Z from the last forward pass."""
        raise NotImplementedError('ReLU.backward in exercises/backprop.py is not implemented yet: dZ, that is dA times the mask of the last forward pass. nncore.hint("backprop") gives a hint, nncore.check("backprop") checks it.')


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
        raise NotImplementedError('Network.forward in exercises/backprop.py is not implemented yet: run X through every layer in order and return the output of the last one. nncore.hint("backprop") gives a hint, nncore.check("backprop") checks it.')

    def backward(self, dA):
        """Given dA = dL/dOutput, run every layer's backward, last layer first; return dX = dL/dInput.

        Each layer receives the gradient that the layer after it returned.
        """
        raise NotImplementedError('Network.backward in exercises/backprop.py is not implemented yet: every layer\'s backward, last layer first, each on the gradient the next one returned; return dX. nncore.hint("backprop") gives a hint, nncore.check("backprop") checks it.')

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
