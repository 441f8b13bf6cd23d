# This file is generated from solutions/autograd.py by `python -m nncore generate`.
# It is yours: replace each `raise NotImplementedError(...)` with your code, then check it
# with nncore.check("autograd") in a notebook, or in a terminal in the course folder with
# `.venv/bin/python -m nncore check autograd` (Windows: .venv\Scripts\python).
# Stuck? nncore.hint("autograd") (or `... -m nncore hint autograd`) gives the next hint, one at a time.
# `... -m nncore reset autograd` restores the original stub (your file is kept as autograd.py.bak).

"""Exercise: the heart of an autograd engine (notebook 09, section 9).

nncore.autograd records every operation with its parents and a backward rule, and backward() runs
the rules from the loss back to the leaves. You write four of its pieces; `used_by_the_engine()`
(given, at the end) puts yours into the engine in place of its own, so that Tensor.backward() runs
on your code:

* unbroadcast(grad, shape): sum a gradient back down to the shape of an operand that NumPy broadcast
  (section 4). A bias b of shape (n_out,) added to Z of shape (N, n_out) is used once per row, so its
  gradient is the sum over the rows: db = sum_n dZ_n.
* mul_backward(dout, a, b): out = a * b element by element (section 2): each factor's gradient is
  dout times the other factor, summed back to that factor's shape.
* matmul_backward(dout, A, B): C = A B (section 4): dA = dC B^T and dB = A^T dC, as Dense.backward
  computes dX and dW by hand in notebook 04. A and B may also be stacks of matrices, shapes (..., n, k)
  and (..., k, m) whose leading axes broadcast; ^T then swaps only the last two axes.
* topological_order(root): every node that root was made from and that requires grad, each listed
  after all of its parents, root last (section 3). backward() walks this list from the end.

Every rule returns one gradient per input, each with the shape of that input.
"""

import contextlib

import numpy as np


def unbroadcast(grad, shape):
    """Sum `grad` down to `shape`, the shape of an operand that broadcasting stretched to grad.shape.

    NumPy broadcasting compares shapes from the right: an operand may lack leading axes (b of shape
    (3,) against Z of shape (4, 3)) or have size 1 where the result has more ((4, 1) against (4, 3)).
    Sum over the axes it lacked; sum over the axes where it had size 1 but keep them, with size 1.
    Examples: (4, 3) -> (3,) sums over axis 0; (4, 3) -> (1, 3) gives a row; (4, 3) -> (4, 1) a column;
    (2, 4, 3) -> (4, 1) both; a grad that already has `shape` comes back unchanged.
    """
    raise NotImplementedError('unbroadcast in exercises/autograd.py is not implemented yet: sum grad over the axes that broadcasting added or stretched, back to `shape`. nncore.hint("autograd") gives a hint, nncore.check("autograd") checks it.')


def mul_backward(dout, a, b):
    """out = a * b, element by element, with broadcasting. Return (da, db).

    dout has out's shape; a and b are the arrays that were multiplied. The local derivative of a * b
    with respect to a is b, and with respect to b is a: da = dout * b, db = dout * a, each then summed
    back to the shape of its own operand with your unbroadcast.
    """
    raise NotImplementedError('mul_backward in exercises/autograd.py is not implemented yet: return da and db, each the product of dout with the other factor, summed back to its shape. nncore.hint("autograd") gives a hint, nncore.check("autograd") checks it.')


def matmul_backward(dout, A, B):
    """C = A @ B. Return (dA, dB), with dA of A's shape and dB of B's shape.

    Matrices: A (n, k), B (k, m), dout = dC (n, m); dA = dC B^T (n, k), dB = A^T dC (k, m).
    Stacks: A (..., n, k) and B (..., k, m) with leading axes that broadcast, as in NumPy's @; ^T
    swaps the last two axes only, and a matrix used by the whole stack gets the sum over the stack.
    """
    raise NotImplementedError('matmul_backward in exercises/autograd.py is not implemented yet: return dA and dB of a matrix product, for matrices and for stacks of them. nncore.hint("autograd") gives a hint, nncore.check("autograd") checks it.')


def topological_order(root):
    """Every Tensor that `root` was made from and that requires grad, each after all of its parents.

    A node's parents are node.parents (a tuple of Tensors, empty for a leaf); skip the parents whose
    requires_grad is False (constants: no gradient flows to them). Each node appears exactly once,
    and root comes last. A depth-first search that lists a node after it has visited all its parents
    does it (post-order). Recursion or an explicit stack: either is fine here (section 3 says why the
    engine uses a stack).
    """
    raise NotImplementedError('topological_order in exercises/autograd.py is not implemented yet: list every node that requires grad once, after all of its parents (a depth-first post-order). nncore.hint("autograd") gives a hint, nncore.check("autograd") checks it.')


@contextlib.contextmanager
def used_by_the_engine():
    """Inside `with used_by_the_engine():` nncore's engine runs on the four functions of this file.

    The engine looks its rules and topological_order up by name each time it uses them, so replacing
    them in the module nncore.autograd is enough; the originals come back when the block ends.
    (The engine's own unbroadcast is called _unbroadcast: a leading underscore marks it as internal.)
    """
    from nncore import autograd
    yours = {"_unbroadcast": unbroadcast, "mul_backward": mul_backward,
             "matmul_backward": matmul_backward, "topological_order": topological_order}
    originals = {name: getattr(autograd, name) for name in yours}
    for name, function in yours.items():
        setattr(autograd, name, function)
    try:
        yield
    finally:
        for name, function in originals.items():
            setattr(autograd, name, function)
