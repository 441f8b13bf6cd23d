"""Gradient checking: compare a hand-written backward pass with finite differences.

The central difference approximates a partial derivative to O(h^2)::

    df/dx_i  ~  (f(x + h e_i) - f(x - h e_i)) / (2 h)

It costs two evaluations of f per number, so it is for checking, never for
training. Use float64: in float32 the rounding error of f swamps the difference.

To check a layer we need a scalar; we use L = sum(forward(X) * G) for a fixed
random G, whose gradient with respect to the output is exactly G. Then
backward(G) must give dL/dX, and the layer's stored gradients dL/dW, dL/db.
"""

import numpy as np

from .errors import fail


class GradientCheckError(AssertionError):
    """A gradient check failed; the message says which gradient, how badly and where."""


def numerical_gradient(f, x, h=1e-5):
    """dF/dx by central differences, for f() -> float that reads the array x; same shape as x, float64.

    x is changed in place one element at a time and restored exactly, so it must be
    the very float64 array f reads (not a list or a copy, which f would never see change).
    """
    if not isinstance(x, np.ndarray) or x.dtype != np.float64:
        fail("numerical_gradient x",
             "a float64 NumPy array, the one f reads (it is nudged in place, one entry at a time)",
             f"dtype {x.dtype}" if isinstance(x, np.ndarray) else f"a {type(x).__name__}",
             "Create it with np.array(..., dtype=np.float64) and let f read that array; "
             "in float32 or integers, x + h is rounded and the differences mean nothing.")
    grad = np.zeros_like(x, dtype=np.float64)
    it = np.nditer(x, flags=["multi_index"])
    for _ in it:
        i = it.multi_index
        old = x[i]
        x[i] = old + h
        f_plus = f()
        x[i] = old - h
        f_minus = f()
        x[i] = old
        grad[i] = (f_plus - f_minus) / (2 * h)
    return grad


def relative_error(analytic, numeric):
    """||a - n|| / (||a|| + ||n||), 0 when both are 0.

    Measured over the whole array (not element by element), so entries that are
    0 in truth and 1e-12 from rounding do not dominate. Below 1e-7 is good in float64.
    """
    a, n = np.asarray(analytic, np.float64), np.asarray(numeric, np.float64)
    scale = np.linalg.norm(a) + np.linalg.norm(n)
    return 0.0 if scale == 0 else float(np.linalg.norm(a - n) / scale)


def compare(name, analytic, numeric, tol=1e-7):
    """Raise GradientCheckError if the two gradients of `name` differ by more than tol."""
    analytic, numeric = np.asarray(analytic), np.asarray(numeric)
    if analytic.shape != numeric.shape:
        raise GradientCheckError(
            f"gradient check failed for {name}: the analytic gradient has shape {analytic.shape}, "
            f"but the parameter has shape {numeric.shape}. A gradient always has its parameter's shape.")
    err = relative_error(analytic, numeric)
    if not err <= tol:  # also catches NaN
        # A NaN difference counts as the largest (np.nanargmax would fail on an all-NaN array).
        # np.asarray: for 0-d inputs np.abs returns a scalar, which cannot be assigned into.
        diff = np.asarray(np.abs(analytic - numeric), dtype=np.float64)
        diff[np.isnan(diff)] = np.inf
        where = np.unravel_index(int(np.argmax(diff)), diff.shape) if diff.size else ()
        where = tuple(int(i) for i in where)
        raise GradientCheckError(
            f"gradient check failed for {name}: relative error {err:.2e} (tolerance {tol:.0e}); "
            f"the largest difference is at index {where}: analytic {analytic[where]:.6g}, "
            f"numerical {numeric[where]:.6g}. Re-derive this gradient with the chain rule and "
            "check its shape and any missing 1/m (m: the number of terms the loss averages).")
    return err


