"""Regularization: ways to keep a network from memorising its training data.

* Weight penalties (L1, L2) live in :class:`nncore.layers.Dense` (its ``l1``, ``l2``,
  ``l1_bias``, ``l2_bias`` arguments); :class:`RegularizedLoss` adds them to a loss,
  for gradient checks of the whole objective.
* :class:`Dropout` zeroes a random fraction of its inputs while training.
* :class:`GaussianNoise` adds random noise to its inputs while training.

Both layers act only in training mode (``model.train()``, which ``fit`` sets) and
are the identity in evaluation mode (``model.eval()``, which ``predict`` and
``evaluate`` set), so a trained model gives the same answer every time.
"""

import numpy as np

from .errors import as_array, check_has, check_seed, fail, is_real
from .layers import Layer, _rng


class Dropout(Layer):
    """Inverted dropout: in training, keep each unit with probability 1 - rate and scale it by 1 / (1 - rate).

    Forward in training, for X of shape (N, features)::

        mask = (u < 1 - rate) / (1 - rate)     u ~ uniform[0, 1), one per entry of X: 0 or 1/(1 - rate)
        A    = X * mask

    Each entry is kept with probability p = 1 - rate, so E[A] = p * X / p = X: the
    expected activation is unchanged, and evaluation needs no rescaling (A = X).
    Dropping without the 1/p scale would make every later layer see inputs about
    p times smaller in training than at test time.

    Backward: A = X * mask, so dX = dA * mask with the *same* mask as the forward pass.
    In evaluation mode both directions are the identity.

    rate: the fraction of units to drop, in [0, 1). seed: an int (or a numpy
    Generator) for a repeatable sequence of masks; None for fresh randomness.
    """

    def __init__(self, rate, seed=None):
        if not is_real(rate) or not 0.0 <= rate < 1.0:
            fail("Dropout rate", "a number in [0, 1): the fraction of units dropped, such as 0.2",
                 repr(rate),
                 "rate=1 would drop every unit (and divide by 1 - rate = 0); rate=0 drops none.")
        self.rate = float(rate)
        self.rng = _rng(check_seed(seed, "Dropout seed"))
        self.mask = None
        self._forwarded = None  # not None once forward has run (mask itself may be None)

    def forward(self, X):
        X = as_array(X, lambda: f"input X of {self!r}")
        self._forwarded = True
        if not self.training or self.rate == 0.0:
            self.mask = None  # identity: nothing to remember
            return X
        keep = 1.0 - self.rate
        # dtype of X, so a float32 network stays float32; integer input becomes float64, since an integer
        # mask would round 1/keep down to 1.
        dtype = X.dtype if np.issubdtype(X.dtype, np.floating) else np.dtype(np.float64)
        self.mask = (self.rng.random(X.shape) < keep).astype(dtype) * dtype.type(1.0 / keep)
        return X * self.mask

    def backward(self, dA):
        self._need_forward("_forwarded")
        dA = as_array(dA, lambda: f"dA of {self!r}")
        if self.mask is None:
            return dA
        if dA.shape != self.mask.shape:
            fail(f"dA of {self!r}", f"shape {self.mask.shape} (the shape of its output)", f"shape {dA.shape}")
        return dA * self.mask

    def __repr__(self):
        return f"Dropout(rate={self.rate})"


class GaussianNoise(Layer):
    """Add noise drawn from N(0, std^2) to every input, in training only.

    Forward in training: A = X + std * noise, noise ~ N(0, 1) of X's shape.
    The noise does not depend on X, so dA/dX = 1 and backward passes dA unchanged.
    In evaluation mode the layer is the identity. The noise has mean 0, so no
    rescaling is needed. Noise on the inputs acts like extra, slightly shifted
    training samples: the network cannot rely on the exact value of any input.
    """

    def __init__(self, std, seed=None):
        if not is_real(std) or std < 0:
            fail("GaussianNoise std", "a number >= 0: the standard deviation of the noise, such as 0.1",
                 repr(std))
        self.std = float(std)
        self.rng = _rng(check_seed(seed, "GaussianNoise seed"))
        self._shape = None

    def forward(self, X):
        X = as_array(X, lambda: f"input X of {self!r}")
        self._shape = X.shape
        if not self.training or self.std == 0.0:
            return X
        dtype = X.dtype if np.issubdtype(X.dtype, np.floating) else np.float64  # integer noise would be rounded
        return X + (self.std * self.rng.standard_normal(X.shape)).astype(dtype)

    def backward(self, dA):
        self._need_forward("_shape")
        dA = as_array(dA, lambda: f"dA of {self!r}")
        if dA.shape != self._shape:
            fail(f"dA of {self!r}", f"shape {self._shape} (the shape of its output)", f"shape {dA.shape}")
        return dA

    def __repr__(self):
        return f"GaussianNoise(std={self.std})"


class RegularizedLoss:
    """A loss plus the model's penalty: forward(A, Y) = loss.forward(A, Y) + model.penalty().

    backward() is the data loss's dL/dA: the penalty does not depend on A (its
    gradient reaches W and b inside Dense.backward). Use it to gradient-check the
    whole objective: ``check_model(model, RegularizedLoss(loss, model), X, Y)``.
    """

    def __init__(self, loss, model):
        check_has(loss, "RegularizedLoss loss", ("forward", "backward"), "a loss such as SoftmaxCrossEntropy()")
        check_has(model, "RegularizedLoss model", ("penalty",), "a model such as Sequential([...])")
        self.loss, self.model = loss, model

    def forward(self, A, Y):
        return self.loss.forward(A, Y) + self.model.penalty()

    __call__ = forward

    def backward(self):
        return self.loss.backward()

    def predict(self, A):
        return self.loss.predict(A)

    def accuracy(self, A, Y):
        return self.loss.accuracy(A, Y)

    def __repr__(self):
        return f"RegularizedLoss({self.loss!r})"
