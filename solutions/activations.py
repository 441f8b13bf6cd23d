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
    ### BEGIN SOLUTION
    # TASK: sigma'(Z) from the given stable sigmoid, element by element
    # HINT 1: Notebook 02, section 2 writes sigma' with sigma itself, so you never differentiate exp yourself.
    # Section 6 explains why you call the sigmoid given above: the textbook formula overflows for large |z|.
    # HINT 2: sigma'(z) = sigma(z) (1 - sigma(z)), element by element; Z has any shape, the result has Z's shape and
    # its values lie in (0, 0.25].
    # HINT 3: Call the given sigmoid on Z once and keep the result in a variable; return that variable times
    # (one minus itself), multiplying element by element (*, not @).
    S = sigmoid(Z)
    return S * (1.0 - S)
    ### END SOLUTION


def tanh_derivative(Z):
    """tanh'(z) = 1 - tanh(z)^2.

    Z: array of any shape; returns floats of the same shape, in (0, 1], equal to 1 at z = 0.
    """
    ### BEGIN SOLUTION
    # TASK: tanh'(Z), element by element
    # HINT 1: Notebook 02, section 2 ("The four element-wise activations"): like sigma', tanh' is written with
    # tanh itself.
    # HINT 2: tanh'(z) = 1 - tanh(z)^2, element by element; the result has Z's shape, values in (0, 1], and is 1
    # at z = 0.
    # HINT 3: Compute tanh of Z with the function given above, square it element by element, and subtract the
    # square from 1.
    return 1.0 - tanh(Z) ** 2
    ### END SOLUTION


def relu_derivative(Z):
    """relu'(z) = 1 where z > 0, else 0.

    At the kink z = 0 the derivative does not exist; we return 0 there, as PyTorch does.
    Z: array of any shape; returns floats (0.0 or 1.0) of the same shape.
    """
    ### BEGIN SOLUTION
    # TASK: relu'(Z) as floats, 1.0 where z > 0 and 0.0 elsewhere
    # HINT 1: Notebook 02, section 2: relu' is 1 on the positive side and 0 on the negative side, and at exactly
    # z = 0 the convention (ours and PyTorch's) is 0. Section 3: a Python `if` does not work on arrays,
    # a comparison of the whole array does.
    # HINT 2: relu'(z) = 1 where z > 0, else 0 (also 0 at z = 0); the result has Z's shape and holds floats.
    # HINT 3: Compare the array Z with 0, strictly: that gives booleans of Z's shape. Convert them to floats
    # (the astype method) and return them.
    return (np.asarray(Z) > 0).astype(np.float64)
    ### END SOLUTION


def leaky_relu_derivative(Z, alpha=0.01):
    """leaky_relu'(z) = 1 where z > 0, else alpha (also alpha at z = 0, as PyTorch does).

    Z: array of any shape; returns floats of the same shape. Use the `alpha` argument.
    """
    ### BEGIN SOLUTION
    # TASK: leaky_relu'(Z) as floats, 1.0 where z > 0 and alpha elsewhere
    # HINT 1: Notebook 02, section 2: leaky ReLU has slope 1 on the positive side and slope alpha on the other,
    # alpha also at z = 0. Each entry picks one of two values, which np.where does for a whole array.
    # HINT 2: leaky_relu'(z) = 1 where z > 0, else alpha (for z <= 0); the result has Z's shape and holds floats.
    # Use the `alpha` argument, not the number 0.01.
    # HINT 3: Take the condition "Z greater than 0" as a boolean array; np.where(condition, value where true,
    # value where false) picks 1.0 or alpha for each entry; return what it gives.
    return np.where(np.asarray(Z) > 0, 1.0, alpha)
    ### END SOLUTION
