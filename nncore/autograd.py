"""Automatic differentiation: the machine that writes the backward pass for you.

Notebooks 04 and 05 wrote every backward pass by hand; torch's autograd (notebook 08) wrote them
for us. This module is a small reverse-mode engine over NumPy arrays that does the same:

    W = Tensor(W0, requires_grad=True)             # a parameter (a leaf of the graph)
    loss = cross_entropy((X @ W + b).relu() @ W2 + b2, y)
    loss.backward()                                # fills W.grad = dL/dW, b.grad, ...

Every operation computes its result **and** records how it was made: its parents (the Tensors it
read) and a backward rule. A rule is the chain rule for one operation: given dout = dL/dout, the
gradient of the loss with respect to the result, it returns dL/d(each parent). For C = A @ B,
dA = dC @ B.T and dB = A.T @ dC: exactly what Dense.backward writes by hand.

backward() then visits the recorded graph from the loss back to the leaves, in topological order:
a node's rule runs only after every node that used it has added its share to dout. A value used
twice (x * x, or W in two branches) receives the sum of both shares.

Operations: + - * / @ (with NumPy broadcasting; numbers and arrays join as constants), unary -,
** with a constant exponent, sum and mean over axes, reshape, transpose and .T, exp, log, relu,
tanh, sigmoid, log_softmax, softmax, and cross_entropy(logits, labels).

Semantics as in torch: .grad adds up over backward calls (so a training loop resets it, e.g. with
zero_grad()); backward frees the graph unless retain_graph=True; no_grad() stops recording. Unlike
torch, intermediate results keep their .grad too, so you can compare Z.grad with notebook 04's dZ.
"""

import contextlib
import numbers

import numpy as np

from .errors import as_numbers, check_labels, fail

_recording = True  # False inside no_grad()


@contextlib.contextmanager
def no_grad():
    """Inside `with no_grad():` operations record nothing: results have no parents and need no grad.

    For evaluation and for updating parameters, where no gradient is wanted. Also a decorator.
    """
    global _recording
    previous, _recording = _recording, False
    try:
        yield
    finally:
        _recording = previous


# --- backward rules: given dout = dL/dout, return dL/d(each input), in the shape of that input ------

def _unbroadcast(grad, shape):
    """Sum `grad` back down to `shape`, undoing NumPy broadcasting.

    Broadcasting reuses an operand along the axes it lacks or has size 1 in: in X @ W + b, the bias
    b of shape (n_out,) is added to every row, once per sample. A value used several times receives
    the gradient of every use, added up. That is why db = dZ.sum(axis=0): the sum over the batch.
    """
    if grad.shape == shape:
        return grad
    extra = grad.ndim - len(shape)  # leading axes the operand did not have at all
    if extra:
        grad = grad.sum(axis=tuple(range(extra)))
    stretched = tuple(i for i, n in enumerate(shape) if n == 1 and grad.shape[i] != 1)
    return grad.sum(axis=stretched, keepdims=True) if stretched else grad


def add_backward(dout, a, b):
    """out = a + b: da = dout, db = dout."""
    return _unbroadcast(dout, a.shape), _unbroadcast(dout, b.shape)


def sub_backward(dout, a, b):
    """out = a - b: da = dout, db = -dout."""
    return _unbroadcast(dout, a.shape), _unbroadcast(-dout, b.shape)


def mul_backward(dout, a, b):
    """out = a * b (element by element): da = dout * b, db = dout * a."""
    return _unbroadcast(dout * b, a.shape), _unbroadcast(dout * a, b.shape)


def div_backward(dout, a, b):
    """out = a / b: da = dout / b, db = -dout * a / b^2."""
    return _unbroadcast(dout / b, a.shape), _unbroadcast(-dout * a / (b * b), b.shape)


def matmul_backward(dout, A, B):
    """C = A @ B: dA = dC @ B.T, dB = A.T @ dC (.T swaps the last two axes of a stack of matrices)."""
    dA = dout @ np.swapaxes(B, -1, -2)
    dB = np.swapaxes(A, -1, -2) @ dout
    return _unbroadcast(dA, A.shape), _unbroadcast(dB, B.shape)


