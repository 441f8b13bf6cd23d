"""nncore.graph: the picture of an autograd graph (notebook 09), drawn with matplotlib alone."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from nncore import NNCoreError  # noqa: E402
from nncore.autograd import Tensor, topological_order  # noqa: E402
from nncore.graph import describe, draw_graph, graph_nodes, layout  # noqa: E402


def small_graph():
    a, b = Tensor(1.5, requires_grad=True), Tensor(-2.0, requires_grad=True)
    c = a * b
    d = c + a          # a used twice
    return a, b, c, d, d.tanh()


def test_every_node_once_after_its_parents_constants_included():
    x = Tensor(2.0, requires_grad=True)
    y = (x * 3.0) * x                          # a constant 3.0 and x used twice
    nodes = graph_nodes(y)
    assert len(nodes) == len({id(n) for n in nodes}) == 4
    position = {id(n): i for i, n in enumerate(nodes)}
    assert all(position[id(p)] < position[id(n)] for n in nodes for p in n.parents)
    assert len(topological_order(y)) == 3      # the engine's order leaves the constant out


def test_layout_columns_follow_depth_and_leaves_sit_left_of_their_first_user():
    a, b, c, d, L = small_graph()
    place, rows = layout(L)
    column = {id(n): place[n][0] for n in place}
    assert (column[id(c)], column[id(d)], column[id(L)]) == (1, 2, 3)
    assert column[id(a)] == column[id(b)] == 0
    assert sorted(place.values()) == sorted({(c_, r) for c_, r in place.values()})  # no two boxes in one place
    assert place[c][1] == place[d][1] == place[L][1] == 0                            # the chain on one line


def test_boxes_say_data_and_grad():
    a, b, c, d, L = small_graph()
    assert describe(a, "a") == "a\ndata 1.5\ngrad None"
    L.backward()
    assert describe(L, "L") == "L\ndata -0.9051\ngrad 1"
    W = Tensor(np.ones((2, 3)), requires_grad=True)
    (W * 2.0).sum().backward()
    assert describe(W) == "data (2, 3)\nmax|grad| 2"


def test_draw_graph_draws_a_box_per_node_and_a_circle_per_operation():
    a, b, c, d, L = small_graph()
    L.backward()
    ax = draw_graph(L, {"a": a, "b": b, "c": c, "d": d, "L": L})
    texts = [t.get_text() for t in ax.texts]
    assert sum(t.startswith(("a\n", "b\n", "c\n", "d\n", "L\n")) for t in texts) == 5
    assert {"*", "+", "tanh"} <= set(texts)
    assert len(ax.patches) == 5 + 3
    plt.close("all")


def test_a_network_graph_and_bad_input():
    X = np.ones((4, 2))
    W = Tensor(np.ones((2, 3)), requires_grad=True)
    loss = (X @ W).relu().sum()
    fig, ax = plt.subplots()
    assert draw_graph(loss, ax=ax) is ax
    plt.close("all")
    with pytest.raises(NNCoreError, match="draw_graph root"):
        draw_graph(np.ones(3))
