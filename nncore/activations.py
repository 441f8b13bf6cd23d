"""Activation functions as plain functions and as layers.

Each activation A = g(Z) works element by element (softmax per row). The layer
form caches what its backward pass needs and turns dA into dZ::

    dZ = dA * g'(Z)                      (element-wise activations)
    dZ = J(Z)^T dA, per sample           (softmax, see Softmax.jacobian)

The plain functions (``sigmoid``, ``sigmoid_derivative``, ...) are the same
formulas, for plots and for the notebooks.
"""

import numpy as np

from .errors import NNCoreError, as_array, as_numbers, fail, is_real
from .layers import Layer


# --- plain functions -------------------------------------------------------------------

def _as_numbers(Z, name, floats=False):
    """Z as an array of numbers (bools become 0.0 and 1.0, which the formulas below can negate).

    floats=True turns integers into float64 too, for formulas that subtract a maximum:
    in integers, Z - max(Z) can wrap around.
    """
    Z = as_numbers(Z, name)
    return Z.astype(np.float64) if Z.dtype.kind == "b" or (floats and Z.dtype.kind != "f") else Z


def _nonempty(Z, name):
    """Softmax needs at least one logit per row: an empty array has no maximum to subtract."""
    if Z.size == 0:
        fail(name, "at least one logit per row", f"an empty array of shape {Z.shape}",
             "Check the slicing that produced it.")
    return Z


def _alpha(alpha, name):
    """Leaky ReLU's slope for z <= 0: a finite number (usually small and positive, such as 0.01)."""
    if not is_real(alpha):
        fail(name, "a finite number, the slope for z <= 0, such as 0.01", repr(alpha))
    return alpha


def sigmoid(Z):
    """sigma(z) = 1 / (1 + exp(-z)), computed without overflow for any z.

    exp(-z) overflows for z < -709 in float64, so for negative z we use the
    equal form exp(z) / (1 + exp(z)). Both branches only ever exponentiate -|z|.
    """
    Z = _as_numbers(Z, "sigmoid Z")
    E = np.exp(-np.abs(Z))
    return np.where(Z >= 0, 1.0 / (1.0 + E), E / (1.0 + E))


def sigmoid_derivative(Z):
    """sigma'(z) = sigma(z) (1 - sigma(z)); at most 0.25, at z = 0."""
    S = sigmoid(Z)
    return S * (1.0 - S)


def tanh(Z):
    """tanh(z) = (e^z - e^-z) / (e^z + e^-z), in (-1, 1)."""
    return np.tanh(_as_numbers(Z, "tanh Z"))


def tanh_derivative(Z):
    """tanh'(z) = 1 - tanh(z)^2; at most 1, at z = 0."""
    return 1.0 - np.tanh(_as_numbers(Z, "tanh_derivative Z")) ** 2


def relu(Z):
    """relu(z) = max(0, z)."""
    return np.maximum(_as_numbers(Z, "relu Z"), 0)


def relu_derivative(Z):
    """relu'(z) = 1 if z > 0 else 0 (we pick 0 at the kink z = 0, as PyTorch does); Z's shape, float dtype."""
    Z = _as_numbers(Z, "relu_derivative Z")  # an array first: np.result_type reads a list as a dtype description
    return (Z > 0).astype(np.result_type(Z, np.float32))


def leaky_relu(Z, alpha=0.01):
    """leaky_relu(z) = z if z > 0 else alpha * z: a small slope keeps 'dead' units learning."""
    Z, alpha = _as_numbers(Z, "leaky_relu Z"), _alpha(alpha, "leaky_relu alpha")
    return np.where(Z > 0, Z, alpha * Z)


def leaky_relu_derivative(Z, alpha=0.01):
    """1 if z > 0 else alpha (alpha at the kink z = 0, as PyTorch does); Z's shape, float dtype."""
    Z = _as_numbers(Z, "leaky_relu_derivative Z")  # an array first: np.result_type reads a list as a dtype
    return np.where(Z > 0, 1.0, _alpha(alpha, "leaky_relu_derivative alpha")).astype(np.result_type(Z, np.float32))


def softmax(Z):
    """softmax(z)_i = exp(z_i) / sum_j exp(z_j), per row of Z (shape (N, C)).

    Subtracting the row's maximum first changes nothing mathematically
    (it cancels in the ratio) but keeps every exponent <= 0, so nothing overflows.
    """
    Z = _nonempty(_as_numbers(Z, "softmax Z", floats=True), "softmax Z")
    E = np.exp(Z - Z.max(axis=-1, keepdims=True))
    return E / E.sum(axis=-1, keepdims=True)