def _require_float64(params, name):
    """Raise unless every parameter is float64: in float32, rounding swamps the finite differences."""
    wrong = [f"{key} ({p.dtype})" for key, p in params.items() if np.asarray(p).dtype != np.float64]
    if wrong:
        fail(name, "float64 arrays", ", ".join(wrong),
             "Gradient checks need float64 parameters and inputs: in float32, finite differences are "
             "too coarse to tell a right gradient from a wrong one. Build the layers with dtype=np.float64 "
             "(the default), e.g. Dense(3, 2, dtype=np.float64), and pass float64 inputs.")


def _differs(a, b):
    """True if two outputs for the same input differ by more than rounding (in float64)."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        return True
    # Not exact equality: a BLAS may add in another order when an array lands at another address.
    return bool(np.any(np.abs(a - b) > 1e-12 * np.max(np.abs(a), initial=0.0)))


def _random_layer(layer, X, path=""):
    """(name, layer) of the innermost layer whose forward(X) changes from call to call.

    Sequential models (anything with .layers) are searched layer by layer, with
    names as in parameters(): "layers[2]", "layers[1].layers[0]".
    """
    for i, inner in enumerate(getattr(layer, "layers", ())):
        A = inner.forward(X)
        if _differs(A, inner.forward(X)):
            return _random_layer(inner, X, f"{path}layers[{i}].")
        X = A
    return path.rstrip("."), layer


def _require_deterministic(layer, X, caller):
    """Raise if forward(X) changes from call to call (dropout or noise in training mode).

    Finite differences compare f(x + h) with f(x - h); with a new dropout mask on every
    call they would compare two different functions and report nonsense.
    """
    if not _differs(layer.forward(X), layer.forward(X)):
        return
    name, culprit = _random_layer(layer, X)
    where = f"{name} ({culprit!r})" if name else repr(culprit)
    fail(f"{caller}: {where}", "the same output on every forward pass of the same input",
         "a different output each time: it is random in training mode (a new dropout mask or new noise per pass)",
         "Finite differences need one fixed function. Call model.eval() first (or set layer.training = False), "
         "which turns dropout and noise off; to check Dropout itself, use a fixed mask, e.g. a subclass "
         "whose forward re-seeds self.rng before calling super().forward(X).")


def check_layer(layer, X, seed=0, h=1e-5, tol=1e-7):
    """Check dX and every parameter gradient of `layer` on input X; return the errors by name.

    Works for any Layer, including a whole Sequential model. The parameters must be
    float64 (X is converted to float64), and forward must not be random (see model.eval()).
    """
    _require_float64(layer.parameters(), "check_layer: the layer's parameters")
    X = np.array(X, dtype=np.float64)
    _require_deterministic(layer, X, "check_layer")
    G = np.random.default_rng(seed).standard_normal(np.shape(layer.forward(X)))

    def f():
        return float(np.sum(layer.forward(X) * G))

    layer.forward(X)
    dX = layer.backward(G)
    analytic = {"input X": dX}
    analytic.update({k: v.copy() for k, v in layer.gradients().items()})
    targets = {"input X": X, **layer.parameters()}
    return {name: compare(name, analytic[name], numerical_gradient(f, targets[name], h), tol)
            for name in targets}


def check_loss(loss, A, Y, h=1e-5, tol=1e-7):
    """Check loss.backward() against finite differences of loss.forward(A, Y)."""
    A = np.array(A, dtype=np.float64)
    loss.forward(A, Y)
    analytic = loss.backward()
    numeric = numerical_gradient(lambda: loss.forward(A, Y), A, h)
    return compare(f"{type(loss).__name__} dL/dA", analytic, numeric, tol)


def check_model(model, loss, X, Y, h=1e-5, tol=1e-7):
    """Check every parameter gradient of a model trained with `loss` on one batch; return the errors by name.

    The parameters must be float64, and forward must not be random (call model.eval()
    first if the model has Dropout or GaussianNoise).
    """
    _require_float64(model.parameters(), "check_model: the model's parameters")
    _require_deterministic(model, X, "check_model")

    def f():
        return loss.forward(model.forward(X), Y)

    f()
    model.backward(loss.backward())
    analytic = {k: v.copy() for k, v in model.gradients().items()}
    return {name: compare(name, analytic[name], numerical_gradient(f, p, h), tol)
            for name, p in model.parameters().items()}