def sum_backward(dout, x, axis, keepdims):
    """out = x.sum(axis): every summed entry adds to the sum with slope 1, so dx is dout copied back to them."""
    if axis is not None and not keepdims:
        dout = np.expand_dims(dout, axis)  # put back the summed axes, with size 1
    return (np.broadcast_to(dout, x.shape),)


# --- the graph --------------------------------------------------------------------------------------

def _result(data, parents, op, rule):
    """The output of an operation. Its graph (parents and rule) is kept only if a gradient can flow."""
    out = Tensor.__new__(Tensor)
    out.data, out.grad, out.op = np.asarray(data), None, op  # asarray: NumPy gives 0-D results as scalars
    out.requires_grad = _recording and any(p.requires_grad for p in parents)
    out.parents = parents if out.requires_grad else ()
    out._backward = rule if out.requires_grad else None
    return out


def topological_order(root):
    """Every node `root` was made from (that requires grad), each listed after all of its parents.

    A depth-first search with an explicit stack instead of recursion, so a graph thousands of
    operations deep does not exceed Python's recursion limit. A node is listed once the search
    has come back from all its parents (the second time it is taken off the stack).
    """
    order, seen, stack = [], set(), [(root, False)]
    while stack:
        node, parents_done = stack.pop()
        if parents_done:
            order.append(node)
        elif node not in seen:
            seen.add(node)
            stack.append((node, True))
            stack.extend((p, False) for p in node.parents if p.requires_grad and p not in seen)
    return order


