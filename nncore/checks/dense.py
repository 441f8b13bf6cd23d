"""Check for the dense-layer forward exercise (notebook 03).

Values are compared with nncore.layers.Dense given the same W and b; shapes and
the error messages for shapes that do not fit are checked; a batch must give the
same rows as its samples run one at a time.
"""

import numpy as np

from ..layers import Dense
from . import CheckFailure, Exercise, expect_attr, expect_close, expect_shape


def _reference(X, W, b):
    layer = Dense(W.shape[0], W.shape[1])
    layer.W[...] = W
    layer.b[...] = np.reshape(b, (1, -1))
    return layer.forward(X)


def _call(what, func, *args):
    try:
        return func(*args)
    except NotImplementedError:
        raise
    except Exception as exc:
        hint = "Check the shapes on that line (print(X.shape, W.shape, b.shape))."
        if "matmul" in str(exc):
            hint = ("With one sample per row the product is X @ W, with W as it is given (not W.T, not W @ X): "
                    "(N, n_in) @ (n_in, n_out) -> (N, n_out).")
        raise CheckFailure(f"{what} raised {type(exc).__name__}: {exc}. {hint}") from None


def _expect_value_error(what, func, X, W, b, must_mention, hint):
    """func(X, W, b) must raise ValueError whose message shows each shape in must_mention."""
    try:
        func(X, W, b)
    except NotImplementedError:
        raise
    except ValueError as exc:
        missing = [str(s) for s in must_mention if str(s) not in str(exc)]
        if missing:
            raise CheckFailure(f"{what}: expected a ValueError whose message shows the shape(s) "
                               f"{' and '.join(map(str, must_mention))}, got ValueError({str(exc)!r}), which "
                               f"does not show {' or '.join(missing)}. {hint}") from None
        return str(exc)
    except Exception as exc:
        raise CheckFailure(f"{what}: expected a ValueError, got {type(exc).__name__}: {exc}. {hint}") from None
    raise CheckFailure(f"{what}: expected a ValueError, but the call returned without one. {hint}")


def _forward_mistakes(X, W, b):
    """(Z, message) for the usual slips in Z = X @ W + b."""
    variants = [(X @ W, "the bias is not added: Z = X @ W + b."),
                (X @ W - b, "the bias is subtracted; add it: Z = X @ W + b.")]
    if W.shape[0] == W.shape[1]:  # only a square W lets X @ W.T run
        variants.append((X @ W.T + b, "the product uses W.T; use W as it is given (not W.T): Z = X @ W + b."))
    return variants


def _scale_mistake(std, n_in, n_out):
    """' That is sqrt(1 / n_in) ...' when the standard deviation is a known wrong scale, else ''."""
    scales = [(np.sqrt(1 / n_in), "sqrt(1 / n_in) (LeCun's scale): He initialisation has a 2 in it, for ReLU, "
                                  "which zeroes half of its inputs"),
              (np.sqrt(2 / n_out), "sqrt(2 / n_out): the scale depends on the number of inputs, n_in"),
              (2 / n_in, "2 / n_in, the variance: the standard deviation is its square root"),
              (np.sqrt(1 / n_out), "sqrt(1 / n_out): the scale depends on n_in, and He's has a 2 in it"),
              (1.0, "1: rng.standard_normal is not scaled at all")]
    for scale, what in scales:
        if abs(std / scale - 1) < 0.05:
            return f" Your standard deviation is {what}."
    return ""


