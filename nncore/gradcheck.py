"""Gradient checking: compare a hand-written backward pass with finite differences.

The central difference approximates a partial derivative to O(h^2)::

    df/dx_i  ~  (f(x + h e_i) - f(x - h e_i)) / (2 h)

It costs two evaluations of f per number, so it is for checking, never for
training. Use float64: in float32 the rounding error of f swamps the difference.

To check a layer we need a scalar; we use L = sum(forward(X) * G) for a fixed
random G, whose gradient with respect to the output is exactly G. Then
backward(G) must give dL/dX, and the layer's stored gradients dL/dW, dL/db.
"""

import inspect
import math
import numbers

import numpy as np

from .errors import as_array, as_numbers, check_has, check_seed, fail, is_real


class GradientCheckError(AssertionError):
    """A gradient check failed; the message says which gradient, how badly and where."""


def _check_h(h, caller):
    """h: the finite-difference step, a number > 0 and small."""
    if not is_real(h) or not 0 < h < 1:
        fail(f"{caller} h", "a small step > 0 such as 1e-5 (the default)", repr(h),
             "h = 0 divides by zero; a large h measures a slope over too wide a range.")


def _check_tol(tol, caller):
    """tol: the largest relative error that passes, a number > 0."""
    if not is_real(tol) or tol <= 0:
        fail(f"{caller} tol", "a relative error > 0 such as 1e-7 (the default)", repr(tol))


def _check_h_tol(h, tol, caller):
    _check_h(h, caller)
    _check_tol(tol, caller)


def _required_arguments(f):
    """How many arguments f needs (0 if its signature cannot be read)."""
    try:
        params = inspect.signature(f).parameters.values()
    except (TypeError, ValueError):  # some built-in functions have no readable signature
        return 0
    return sum(p.default is p.empty and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) for p in params)


def _scalar(value, caller):
    """f()'s value as a float: a single number, or explain (an array, None, a string, NaN)."""
    if isinstance(value, np.ndarray) and value.size == 1 and value.dtype.kind in "biuf":
        value = value.item()
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        shape = f" of shape {value.shape}" if isinstance(value, np.ndarray) else ""
        fail(f"{caller} f()", "a single number (the loss)", f"a {type(value).__name__}{shape}",
             "Finite differences need a scalar: return, e.g., float(np.sum(...)) or the loss's forward(A, Y).")
    return float(value)


def numerical_gradient(f, x, *, h=1e-5):
    """dF/dx by central differences, for f() -> float that reads the array x; same shape as x, float64.

    x is changed in place one element at a time and restored exactly, so it must be
    the very float64 array f reads (not a list or a copy, which f would never see change).
    h (keyword-only, as in check_layer, check_loss and check_model): the step, 1e-5 by default.
    """
    if isinstance(f, type):
        fail("numerical_gradient f", "a function of no arguments that returns the loss, e.g. lambda: loss.forward(A, Y)",
             f"the class {f.__name__}", "Wrap the computation in a lambda that reads x.")
    if not callable(f):
        swapped = callable(x)
        fail("numerical_gradient f", "a function of no arguments that returns the loss, e.g. lambda: loss.forward(A, Y)",
             f"a {type(f).__name__}",
             "The order is numerical_gradient(f, x): the function first, then the array it reads."
             if swapped else "Wrap the computation in a lambda that reads x.")
    needed = _required_arguments(f)
    if needed:
        fail("numerical_gradient f", "a function of no arguments, e.g. lambda: loss.forward(A, Y)",
             f"a function that needs {needed} argument{'s' if needed > 1 else ''}",
             "numerical_gradient nudges x in place and calls f() after each nudge, so f reads x itself: "
             "write lambda: g(x) instead of g.")
    _check_h(h, "numerical_gradient")
    if not isinstance(x, np.ndarray) or x.dtype != np.float64:
        fail("numerical_gradient x",
             "a float64 NumPy array, the one f reads (it is nudged in place, one entry at a time)",
             f"dtype {x.dtype}" if isinstance(x, np.ndarray) else f"a {type(x).__name__}",
             "Create it with np.array(..., dtype=np.float64) and let f read that array; "
             "in float32 or integers, x + h is rounded and the differences mean nothing.")
    grad = np.zeros_like(x, dtype=np.float64)
    if x.size == 0:
        return grad  # no entries, no differences
    it = np.nditer(x, flags=["multi_index"])
    for _ in it:
        i = it.multi_index
        old = x[i]
        x[i] = old + h
        f_plus = f()
        x[i] = old - h
        f_minus = f()
        x[i] = old
        f_plus, f_minus = _scalar(f_plus, "numerical_gradient"), _scalar(f_minus, "numerical_gradient")
        if not (math.isfinite(f_plus) and math.isfinite(f_minus)):
            fail("numerical_gradient f()", "a finite number at x + h and x - h",
                 f"{f_plus} and {f_minus} with x{list(i)} nudged by h = {h:g}",
                 "The function is NaN or infinite near x: check it at x itself first (a log of 0, an overflow).")
        grad[i] = (f_plus - f_minus) / (2 * h)
    return grad


