# This file is generated from solutions/activations.py by `python -m nncore generate`.
# It is yours: replace each `raise NotImplementedError(...)` with your code, then check it
# with nncore.check("activations") in a notebook, or in a terminal in the course folder with
# `.venv/bin/python -m nncore check activations` (Windows: .venv\Scripts\python).
# Stuck? nncore.hint("activations") (or `... -m nncore hint activations`) gives the next hint, one at a time.
# `... -m nncore reset activations` restores the original stub (your file is kept as activations.py.bak).

"""Exercise: the derivatives of the activation functions (notebook 02, section 3).

Backpropagation turns dA (the gradient of the loss with respect to a layer's
output A = g(Z)) into dZ = dA * g'(Z), element by element. Your job is g'(Z)
for four activations. The forward functions are given; each derivative must

* work element by element on an array Z of any shape (1-D, 2-D, ...) and
  return an array of floats of that same shape (no Python `if` on arrays:
  use comparisons such as Z > 0, np.where, or formulas);
* leave Z itself unchanged;
* follow the stated convention at a kink (z = 0 for ReLU and leaky ReLU),
  which is the one PyTorch uses.
"""

import numpy as np


# --- given: the forward functions ------------------------------------------------------

def sigmoid(Z):
    """sigma(z) = 1 / (1 + exp(-z)), written so that exp never overflows (any z, any shape)."""
    Z = np.asarray(Z, dtype=np.float64)
    E = np.exp(-np.abs(Z))  # always in (0, 1]
    return np.where(Z >= 0, 1.0 / (1.0 + E), E / (1.0 + E))


def tanh(Z):
    """tanh(z) = (e^z - e^-z) / (e^z + e^-z), values in (-1, 1)."""
    return np.tanh(np.asarray(Z, dtype=np.float64))


def relu(Z):
    """relu(z) = max(0, z)."""
    return np.maximum(np.asarray(Z, dtype=np.float64), 0.0)


def leaky_relu(Z, alpha=0.01):
    """leaky_relu(z) = z if z > 0 else alpha * z."""
    Z = np.asarray(Z, dtype=np.float64)
    return np.where(Z > 0, Z, alpha * Z)


# --- yours: the derivatives --------------------------------------------------------------

def sigmoid_derivative(Z):
    """sigma'(z) = sigma(z) * (1 - sigma(z)).

    Z: array of any shape; returns floats of the same shape, all in (0, 0.25].
    Must stay finite for large |z| (sigma'(-1000) is 0 to float precision, not nan).
    """
    raise NotImplementedError('sigmoid_derivative in exercises/activations.py is not implemented yet: sigma\'(Z) from the given stable sigmoid, element by element. nncore.hint("activations") gives a hint, nncore.check("activations") checks it.')


def tanh_derivative(Z):
    """tanh'(z) = 1 - tanh(z)^2.

    Z: array of any shape; returns floats of the same shape, in (0, 1], equal to 1 at z = 0.
    """
    raise NotImplementedError('tanh_derivative in exercises/activations.py is not implemented yet: tanh\'(Z), element by element. nncore.hint("activations") gives a hint, nncore.check("activations") checks it.')


def relu_derivative(Z):
    """relu'(z) = 1 where z > 0, else 0.

    At the kink z = 0 the derivative does not exist; we return 0 there, as PyTorch does.
    Z: array of any shape; returns floats (0.0 or 1.0) of the same shape.
    """
    raise NotImplementedError('relu_derivative in exercises/activations.py is not implemented yet: relu\'(Z) as floats, 1.0 where z > 0 and 0.0 elsewhere. nncore.hint("activations") gives a hint, nncore.check("activations") checks it.')


def leaky_relu_derivative(Z, alpha=0.01):
    """leaky_relu'(z) = 1 where z > 0, else alpha (also alpha at z = 0, as PyTorch does).

    Z: array of any shape; returns floats of the same shape. Use the `alpha` argument.
    """
    raise NotImplementedError('leaky_relu_derivative in exercises/activations.py is not implemented yet: leaky_relu\'(Z) as floats, 1.0 where z > 0 and alpha elsewhere. nncore.hint("activations") gives a hint, nncore.check("activations") checks it.')