def check_dense(mod, passed):
    rng = np.random.default_rng(0)
    forward = getattr(mod, "dense_forward", None)
    if not callable(forward):
        raise CheckFailure("dense_forward: expected a function named `dense_forward` in the exercise file, found none.")

    # 1. Values against nncore's Dense, for a few (N, n_in, n_out).
    for N, n_in, n_out in ((5, 3, 4), (1, 4, 2), (32, 10, 7)):
        X, W = rng.standard_normal((N, n_in)), rng.standard_normal((n_in, n_out))
        b = rng.standard_normal((1, n_out))
        what = f"dense_forward(X, W, b) with X {X.shape}, W {W.shape}, b {b.shape}"
        Z = _call(what, forward, X, W, b)
        expect_shape(what, Z, (N, n_out))
        expect_close(what, Z, _reference(X, W, b), atol=1e-10, variants=_forward_mistakes(X, W, b))
    passed("dense_forward gives Z = X @ W + b of shape (N, n_out), equal to nncore's Dense, for 3 sizes")

    Z1 = _call(f"dense_forward(X, W, b) with a 1-D b of shape {b.ravel().shape}", forward, X, W, b.ravel())
    expect_shape(f"dense_forward(X, W, b) with X {X.shape}, W {W.shape}, 1-D b {b.ravel().shape}", Z1, (N, n_out))
    expect_close("dense_forward with a 1-D b of shape (n_out,)", Z1, _reference(X, W, b), atol=1e-10)
    passed("a 1-D b of shape (n_out,) broadcasts the same way as (1, n_out)")

    # 2. A batch is the samples side by side: row i depends on sample i only.
    Z = forward(X, W, b)
    for i in range(X.shape[0]):
        row = _call(f"dense_forward(X[{i}:{i + 1}], W, b) (a batch of one sample)", forward, X[i:i + 1], W, b)
        expect_shape(f"dense_forward(X[{i}:{i + 1}], W, b) (a batch of one sample)", row, (1, n_out))
        expect_close(f"dense_forward(X[{i}:{i + 1}], W, b) compared with row {i} of dense_forward(X, W, b)",
                     row, Z[i:i + 1], atol=1e-10)
    passed(f"a batch of {X.shape[0]} gives the same rows as its samples run one at a time")

    # 3. Shapes that do not fit: clear errors instead of NumPy's, or instead of silent broadcasting.
    X, W, b = rng.standard_normal((5, 3)), rng.standard_normal((4, 2)), np.zeros((1, 2))
    _expect_value_error(f"dense_forward(X, W, b) with X {X.shape} and W {W.shape} (3 features, W expects 4)",
                        forward, X, W, b, [X.shape, W.shape],
                        "Compare X.shape[1] with W.shape[0] before multiplying, and raise "
                        "ValueError(f'... {X.shape} ... {W.shape} ...').")
    X, W = rng.standard_normal((4, 3)), rng.standard_normal((3, 4))
    b = rng.standard_normal((4, 1))
    _expect_value_error(f"dense_forward(X, W, b) with X {X.shape}, W {W.shape} and a column b {b.shape}",
                        forward, X, W, b, [b.shape],
                        "X @ W + b would broadcast the (4, 1) column across the 4 samples and add bias i "
                        "to every output of sample i, silently. Accept only b.shape == (1, n_out) or (n_out,).")
    passed("mismatched X and W, and a column-shaped b, raise ValueError naming the shapes")

    # 4. DenseLayer: parameter shapes, He initialisation, forward.
    cls = getattr(mod, "DenseLayer", None)
    if cls is None:
        raise CheckFailure("DenseLayer: expected a class named `DenseLayer` in the exercise file, found none.")
    layer = _call("DenseLayer(784, 128, seed=0)", cls, 784, 128, 0)
    W = np.asarray(expect_attr(layer, "W", "DenseLayer.__init__"))
    b = np.asarray(expect_attr(layer, "b", "DenseLayer.__init__"))
    if W.shape == (128, 784):
        raise CheckFailure("DenseLayer(784, 128).W has shape (128, 784), the shape of W transposed: nncore's W is "
                           "(n_in, n_out) = (784, 128), one column per neuron, so that Z = X @ W. "
                           "Draw it with rng.standard_normal((n_in, n_out)).")
    if b.shape == (128, 1):
        raise CheckFailure("DenseLayer(784, 128).b has shape (128, 1), a column; it must be a row (1, n_out) = "
                           "(1, 128), so that X @ W + b adds the same biases to every sample: np.zeros((1, n_out)).")
    expect_shape("DenseLayer(784, 128).W (n_in, n_out)", W, (784, 128))
    expect_shape("DenseLayer(784, 128).b (1, n_out)", b, (1, 128))
    if np.any(b != 0):
        raise CheckFailure(f"DenseLayer(784, 128).b: expected zeros, got values from {b.min():.3g} to {b.max():.3g}.")
    std, mean, he = float(W.std()), float(W.mean()), np.sqrt(2 / 784)
    if not (abs(std / he - 1) < 0.1 and abs(mean) < 0.1 * he):
        raise CheckFailure(f"DenseLayer(784, 128).W: expected mean about 0 and standard deviation about "
                           f"{he:.4f} = sqrt(2 / n_in) (He initialisation), got mean {mean:.4f} and standard "
                           f"deviation {std:.4f}.{_scale_mistake(std, 784, 128)} "
                           "Use rng.standard_normal((n_in, n_out)) * np.sqrt(2 / n_in).")
    again = cls(784, 128, 0)
    if not np.array_equal(np.asarray(again.W), W):
        raise CheckFailure("DenseLayer(784, 128, seed=0) twice: expected the same W both times, got different "
                           "ones. Draw W from rng = np.random.default_rng(seed).")
    if np.array_equal(np.asarray(cls(784, 128, 1).W), W):
        raise CheckFailure("DenseLayer(784, 128, seed=1): expected a different W from seed=0, got the same. "
                           "Pass `seed` to np.random.default_rng(seed).")
    passed(f"DenseLayer(784, 128) has W (784, 128) with std {std:.4f} ~ sqrt(2/784) = {he:.4f}, "
           "b zeros (1, 128), reproducible from its seed")

    layer = cls(6, 3, 0)
    X = rng.standard_normal((8, 6))
    Z = _call("DenseLayer(6, 3).forward(X)", layer.forward, X)
    expect_shape(f"DenseLayer(6, 3).forward(X) with X {X.shape}", Z, (8, 3))
    expect_close("DenseLayer(6, 3).forward(X)", Z, _reference(X, np.asarray(layer.W), np.asarray(layer.b)),
                 atol=1e-10)
    stored = getattr(layer, "X", None)
    if stored is None or np.shape(stored) != X.shape or not np.array_equal(stored, X):
        raise CheckFailure("DenseLayer.forward(X): expected it to keep the input as self.X (backpropagation "
                           f"needs it), got self.X = {'None' if stored is None else f'an array of shape {np.shape(stored)}'}.")
    passed("DenseLayer.forward(X) returns X @ W + b, shape (8, 3), and keeps X as self.X")


EXERCISES = {
    "dense": Exercise("Dense layer forward pass on a batch", "03_forward_pass", check_dense),
}