def relative_error(analytic, numeric):
    """||a - n|| / (||a|| + ||n||), 0 when both are 0.

    Measured over the whole array (not element by element), so entries that are
    0 in truth and 1e-12 from rounding do not dominate. Below 1e-7 is good in float64.
    """
    a, n = as_numbers(analytic, "relative_error analytic"), as_numbers(numeric, "relative_error numeric")
    if a.shape != n.shape:
        fail("relative_error numeric", f"shape {a.shape} (the shape of analytic)", f"shape {n.shape}",
             "Compare a gradient with a gradient of the same array; NumPy would broadcast the two "
             "into a table of every pair and measure nonsense.")
    a, n = a.astype(np.float64), n.astype(np.float64)
    scale = np.linalg.norm(a) + np.linalg.norm(n)
    if scale == np.inf and np.isfinite(a).all() and np.isfinite(n).all():  # huge but finite: the squares overflowed
        largest = max(np.abs(a).max(), np.abs(n).max())
        a, n = a / largest, n / largest
        scale = np.linalg.norm(a) + np.linalg.norm(n)
    # NaN or inf in a gradient gives NaN here, which compare() reports as a failed check.
    return 0.0 if scale == 0 else float(np.linalg.norm(a - n) / scale)


def compare(name, analytic, numeric, *, tol=1e-7):
    """Raise GradientCheckError if the two gradients of `name` differ by more than tol."""
    _check_tol(tol, "compare")
    analytic, numeric = np.asarray(analytic), as_numbers(numeric, f"compare: numerical gradient of {name}")
    if analytic.shape != numeric.shape:
        raise GradientCheckError(
            f"gradient check failed for {name}: the analytic gradient has shape {analytic.shape}, "
            f"but the parameter has shape {numeric.shape}. A gradient always has its parameter's shape.")
    if analytic.dtype.kind not in "biuf":
        raise GradientCheckError(
            f"gradient check failed for {name}: the analytic gradient holds {analytic.dtype} values, not numbers. "
            "Return the gradient as a float array.")
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


def _an_array(obj):
    return f"an array of shape {obj.shape}" if isinstance(obj, np.ndarray) else f"a {type(obj).__name__}"


def _check_model_like(obj, name, order):
    """A layer or model (forward, backward, parameters, gradients); a class or an array gets advice."""
    if isinstance(obj, (np.ndarray, list, tuple)):
        fail(name, "a layer or model such as Dense(3, 2)", _an_array(obj),
             f"Check the order of the arguments: {order}.")
    check_has(obj, name, ("forward", "backward", "parameters", "gradients"), "a layer or model such as Dense(3, 2)")


def _check_loss_like(obj, name, order):
    if isinstance(obj, (np.ndarray, list, tuple)):
        fail(name, "a loss such as SoftmaxCrossEntropy()", _an_array(obj),
             f"Check the order of the arguments: {order}.")
    check_has(obj, name, ("forward", "backward"), "a loss such as SoftmaxCrossEntropy()")


def check_layer(layer, X, *, seed=0, h=1e-5, tol=1e-7):
    """Check dX and every parameter gradient of `layer` on input X; return the errors by name.

    Works for any Layer, including a whole Sequential model. The parameters must be
    float64 (X is converted to float64), and forward must not be random (see model.eval()).
    seed, h and tol are keyword-only, as in check_loss and check_model.
    """
    order = "check_layer(layer, X)"
    _check_model_like(layer, "check_layer layer", order)
    check_seed(seed, "check_layer seed")
    _check_h_tol(h, tol, "check_layer")
    _require_float64(layer.parameters(), "check_layer: the layer's parameters")
    X = as_array(X, "check_layer X").astype(np.float64)
    _require_deterministic(layer, X, "check_layer")
    G = np.random.default_rng(seed).standard_normal(np.shape(layer.forward(X)))

    def f():
        return float(np.sum(layer.forward(X) * G))

    layer.forward(X)
    dX = layer.backward(G)
    analytic = {"input X": dX}
    analytic.update({k: v.copy() for k, v in layer.gradients().items()})
    targets = {"input X": X, **layer.parameters()}
    return {name: compare(name, analytic[name], numerical_gradient(f, targets[name], h=h), tol=tol)
            for name in targets}


def check_loss(loss, A, Y, *, h=1e-5, tol=1e-7):
    """Check loss.backward() against finite differences of loss.forward(A, Y).

    The order is the loss's own: predictions A first, targets Y second. h and tol are keyword-only.
    """
    order = "check_loss(loss, A, Y)"
    _check_loss_like(loss, "check_loss loss", order)
    _check_h_tol(h, tol, "check_loss")
    A = as_array(A, "check_loss A").astype(np.float64)
    loss.forward(A, Y)
    analytic = loss.backward()
    numeric = numerical_gradient(lambda: loss.forward(A, Y), A, h=h)
    return compare(f"{type(loss).__name__} dL/dA", analytic, numeric, tol=tol)


def check_model(model, loss, X, Y, *, h=1e-5, tol=1e-7):
    """Check every parameter gradient of a model trained with `loss` on one batch; return the errors by name.

    The parameters must be float64, and forward must not be random (call model.eval()
    first if the model has Dropout or GaussianNoise). h and tol are keyword-only.
    """
    order = "check_model(model, loss, X, Y)"
    _check_model_like(model, "check_model model", order)
    _check_loss_like(loss, "check_model loss", order)
    _check_h_tol(h, tol, "check_model")
    _require_float64(model.parameters(), "check_model: the model's parameters")
    _require_deterministic(model, X, "check_model")

    def f():
        return loss.forward(model.forward(X), Y)

    f()
    model.backward(loss.backward())
    analytic = {k: v.copy() for k, v in model.gradients().items()}
    return {name: compare(name, analytic[name], numerical_gradient(f, p, h=h), tol=tol)
            for name, p in model.parameters().items()}