class Tensor:
    """An array with a gradient: data, grad (dL/data after backward, else None) and how it was made.

    Tensor(data, requires_grad=False): data is a number or an array of real numbers (copied;
    integers and bools become float64). requires_grad=True marks a leaf whose gradient you want:
    a parameter. Results of operations need a gradient if any of their inputs does.
    """

    __array_ufunc__ = None  # so numpy_array * tensor calls Tensor.__rmul__ instead of NumPy's multiply

    def __init__(self, data, requires_grad=False):
        if isinstance(data, Tensor):
            fail("Tensor data", "a number or an array of numbers", "a Tensor",
                 "It already is one: use it as it is, or x.detach() for a copy cut from the graph.")
        data = as_numbers(data, "Tensor data")
        if not isinstance(requires_grad, bool):
            fail("Tensor requires_grad", "True or False", repr(requires_grad))
        self.data = np.array(data, dtype=data.dtype if data.dtype.kind == "f" else np.float64)
        self.grad, self.op, self.requires_grad = None, "", requires_grad
        self.parents, self._backward = (), None

    shape = property(lambda self: self.data.shape)
    ndim = property(lambda self: self.data.ndim)
    dtype = property(lambda self: self.data.dtype)

    def item(self):
        """The value of a one-number Tensor as a Python float."""
        return self.data.item()

    def detach(self):
        """A new leaf with the same data (not copied) and no graph: a constant from now on."""
        return _result(self.data, (), "", None)

    def zero_grad(self):
        """Forget the gradient (grad = None), as an optimizer's zero_grad does before the next backward."""
        self.grad = None

    def __repr__(self):
        extra = ", requires_grad=True" if self.requires_grad else ""
        extra += f", op={self.op!r}" if self.op else ""
        return f"Tensor({np.array2string(self.data, separator=', ', prefix='Tensor(')}{extra})"

    def _other(self, other, op):
        """The other operand of a binary operation as a Tensor: numbers and arrays become constants."""
        if isinstance(other, Tensor):
            return other
        if isinstance(other, numbers.Real) and not isinstance(other, bool):  # keeps float32 float32
            return _result(np.asarray(other, dtype=self.data.dtype), (), "", None)
        data = as_numbers(other, f"the other operand of {op}")
        return _result(data if data.dtype.kind == "f" else data.astype(np.float64), (), "", None)

    # --- element-wise arithmetic, with broadcasting ------------------------------------------------

    def _binary(self, other, op, forward, rule, swap=False):
        a, b = (self._other(other, op), self) if swap else (self, self._other(other, op))
        try:
            data = forward(a.data, b.data)
        except ValueError:
            fail(f"a {op} b", "shapes that broadcast (compared from the right, each pair of sizes equal or one is 1)",
                 f"shapes {a.shape} and {b.shape}",
                 "A bias of a batch (N, k) has shape (k,) or (1, k); reshape or transpose one operand.")
        return _result(data, (a, b), op, lambda dout: rule(dout, a.data, b.data))

    def __add__(self, other):
        return self._binary(other, "+", np.add, add_backward)

    __radd__ = __add__  # 2 + x is x + 2

    def __sub__(self, other):
        return self._binary(other, "-", np.subtract, sub_backward)

    def __rsub__(self, other):
        return self._binary(other, "-", np.subtract, sub_backward, swap=True)

    def __mul__(self, other):
        return self._binary(other, "*", np.multiply, mul_backward)

    __rmul__ = __mul__

    def __truediv__(self, other):
        return self._binary(other, "/", np.divide, div_backward)

    def __rtruediv__(self, other):
        return self._binary(other, "/", np.divide, div_backward, swap=True)

    def __neg__(self):
        return _result(-self.data, (self,), "neg", lambda dout: (-dout,))

    def __pow__(self, p):
        """x ** p for a constant number p: d x = dout * p * x^(p-1)."""
        if isinstance(p, bool) or not isinstance(p, numbers.Real):
            fail("x ** p", "a constant number p, such as 2 or 0.5", f"a {type(p).__name__}",
                 "For a Tensor exponent write (p * x.log()).exp().")
        x = self.data
        return _result(x ** p, (self,), "**", lambda dout: (dout * p * x ** (p - 1),))

    # --- matrix product -------------------------------------------------------------------------

    def __matmul__(self, other):
        return self._matmul(self, self._other(other, "@"))

    def __rmatmul__(self, other):
        return self._matmul(self._other(other, "@"), self)

    @staticmethod
    def _matmul(a, b):
        """A @ B of matrices (or stacks of them); a 1-D operand is taken as one row or one column."""
        if a.ndim == 0 or b.ndim == 0:
            fail(f"{a.shape} @ {b.shape}", "arrays of at least 1 dimension", "a single number",
                 "Multiply by a number with *, not @.")
        k, k2 = a.shape[-1], b.shape[-2 if b.ndim > 1 else 0]
        if k != k2:
            hint = ("Did you mean A @ B.T? A layer with W of shape (n_in, n_out) computes X @ W."
                    if b.ndim > 1 and b.shape[-1] == k else
                    "Did you mean A.T @ B?" if a.ndim > 1 and a.shape[-2] == k2 else
                    "The columns of A must match the rows of B.")
            fail(f"A @ B with shapes {a.shape} @ {b.shape}", "A (.., n, k) @ B (.., k, m): the same inner size k",
                 f"the inner sizes {k} and {k2}, which differ", hint)
        if a.ndim == 1:  # a vector times a matrix: the vector as a matrix of one row, whose axis then goes
            out = Tensor._matmul(a.reshape(1, -1), b)
            return out.reshape(out.shape[:-2] + out.shape[-1:]) if b.ndim > 1 else out.reshape(())
        if b.ndim == 1:  # a matrix times a vector: the vector as a matrix of one column, likewise
            return Tensor._matmul(a, b.reshape(-1, 1)).reshape(a.shape[:-1])
        try:
            data = a.data @ b.data
        except ValueError:
            fail(f"A @ B with shapes {a.shape} @ {b.shape}", "leading (stack) axes that broadcast",
                 f"{a.shape[:-2]} and {b.shape[:-2]}")
        return _result(data, (a, b), "@", lambda dout: matmul_backward(dout, a.data, b.data))

    # --- reductions and shapes ---------------------------------------------------------------------

    def _axis_checked(self, name, method, axis, *args):
        try:
            return getattr(self.data, method)(axis, *args)
        except (ValueError, TypeError):  # AxisError is a ValueError
            fail(f"{name} axis", f"None or axes in -{self.ndim}..{self.ndim - 1} (the tensor has shape {self.shape})",
                 repr(axis))

    def sum(self, axis=None, keepdims=False):
        """Sum over `axis` (None: all entries), as NumPy's sum."""
        x = self.data
        data = self._axis_checked("sum", "sum", axis, None, None, keepdims)
        return _result(data, (self,), "sum", lambda dout: sum_backward(dout, x, axis, keepdims))

    def mean(self, axis=None, keepdims=False):
        """Mean over `axis`: the sum's gradient divided by the number of entries averaged."""
        x = self.data
        data = self._axis_checked("mean", "mean", axis, None, None, keepdims)
        count = x.size // max(np.size(data), 1)
        return _result(data, (self,), "mean",
                       lambda dout: (sum_backward(dout, x, axis, keepdims)[0] / count,))

    def reshape(self, *shape):
        """The same entries in another shape: reshape(2, 3) or reshape((2, 3)), -1 for one size."""
        shape = shape[0] if len(shape) == 1 and isinstance(shape[0], (tuple, list)) else shape
        try:
            data = self.data.reshape(shape)
        except (ValueError, TypeError):
            fail("reshape shape", f"sizes whose product is {self.data.size} (the tensor has shape {self.shape})",
                 repr(tuple(shape)))
        old = self.shape
        return _result(data, (self,), "reshape", lambda dout: (dout.reshape(old),))

    def transpose(self, *axes):
        """Reorder the axes (by default reverse them, as .T does)."""
        axes = tuple(axes[0]) if len(axes) == 1 and isinstance(axes[0], (tuple, list)) else axes
        axes = axes or tuple(reversed(range(self.ndim)))
        try:
            data = self.data.transpose(axes)
        except (ValueError, TypeError):
            fail("transpose axes", f"an order of the axes 0..{self.ndim - 1}", repr(axes))
        undo = tuple(np.argsort([i % self.ndim for i in axes]).tolist())  # the inverse order
        return _result(data, (self,), "transpose", lambda dout: (dout.transpose(undo),))

    T = property(lambda self: self.transpose())

    # --- element-wise functions ----------------------------------------------------------------------

    def exp(self):
        out = np.exp(self.data)
        return _result(out, (self,), "exp", lambda dout: (dout * out,))  # d e^x = e^x

    def log(self):
        x = self.data
        return _result(np.log(x), (self,), "log", lambda dout: (dout / x,))

    def relu(self):
        x = self.data
        return _result(np.maximum(x, 0), (self,), "relu", lambda dout: (dout * (x > 0),))  # slope 0 at 0

    def tanh(self):
        out = np.tanh(self.data)
        return _result(out, (self,), "tanh", lambda dout: (dout * (1 - out * out),))

    def sigmoid(self):
        E = np.exp(-np.abs(self.data))  # exponentiates only -|x|: no overflow (as activations.sigmoid)
        out = np.where(self.data >= 0, 1 / (1 + E), E / (1 + E))
        return _result(out, (self,), "sigmoid", lambda dout: (dout * out * (1 - out),))

    def log_softmax(self, axis=-1):
        """log(softmax(x)) along `axis`, as x - max - log(sum(exp(x - max))): never exp of a large number.

        Backward: dx = dout - softmax(x) * sum(dout) along the axis (the max shifts every entry alike,
        so it has no effect on the result and no gradient).
        """
        shifted = self.data - self._axis_checked("log_softmax", "max", axis, None, True)
        out = shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))
        return _result(out, (self,), "log_softmax",
                       lambda dout: (dout - np.exp(out) * dout.sum(axis=axis, keepdims=True),))

    def softmax(self, axis=-1):
        return self.log_softmax(axis).exp()

    # --- backward ---------------------------------------------------------------------------------

    def backward(self, gradient=None, retain_graph=False):
        """Add dL/d(node) to .grad of every node this Tensor (the loss L) was made from.

        gradient: dL/d(this Tensor), needed unless it holds a single number (then 1).
        retain_graph: keep the graph for another backward (by default it is freed, as in torch).
        """
        if not self.requires_grad:
            fail("backward", "a result computed from a Tensor with requires_grad=True",
                 "a Tensor that does not require grad",
                 "Create parameters with Tensor(..., requires_grad=True); inside no_grad() nothing is recorded.")
        if gradient is None:
            if self.data.size != 1:
                fail("backward", "a gradient argument for a Tensor that holds more than one number",
                     f"none, for shape {self.shape}",
                     f"Pass backward(gradient) with dL/d(this Tensor) of shape {self.shape}, or reduce it to "
                     "one number (the loss) first, e.g. y.sum().backward().")
            gradient = np.ones_like(self.data)
        else:
            gradient = as_numbers(gradient.data if isinstance(gradient, Tensor) else gradient, "backward gradient")
            if gradient.shape != self.shape:
                fail("backward gradient", f"shape {self.shape} (the shape of the Tensor)", f"shape {gradient.shape}")
        order = topological_order(self)
        if any(node.parents and node._backward is None for node in order):
            fail("backward", "a graph that no backward() has gone through yet",
                 "a graph whose saved values an earlier backward() freed (torch: 'Trying to backward "
                 "through the graph a second time')",
                 "Run the forward pass again, which builds a new graph; or pass retain_graph=True to the "
                 "first backward() if you mean to go through it twice (the gradients then add up).")
        grads = {self: gradient}  # this pass's dL/d(node); .grad adds it to what earlier passes left
        for node in reversed(order):  # the loss first; each node after everything that used it
            dout = grads.pop(node, None)
            if dout is None:  # only in a wrong order, which the check after the loop reports
                continue
            if node.grad is None:
                node.grad = np.array(dout, dtype=node.data.dtype)  # a copy of its own, so += changes no other
            else:
                node.grad += dout
            if node._backward is None:  # a leaf: nothing further back
                continue
            for parent, d in zip(node.parents, node._backward(dout)):
                if not parent.requires_grad:
                    continue
                if np.shape(d) != parent.shape:
                    fail(f"the backward rule of {node.op!r}", f"a gradient of shape {parent.shape} (its input's)",
                         f"shape {np.shape(d)}", "Sum a broadcast gradient back with _unbroadcast(grad, shape).")
                grads[parent] = grads[parent] + d if parent in grads else d
            if not retain_graph:
                node._backward = None  # frees the values the rule saved (the graph's structure stays)
        if grads:  # gradients that arrived after their node's turn: never the case in a topological order
            fail("backward", "topological_order(loss) to list every node after all of its parents",
                 f"{len(grads)} node(s) whose gradient came in after their turn, or that were not listed",
                 "A node goes into the list only once all of its parents are in it.")


def cross_entropy(logits, labels):
    """Softmax cross-entropy from logits (N, C) and integer labels (N,), the mean over the batch.

    L = -1/N sum_n log softmax(Z)[n, y_n], written as -1/N sum(Y * log_softmax(Z)) with one-hot Y.
    The engine then finds dL/dZ = (softmax(Z) - Y) / N by itself, the gradient notebook 05 derived.
    """
    if not isinstance(logits, Tensor) or logits.ndim != 2:
        fail("cross_entropy logits", "a 2-D Tensor of shape (N, C), one row of class scores per sample",
             f"shape {logits.shape}" if isinstance(logits, Tensor) else f"a {type(logits).__name__}")
    N, C = logits.shape
    y = check_labels(labels.data if isinstance(labels, Tensor) else labels, C, "cross_entropy labels")
    if y.shape[0] != N:
        fail("cross_entropy labels", f"{N} labels (one per row of the logits)", f"{y.shape[0]}")
    Y = np.zeros(logits.shape, dtype=logits.dtype)
    Y[np.arange(N), y] = 1
    return (logits.log_softmax(axis=1) * Y).sum() * (-1.0 / N)


__all__ = ["Tensor", "no_grad", "cross_entropy", "topological_order"]
