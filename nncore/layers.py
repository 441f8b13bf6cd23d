"""Layers: the base interface every building block shares, and Dense.

Conventions used everywhere in nncore (and in the notebooks):

* A batch is a matrix with **one sample per row**: ``X`` has shape ``(N, n_in)``.
* A layer computes ``Z = X @ W + b`` with ``W`` of shape ``(n_in, n_out)`` and
  ``b`` of shape ``(1, n_out)``, so ``Z`` has shape ``(N, n_out)``.
* ``forward(X)`` keeps what ``backward`` needs (the cache); ``backward(dA)``
  takes the gradient of the loss with respect to the layer's output and returns
  the gradient with respect to its input, storing parameter gradients on the way.
  The ``d`` prefix always means "gradient of the loss with respect to".
"""


import numpy as np

from .errors import NNCoreError, NonFiniteError, as_array, check_features, check_finite, check_seed, fail, is_real, is_whole


class Layer:
    """The interface of every layer and activation.

    Subclasses implement ``forward`` and ``backward``; layers with weights also
    override ``parameters`` and ``gradients``, which return dicts with the same
    keys so an optimizer can pair them up.
    """

    #: True while training; layers such as dropout behave differently in evaluation.
    training = True

    def forward(self, X):
        """Return the output for the batch X, shape (N, ...)."""
        raise NotImplementedError(f"{type(self).__name__}.forward is not implemented")

    def backward(self, dA):
        """Given dA = dL/dOutput, return dX = dL/dInput (same shape as the last X)."""
        raise NotImplementedError(f"{type(self).__name__}.backward is not implemented")

    def parameters(self):
        """Trainable arrays by name, e.g. {"W": W, "b": b}. Updated in place by optimizers."""
        return {}

    def gradients(self):
        """Gradients of the loss for each parameter, same keys as parameters()."""
        return {}

    def penalty(self):
        """This layer's regularization term of the loss (a float); 0.0 for layers without one."""
        return 0.0

    #: True if penalty() can be non-zero (a Dense layer with l1 or l2 > 0).
    regularized = False

    def __call__(self, X):
        return self.forward(X)

    def _need_forward(self, attr="X"):
        if getattr(self, attr, None) is None:
            raise NNCoreError(
                f"{type(self).__name__}.backward was called before forward: "
                "run forward(X) on the batch first, then backward(dA).")

    def __repr__(self):
        return f"{type(self).__name__}()"


# --- initialisation ------------------------------------------------------------------

def _rng(seed):
    return seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)


def _check_size(n, name, also=""):
    """A size or count: a whole number >= 1 (not a bool, not 2.5), returned as an int."""
    if not is_whole(n, 1):
        fail(name, f"a positive whole number{also}", repr(n))
    return int(n)


def _float_dtype(dtype, name):
    """`dtype` as a NumPy floating-point dtype (float64, float32, ...); NNCoreError for anything else."""
    try:
        dt = np.dtype(dtype)
    except (TypeError, ValueError, SyntaxError):  # not a dtype at all, e.g. "floaty" or "1/0"
        dt = None
    if dt is None:
        fail(name, "a floating-point dtype such as np.float64 (the default) or np.float32", repr(dtype))
    if not np.issubdtype(dt, np.floating):
        fail(name, "a floating-point dtype such as np.float64 (the default) or np.float32", dt.name,
             "Weights are small fractions such as 0.03: an integer dtype would round almost all of them to 0.")
    return dt


def init_weights(n_in, n_out, init="he", seed=None, dtype=np.float64):
    """Return an (n_in, n_out) weight matrix drawn by `init` (the same keyword as Dense's).

    ``"he"``           normal, std = sqrt(2 / n_in)          (for ReLU layers)
    ``"xavier"``       uniform in +-sqrt(6 / (n_in + n_out))  (Glorot; for tanh/sigmoid)
    ``"small"``        normal, std = 0.01                      (the classic tutorial choice)
    ``"uniform"``      uniform in [-0.5, 0.5)                  (rand() - 0.5, as in one source)

    The std matters: too small and the signal fades layer after layer, too large
    and it explodes. He keeps the variance of ReLU outputs constant with depth.

    n_in, n_out: whole numbers >= 1. seed: None, a whole number >= 0, or a np.random.Generator.
    dtype: a floating-point dtype.
    """
    n_in, n_out = _check_size(n_in, "init_weights n_in"), _check_size(n_out, "init_weights n_out")
    rng = _rng(check_seed(seed, "init_weights seed"))
    dtype = _float_dtype(dtype, "init_weights dtype")
    given, init = repr(init), init if isinstance(init, str) else None  # == on an array would not be a bool
    if init == "he":
        W = rng.standard_normal((n_in, n_out)) * np.sqrt(2.0 / n_in)
    elif init in ("xavier", "glorot"):
        limit = np.sqrt(6.0 / (n_in + n_out))
        W = rng.uniform(-limit, limit, (n_in, n_out))
    elif init == "small":
        W = rng.standard_normal((n_in, n_out)) * 0.01
    elif init == "uniform":
        W = rng.random((n_in, n_out)) - 0.5
    else:
        fail("init", "one of 'he', 'xavier' (or 'glorot'), 'small', 'uniform'", given,
             "For example Dense(2, 4, init='xavier') or init_weights(2, 4, init='xavier').")
    return W.astype(dtype)


LR_HINT = "Weights become NaN or inf when training diverges: lower the learning rate."


def _strength(value, name):
    """A regularization strength: a finite number >= 0 (0 switches the term off)."""
    if not is_real(value) or value < 0:
        fail(f"Dense {name}", "a number >= 0 such as 1e-4 (0 switches this penalty off)", repr(value))
    return float(value)


