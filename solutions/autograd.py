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
    ### BEGIN SOLUTION
    # TASK: sum grad over the axes that broadcasting added or stretched, back to `shape`
    # HINT 1: Notebook 09, section 4 ("From numbers to arrays"): a value used several times receives the
    # sum of the gradients of its uses, and broadcasting is such reuse: the bias is used once per row.
    # Notebook 04, section 2 summed dZ over the samples for db for the same reason.
    # HINT 2: Two kinds of axes to sum over. grad.ndim - len(shape) leading axes the operand did not have:
    # sum them away (the result loses them). Then, for each remaining axis i with shape[i] == 1 while
    # grad has more there: sum over axis i and keep it with size 1 (NumPy's keepdims=True).
    # HINT 3: Steps: while grad has more dimensions than `shape`, replace it by its sum over axis 0;
    # then loop over the axes and sizes of `shape` and, where the size is 1 but grad's size is not,
    # replace grad by its sum over that axis, keeping the axis; give back what is left.
    while grad.ndim > len(shape):
        grad = grad.sum(axis=0)
    for axis, size in enumerate(shape):
        if size == 1 and grad.shape[axis] != 1:
            grad = grad.sum(axis=axis, keepdims=True)
    return grad
    ### END SOLUTION


def mul_backward(dout, a, b):
    """out = a * b, element by element, with broadcasting. Return (da, db).

    dout has out's shape; a and b are the arrays that were multiplied. The local derivative of a * b
    with respect to a is b, and with respect to b is a: da = dout * b, db = dout * a, each then summed
    back to the shape of its own operand with your unbroadcast.
    """
    ### BEGIN SOLUTION
    # TASK: return da and db, each the product of dout with the other factor, summed back to its shape
    # HINT 1: Notebook 09, section 2 ("The local rule of each node"): a product sends each factor the
    # upstream gradient times the *other* factor; notebook 04, section 1 did it for one neuron by hand.
    # HINT 2: da = dout * b, then summed to a's shape; db = dout * a, summed to b's shape. dout * b has
    # the broadcast shape of out, which is larger than a's shape when a was broadcast.
    # HINT 3: Two lines and a return: da is unbroadcast of (dout times b) to the shape of a; db is
    # unbroadcast of (dout times a) to the shape of b; return the pair (da, db), in that order.
    da = unbroadcast(dout * b, a.shape)
    db = unbroadcast(dout * a, b.shape)
    return da, db
    ### END SOLUTION


def matmul_backward(dout, A, B):
    """C = A @ B. Return (dA, dB), with dA of A's shape and dB of B's shape.

    Matrices: A (n, k), B (k, m), dout = dC (n, m); dA = dC B^T (n, k), dB = A^T dC (k, m).
    Stacks: A (..., n, k) and B (..., k, m) with leading axes that broadcast, as in NumPy's @; ^T
    swaps the last two axes only, and a matrix used by the whole stack gets the sum over the stack.
    """
    ### BEGIN SOLUTION
    # TASK: return dA and dB of a matrix product, for matrices and for stacks of them
    # HINT 1: Notebook 09, section 4, and notebook 04, section 2: for Z = X W, dW = X^T dZ and
    # dX = dZ W^T. Here A plays X and B plays W. Each gradient has the shape of its matrix: let the shapes
    # tell you which factor is transposed and on which side it goes.
    # HINT 2: dA = dC B^T: (n, m)(m, k) = (n, k). dB = A^T dC: (k, n)(n, m) = (k, m). For a stack, X.T
    # would reverse *all* axes; np.swapaxes(X, -1, -2) swaps only the last two. If B (k, m) was used by
    # a stack A (s, n, k), A^T dC has shape (s, k, m): sum it back to (k, m) with unbroadcast.
    # HINT 3: Steps: dA is dout times B with its last two axes swapped; dB is A with its last two axes
    # swapped, times dout; return both, each passed through unbroadcast to the shape of its own matrix.
    dA = dout @ np.swapaxes(B, -1, -2)
    dB = np.swapaxes(A, -1, -2) @ dout
    return unbroadcast(dA, A.shape), unbroadcast(dB, B.shape)
    ### END SOLUTION


def topological_order(root):
    """Every Tensor that `root` was made from and that requires grad, each after all of its parents.

    A node's parents are node.parents (a tuple of Tensors, empty for a leaf); skip the parents whose
    requires_grad is False (constants: no gradient flows to them). Each node appears exactly once,
    and root comes last. A depth-first search that lists a node after it has visited all its parents
    does it (post-order). Recursion or an explicit stack: either is fine here (section 3 says why the
    engine uses a stack).
    """
    ### BEGIN SOLUTION
    # TASK: list every node that requires grad once, after all of its parents (a depth-first post-order)
    # HINT 1: Notebook 09, section 3 ("The chain rule as a walk"): backward may run a node's rule only once
    # every node that used it has handed in its share. Listing each node after its parents, then walking
    # the list from the end, guarantees it.
    # HINT 2: visit(node): if node was visited, stop; mark it visited; visit each parent that requires
    # grad; then append node to the list. Start the visit at the root and return the list. The mark is a set of
    # Tensors: a value used twice is reached twice, but is listed once.
    # HINT 3: Steps: an empty list and an empty set; an inner function of one node that returns at once
    # for a node in the set, else adds it to the set, calls itself on each parent with requires_grad,
    # and only then appends the node; call it on root; return the list.
    order, visited = [], set()

    def visit(node):
        if node in visited:
            return
        visited.add(node)
        for parent in node.parents:
            if parent.requires_grad:
                visit(parent)
        order.append(node)

    visit(root)
    return order
    ### END SOLUTION


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