def log_softmax(Z):
    """log(softmax(Z)) per row, computed as Z - max - log(sum(exp(Z - max))) to stay finite."""
    Z = _nonempty(_as_numbers(Z, "log_softmax Z", floats=True), "log_softmax Z")
    shifted = Z - Z.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


def softmax_jacobian(s):
    """Jacobian of softmax for one sample, from its output s (shape (C,)).

    J[i, k] = d s_i / d z_k = s_i (delta_ik - s_k), i.e. J = diag(s) - s s^T.
    For a batch S of shape (N, C) it returns the N Jacobians, shape (N, C, C).
    """
    s = _as_numbers(s, "softmax_jacobian s")
    if s.ndim == 0:
        fail("softmax_jacobian s", "the softmax output of one sample, shape (C,), or of a batch, (N, C)",
             "a single number", "Pass softmax(z) for the whole vector z.")
    return s[..., :, None] * np.eye(s.shape[-1], dtype=s.dtype) - s[..., :, None] * s[..., None, :]


# --- layers ----------------------------------------------------------------------------

class _Elementwise(Layer):
    """An activation applied element by element: A = g(Z), dZ = dA * g'(Z)."""

    def forward(self, Z):
        self.Z = as_array(Z, lambda: f"input Z of {self!r}")
        self.A = self._g(self.Z)
        return self.A

    def backward(self, dA):
        self._need_forward("Z")
        dA = as_array(dA, lambda: f"dA of {self!r}")
        if dA.shape != self.Z.shape:
            fail(f"dA of {self!r}", f"shape {self.Z.shape} (the shape of its output)", f"shape {dA.shape}")
        return dA * self._g_prime()


class Linear(_Elementwise):
    """The identity, g(z) = z: the output of a regression network."""

    def _g(self, Z):
        return Z

    def _g_prime(self):
        return np.ones_like(self.Z)


class ReLU(_Elementwise):
    """A = max(0, Z); dZ = dA * (Z > 0)."""

    def _g(self, Z):
        return relu(Z)

    def _g_prime(self):
        return relu_derivative(self.Z)


class LeakyReLU(_Elementwise):
    """A = Z if Z > 0 else alpha Z; dZ = dA * (1 if Z > 0 else alpha)."""

    def __init__(self, alpha=0.01):
        self.alpha = _alpha(alpha, "LeakyReLU alpha")

    def _g(self, Z):
        return leaky_relu(Z, self.alpha)

    def _g_prime(self):
        return leaky_relu_derivative(self.Z, self.alpha)

    def __repr__(self):
        return f"LeakyReLU(alpha={self.alpha})"


class Sigmoid(_Elementwise):
    """A = 1 / (1 + exp(-Z)); dZ = dA * A (1 - A) (reuses the cached output)."""

    def _g(self, Z):
        return sigmoid(Z)

    def _g_prime(self):
        return self.A * (1.0 - self.A)


class Tanh(_Elementwise):
    """A = tanh(Z); dZ = dA * (1 - A^2)."""

    def _g(self, Z):
        return np.tanh(Z)

    def _g_prime(self):
        return 1.0 - self.A ** 2


class Softmax(Layer):
    """A = softmax(Z) per row; Z and A have shape (N, C).

    Backward goes through each sample's Jacobian J = diag(s) - s s^T::

        dz = J^T da = s * (da - (da . s))        (J is symmetric)

    The right-hand side is the same product without building the C x C matrix;
    ``jacobian()`` returns the explicit matrices for teaching and testing.
    """

    def forward(self, Z):
        Z = as_array(Z, lambda: f"input Z of {self!r}", ndim=2)
        self.A = softmax(Z)
        return self.A

    def jacobian(self, Z=None):
        """The (N, C, C) Jacobians dA/dZ of the last forward pass (or of Z if given).

        J[n, i, k] = dA[n, i] / dZ[n, k] = s_i (delta_ik - s_k), with s = A[n].
        """
        if Z is not None:
            return softmax_jacobian(softmax(Z))
        if getattr(self, "A", None) is None:
            raise NNCoreError(
                "Softmax.jacobian() was called before forward: run forward(Z) on the batch first, "
                "or pass the logits, jacobian(Z).")
        return softmax_jacobian(self.A)

    def backward(self, dA):
        self._need_forward("A")
        dA = as_array(dA, lambda: f"dA of {self!r}")
        if dA.shape != self.A.shape:
            fail(f"dA of {self!r}", f"shape {self.A.shape} (the shape of its output)", f"shape {dA.shape}")
        return self.A * (dA - (dA * self.A).sum(axis=1, keepdims=True))