class Dense(Layer):
    """Fully connected layer: Z = X @ W + b.

    Shapes: X (N, n_in), W (n_in, n_out), b (1, n_out), Z (N, n_out).

    Backward, for dZ = dL/dZ of shape (N, n_out)::

        dW = X.T @ dZ            (n_in, n_out)   sums over the batch
        db = sum(dZ, axis=0)     (1, n_out)
        dX = dZ @ W.T            (N, n_in)       one row per sample, never summed

    Any averaging over the batch (1/N) lives in the loss's gradient, not here.

    Regularization (keyword-only, all 0 by default): the layer adds to the loss
    ``penalty() = l1 * sum|W| + l2 * sum W^2 + l1_bias * sum|b| + l2_bias * sum b^2``
    and its gradient to the stored gradients in backward::

        dW += l1 * sign(W) + 2 * l2 * W
        db += l1_bias * sign(b) + 2 * l2_bias * b

    (sign(0) = 0: |w| has no slope at 0, and 0 is the usual choice there.)
    The penalty does not depend on the batch, so it is not divided by N.
    """

    def __init__(self, n_in, n_out, init="he", seed=None, dtype=np.float64, *,
                 l1=0.0, l2=0.0, l1_bias=0.0, l2_bias=0.0):
        # Checked here too, so a mistake is reported as Dense's argument, not init_weights'.
        self.n_in, self.n_out = _check_size(n_in, "Dense n_in"), _check_size(n_out, "Dense n_out")
        seed, dtype = check_seed(seed, "Dense seed"), _float_dtype(dtype, "Dense dtype")
        self.init = init
        self.W = init_weights(self.n_in, self.n_out, init, seed, dtype)
        self.b = np.zeros((1, self.n_out), dtype=dtype)
        self.dW = np.zeros_like(self.W)
        self.db = np.zeros_like(self.b)
        self.X = None
        self.l1, self.l2 = _strength(l1, "l1"), _strength(l2, "l2")
        self.l1_bias, self.l2_bias = _strength(l1_bias, "l1_bias"), _strength(l2_bias, "l2_bias")

    @property
    def regularized(self):
        """True if any of l1, l2, l1_bias, l2_bias is above 0."""
        return bool(self.l1 or self.l2 or self.l1_bias or self.l2_bias)

    def penalty(self):
        """l1 * sum|W| + l2 * sum W^2 + l1_bias * sum|b| + l2_bias * sum b^2, as a float."""
        total = 0.0
        for P, l1, l2 in ((self.W, self.l1, self.l2), (self.b, self.l1_bias, self.l2_bias)):
            if l1:
                total += l1 * float(np.abs(P).sum())
            if l2:
                total += l2 * float(np.square(P).sum())
        return total

    def forward(self, X):
        X = as_array(X, lambda: f"input X of {self!r}", ndim=2)
        check_features(X, self.n_in, "input X", self)
        self.X = X
        Z = X @ self.W
        Z += self.b  # in place: one (N, n_out) array instead of two
        if not np.isfinite(Z).all():  # checking Z is cheaper than X; find the cause only if needed
            self._explain_non_finite()
        return Z

    def _explain_non_finite(self):
        check_finite(self.X, lambda: f"input X of {self!r}")
        check_finite(self.W, lambda: f"weights W of {self!r}", LR_HINT, samples=False)
        check_finite(self.b, lambda: f"bias b of {self!r}", LR_HINT, samples=False)
        raise NonFiniteError(
            f"output Z of {self!r}: expected finite numbers, got an overflow to inf. The inputs or weights "
            "are too large: scale the inputs (e.g. pixels / 255) or lower the learning rate.",
            f"the output Z of {self!r} overflowed to inf")

    def backward(self, dZ, input_gradient=True):
        """Store dW, db (with the penalty's gradient, if any) and return dX.

        input_gradient=False skips dX = dZ @ W.T and returns None. Sequential.fit
        does that for the first layer, whose dX would be the gradient with respect
        to the data: nothing uses it, and it costs as much as computing dW.
        """
        self._need_forward()
        dZ = as_array(dZ, lambda: f"dZ of {self!r}", ndim=2)
        if dZ.shape != (self.X.shape[0], self.n_out):
            fail(f"dZ of {self!r}", f"shape {(self.X.shape[0], self.n_out)} (the shape of its output Z)",
                 f"shape {dZ.shape}")
        # Written into the arrays made in __init__: no new (n_in, n_out) array per step.
        np.matmul(self.X.T, dZ, out=self.dW)
        np.sum(dZ, axis=0, keepdims=True, out=self.db)
        if self.regularized:
            self._add_penalty_gradient()
        return dZ @ self.W.T if input_gradient else None

    def _add_penalty_gradient(self):
        """d(penalty)/dW = l1 sign(W) + 2 l2 W, and the same for b."""
        for P, dP, l1, l2 in ((self.W, self.dW, self.l1, self.l2),
                              (self.b, self.db, self.l1_bias, self.l2_bias)):
            if l1:
                dP += l1 * np.sign(P)
            if l2:
                dP += (2.0 * l2) * P  # the 2 comes from d/dw w^2 = 2w

    def parameters(self):
        return {"W": self.W, "b": self.b}

    def gradients(self):
        return {"W": self.dW, "b": self.db}

    def __repr__(self):
        extra = "".join(f", {name}={getattr(self, name)}" for name in ("l1", "l2", "l1_bias", "l2_bias")
                        if getattr(self, name))
        return f"Dense({self.n_in}, {self.n_out}{extra})"
