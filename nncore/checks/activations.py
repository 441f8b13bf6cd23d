"""Check for the activation-derivatives exercise (notebook 02).

Each derivative is compared with central differences of the matching forward
function (nncore's own, so an edited forward in the learner's file cannot hide
a mistake) on a grid that avoids the kink at 0, then checked for shape, for
the convention at z = 0, for not changing its input, and for large |z|.
"""

import numpy as np

from .. import activations as ref
from . import CheckFailure, Exercise, diagnose, expect_shape

# Points where every function is smooth: no 0, where ReLU and leaky ReLU bend.
GRID = np.array([-4.0, -2.0, -0.5, -0.1, 0.1, 0.5, 2.0, 4.0])
H = 1e-5
ALPHA = 0.2  # a non-default slope, so a hard-coded 0.01 shows up

# name -> (forward function, extra keyword arguments, value expected at z = 0, why)
CASES = {
    "sigmoid_derivative": (ref.sigmoid, {}, 0.25, "sigma(0) = 0.5, so sigma'(0) = 0.5 * (1 - 0.5) = 0.25."),
    "tanh_derivative": (ref.tanh, {}, 1.0, "tanh(0) = 0, so tanh'(0) = 1 - 0^2 = 1."),
    "relu_derivative": (ref.relu, {}, 0.0, "The derivative does not exist at the kink z = 0; the convention "
                        "(PyTorch's) is 0 there, so compare with Z > 0, not Z >= 0."),
    "leaky_relu_derivative": (ref.leaky_relu, {"alpha": ALPHA}, ALPHA,
                              "At the kink z = 0 the convention (PyTorch's) is alpha, so compare with "
                              "Z > 0, not Z >= 0."),
}


def _call(mod, name, Z, kwargs):
    """Call the learner's function on a copy of Z; turn its exceptions into advice."""
    func = getattr(mod, name, None)
    if not callable(func):
        raise CheckFailure(f"{name}: expected a function named `{name}` in the exercise file, found none.")
    args = ", ".join(["Z"] + [f"{k}={v}" for k, v in kwargs.items()])
    Z_in = np.array(Z, copy=True)
    try:
        with np.errstate(all="ignore"):
            out = func(Z_in, **kwargs)
    except NotImplementedError:
        raise
    except Exception as exc:
        hint = ""
        if "truth value of an array" in str(exc):
            hint = (" A Python `if z > 0:` only works on one number; on arrays use a comparison such as "
                    "(Z > 0) or np.where(Z > 0, a, b), which work element by element.")
        raise CheckFailure(f"{name}({args}) with Z of shape {np.shape(Z)} raised "
                           f"{type(exc).__name__}: {exc}.{hint}") from None
    if not np.array_equal(Z_in, np.asarray(Z), equal_nan=True) or Z_in.dtype != np.asarray(Z).dtype:
        raise CheckFailure(f"{name} changed its input Z in place (Z was {np.asarray(Z).tolist()}, afterwards "
                           f"{Z_in.tolist()}). The layer still needs Z for later steps; build a new array "
                           "(np.where(...), a formula, or Z.copy()) instead of assigning into Z.")
    if out is None:
        raise CheckFailure(f"{name}({args}): expected an array, got None (did the function return its result?).")
    return np.asarray(out)


def _numerical(forward, Z, kwargs):
    return (forward(Z + H, **kwargs) - forward(Z - H, **kwargs)) / (2 * H)


def _first_mismatch(name, Z, got, expected, atol, kwargs, extra="", variants=()):
    """Raise CheckFailure naming the first z where got and expected differ, and the mistake if it is a known one."""
    got_f = got.astype(np.float64)
    bad = ~(np.abs(got_f - expected) <= atol)  # also catches NaN
    if np.any(bad):
        i = tuple(int(k) for k in np.argwhere(bad)[0])
        args = "".join(f", {k}={v}" for k, v in kwargs.items())
        named = diagnose(got_f, variants, atol=1e-9)
        raise CheckFailure(f"{name} at z={Z[i]:g}{args}: expected {expected[i]:.6g}, got {got_f[i]:.6g}."
                           f"{' ' + named if named else extra}")


