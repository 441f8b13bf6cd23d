"""A picture of an autograd graph, drawn with matplotlib alone (no Graphviz program needed).

    draw_graph(L, names={"a": a, "b": b, "L": L})

Every Tensor that L was made from is a box with its name, its value and its gradient (for an array: its
shape, and the largest absolute entry of its gradient). An operation is a small circle with its symbol,
between the boxes of its inputs and the box of its result. Arrows point the way the forward pass
goes, from parent to child; backward walks them the other way. Columns are depths: an operation sits
one column right of its deepest parent, a leaf (a number you gave) one column left of its first user.
"""

import numpy as np

from .autograd import Tensor
from .errors import fail

BOX_WIDTH, BOX_HEIGHT, OP_RADIUS = 1.7, 0.8, 0.22
COLUMN, ROW = 2.8, 1.3  # distance between columns (depths) and between rows


def graph_nodes(root):
    """Every Tensor `root` was made from, constants included, each after all its parents (a list)."""
    order, seen, stack = [], set(), [(root, False)]
    while stack:  # the same depth-first search as autograd.topological_order, constants included
        node, parents_done = stack.pop()
        if parents_done:
            order.append(node)
        elif node not in seen:
            seen.add(node)
            stack.append((node, True))
            stack.extend((p, False) for p in node.parents if p not in seen)
    return order


def layout(root):
    """({node: (column, row)}, {column: rows}) for draw_graph.

    An operation's column is its depth: one more than its deepest parent's. A leaf sits one column left of
    its first user, so its arrow is short. In each column the operations come first (row 0, on one line
    when the graph is a chain), then the leaves below them.
    """
    nodes = graph_nodes(root)
    depth = {}
    for node in nodes:
        depth[node] = 1 + max((depth[p] for p in node.parents), default=-1)
    users = {}
    for node in nodes:
        for parent in node.parents:
            users.setdefault(parent, []).append(node)
    for node in nodes:  # a leaf: just left of its first user
        if not node.parents and node in users:
            depth[node] = min(depth[user] for user in users[node]) - 1
    place, rows = {}, {}
    for node in sorted(nodes, key=lambda n: not n.parents):  # a stable sort: operations first
        column = depth[node]
        place[node] = (column, rows.get(column, 0))
        rows[column] = rows.get(column, 0) + 1
    return place, rows


def _number(x, digits=4):
    return f"{x:.{digits}g}"


def describe(node, name=None):
    """The text of a node's box: name, then data and grad (numbers, or shape and largest |entry|)."""
    lines = [name] if name else []
    if node.data.size == 1:
        lines.append(f"data {_number(node.data.item())}")
        if node.grad is not None:
            lines.append(f"grad {_number(np.asarray(node.grad).item())}")
    else:
        lines.append(f"data {node.shape}")
        if node.grad is not None:
            lines.append(f"max|grad| {_number(np.abs(node.grad).max(), 3)}")
    if node.grad is None and node.requires_grad:
        lines.append("grad None")
    return "\n".join(lines)


def draw_graph(root, names=None, ax=None):
    """Draw the graph that made `root` and return the matplotlib Axes.

    names: {name: Tensor} for the boxes you want labelled (others show only data and grad).
    ax: the Axes to draw into; by default a new figure sized to the graph.
    """
    import matplotlib.pyplot as plt
    from matplotlib.patches import Circle, FancyBboxPatch

    if not isinstance(root, Tensor):
        fail("draw_graph root", "a Tensor (the result whose graph to draw)", f"a {type(root).__name__}")
    label = {id(t): n for n, t in (names or {}).items() if isinstance(t, Tensor)}
    place, rows = layout(root)
    tallest = max(rows.values())
    if ax is None:
        columns = max(c for c, _ in place.values()) + 1
        _, ax = plt.subplots(figsize=(2.1 * columns + 0.6, 1.1 * tallest + 0.6))  # room for the text of every box

    def centre(node):  # row 0 of every column on one line, the next rows below it
        column, row = place[node]
        return column * COLUMN, -row * ROW

    for node in place:
        x, y = centre(node)
        leaf = not node.parents
        colour = "#dbe9f6" if node.requires_grad and leaf else "#eeeeee" if leaf else "#fdf0d5"
        ax.add_patch(FancyBboxPatch((x - BOX_WIDTH / 2, y - BOX_HEIGHT / 2), BOX_WIDTH, BOX_HEIGHT,
                                    boxstyle="round,pad=0.02", facecolor=colour, edgecolor="0.3"))
        ax.text(x, y, describe(node, label.get(id(node))), ha="center", va="center", fontsize=8)
        if leaf:
            continue
        ox = x - BOX_WIDTH / 2 - 0.45  # the operation's circle, just left of its result
        ax.add_patch(Circle((ox, y), OP_RADIUS, facecolor="white", edgecolor="0.3"))
        short = len(node.op) <= 2
        ax.text(ox, y if short else y - OP_RADIUS - 0.05, node.op, ha="center", va="center" if short else "top",
                fontsize=8 if short else 6)
        ax.annotate("", xy=(x - BOX_WIDTH / 2, y), xytext=(ox + OP_RADIUS, y),
                    arrowprops=dict(arrowstyle="->", color="0.3"))
        for parent in node.parents:
            px, py = centre(parent)
            skips = place[node][0] - place[parent][0] > 1  # an arrow over a column bends around its boxes
            bend = 0.0 if not skips else (-0.35 if py >= y else 0.35)
            ax.annotate("", xy=(ox, y), xytext=(px + BOX_WIDTH / 2, py),
                        arrowprops=dict(arrowstyle="->", color="0.3", shrinkB=OP_RADIUS * 40,
                                        connectionstyle=f"arc3,rad={bend}"))
    width = max(c for c, _ in place.values()) * COLUMN
    ax.set_xlim(-BOX_WIDTH / 2 - 0.2, width + BOX_WIDTH / 2 + 0.2)
    ax.set_ylim(-(tallest - 1) * ROW - BOX_HEIGHT, BOX_HEIGHT + 0.6)
    ax.set_aspect("equal")
    ax.axis("off")
    return ax


__all__ = ["draw_graph", "graph_nodes", "layout"]