def _known_mistakes(name, Z, kwargs):
    """(values, message) for the textbook slips in each derivative, computed on Z."""
    Z = np.asarray(Z, dtype=np.float64)
    if name == "sigmoid_derivative":
        S = ref.sigmoid(Z)
        return [(S, "That is sigmoid(Z) itself, not its derivative: with S = sigmoid(Z), return S * (1 - S)."),
                (Z * (1 - Z), "The formula s(1 - s) is applied to Z itself; apply it to S = sigmoid(Z): "
                              "S * (1 - S)."),
                (S * (1 + S), "The sign inside is wrong: S * (1 - S), not S * (1 + S).")]
    if name == "tanh_derivative":
        T = ref.tanh(Z)
        return [(1 - T, "1 - tanh(Z) is not squared: the derivative is 1 - tanh(Z) ** 2."),
                (1 - Z ** 2, "The formula 1 - t^2 is applied to Z itself; apply it to tanh(Z): 1 - tanh(Z) ** 2."),
                (T, "That is tanh(Z) itself, not its derivative: 1 - tanh(Z) ** 2."),
                (T ** 2 - 1, "The sign is wrong: 1 - tanh(Z) ** 2, not tanh(Z) ** 2 - 1.")]
    if name == "relu_derivative":
        return [(np.ones_like(Z), "Your derivative is 1 everywhere; relu's slope is 1 only where z > 0, and 0 "
                                  "where z < 0: (Z > 0).astype(float)."),
                (ref.relu(Z), "That is relu(Z) itself, max(0, z), not its slope: 1 where z > 0, else 0."),
                (Z, "That is Z itself; relu's slope is 1 where z > 0, else 0: (Z > 0).astype(float).")]
    alpha = kwargs["alpha"]
    return [(np.where(Z > 0, alpha, 1.0), "The two slopes are swapped: 1 where z > 0 (the identity side), "
                                          "alpha where z <= 0 (the leaky side)."),
            (ref.leaky_relu(Z, alpha), "That is leaky_relu(Z) itself, not its slope: 1 where z > 0, else alpha."),
            (np.where(Z > 0, 1.0, 0.0), "That is relu's derivative: the leaky side has slope alpha, not 0.")]


def check_activations(mod, passed):
    for name, (forward, kwargs, at_zero, why) in CASES.items():
        # 1. Values: against central differences of the forward function.
        got = _call(mod, name, GRID, kwargs)
        expect_shape(f"{name}(Z) for Z of shape {GRID.shape}", got, GRID.shape)
        if got.dtype.kind != "f":
            raise CheckFailure(f"{name}: expected floats, got an array of dtype {got.dtype}. A comparison such as "
                               "Z > 0 gives booleans: convert it with .astype(float), or use np.where(Z > 0, 1.0, 0.0).")
        extra = ""
        if name == "leaky_relu_derivative":
            extra = f" Use the `alpha` argument (here {ALPHA}) rather than a fixed number."
        _first_mismatch(name, GRID, got, _numerical(forward, GRID, kwargs), 1e-6, kwargs, extra,
                        _known_mistakes(name, GRID, kwargs))

        # 2. Shape: a 2-D batch in, the same shape out.
        Z2 = GRID.reshape(2, 4)
        got2 = _call(mod, name, Z2, kwargs)
        expect_shape(f"{name}(Z) for a 2-D Z of shape {Z2.shape}", got2, Z2.shape)
        _first_mismatch(name, Z2, got2, _numerical(forward, Z2, kwargs), 1e-6, kwargs)

        # 3. The value at z = 0 (for ReLU and leaky ReLU: the convention at the kink).
        zero = np.array([0.0])
        got0 = _call(mod, name, zero, kwargs)
        expect_shape(f"{name}(Z) for Z = [0.0]", got0, (1,))
        _first_mismatch(name, zero, got0, np.array([at_zero]), 1e-12, kwargs, " " + why)

        # 4. Inputs that are not float64: integers (dtype traps) and large |z| (overflow).
        Zi = np.array([-2, 3])
        goti = _call(mod, name, Zi, kwargs)
        expect_shape(f"{name}(Z) for integer Z = [-2, 3]", goti, (2,))
        expected_i = _numerical(forward, Zi.astype(np.float64), kwargs)
        hint = ""
        if name == "leaky_relu_derivative":
            hint = (" With integer Z, np.ones_like(Z) is an integer array too, so alpha is rounded to 0; "
                    "np.where(Z > 0, 1.0, alpha) (or np.ones_like(Z, dtype=float)) keeps floats.")
        _first_mismatch(name + " (integer input)", Zi, goti, expected_i, 1e-6, kwargs, hint)
        big = np.array([-1000.0, 1000.0])
        gotb = _call(mod, name, big, kwargs)
        expect_shape(f"{name}(Z) for Z = [-1000, 1000]", gotb, (2,))
        expected_b = {"sigmoid_derivative": [0.0, 0.0], "tanh_derivative": [0.0, 0.0],
                      "relu_derivative": [0.0, 1.0], "leaky_relu_derivative": [ALPHA, 1.0]}[name]
        hint = ""
        if name == "sigmoid_derivative":
            hint = (" Compute it from the stable sigmoid(Z) given in the file, as S * (1 - S); "
                    "a formula such as exp(-z) / (1 + exp(-z))**2 gives inf / inf = nan for large |z|.")
        _first_mismatch(name, big, gotb, np.array(expected_b), 1e-12, kwargs, hint)

        z0 = f"{name.split('_derivative')[0]}'(0{'; alpha=' + str(ALPHA) if kwargs else ''}) = {at_zero:g}"
        passed(f"{name}: matches central differences at {len(GRID)} points, keeps 1-D and 2-D shapes, "
               f"{z0}, finite at |z| = 1000")


EXERCISES = {
    "activations": Exercise("Derivatives of sigmoid, tanh, ReLU and leaky ReLU", "02_activations",
                            check_activations),
}
