"""GraphView: node styling, grad lines, freed nodes, edges on box borders, bad input."""
from widgets.graph_view import BOX_H, BOX_W, STYLES, GraphView, boundary_point, graph_data

GRAPH = {
    "nodes": [
        {"id": "x", "label": "x", "kind": "tensor", "leaf": True, "requires_grad": True,
         "grad": "tensor([2.])", "value": "tensor([1.])"},
        {"id": "acc", "label": "AccumulateGrad", "kind": "accumulate"},
        {"id": "mul", "label": "MulBackward0", "kind": "function", "freed": True},
        {"id": "c", "label": "c", "kind": "tensor", "leaf": True, "requires_grad": False},
        {"id": "y", "label": "y", "kind": "tensor", "leaf": False, "requires_grad": True},
    ],
    "edges": [("x", "acc"), ("acc", "mul"), ("c", "mul"), ("mul", "y")],
}


def column(source, name):
    return list(source.data[name])


def test_tensors_are_boxes_and_grad_fns_are_ellipses_with_torch_names():
    view = GraphView(value=GRAPH)
    assert column(view.tensor_source, "label") == ["x", "c", "y"]
    assert column(view.function_source, "label") == ["AccumulateGrad", "MulBackward0"]


def test_styles_for_leaf_non_leaf_no_grad_and_freed():
    view = GraphView(value=GRAPH)
    fills = dict(zip(column(view.label_source, "label"), column(view.label_source, "fill")))
    assert fills["x"] == STYLES["leaf"][0]
    assert fills["y"] == STYLES["nonleaf"][0]
    assert fills["c"] == STYLES["nograd"][0]
    assert fills["MulBackward0"] == STYLES["freed"][0]
    assert fills["AccumulateGrad"] == STYLES["accumulate"][0]
    dashes = dict(zip(column(view.label_source, "label"), column(view.label_source, "dash")))
    assert dashes["MulBackward0"] == "dashed" and dashes["x"] == "solid"


def test_grad_and_freed_lines_under_the_label_and_hover_details():
    view = GraphView(value=GRAPH)
    sub = dict(zip(column(view.label_source, "label"), column(view.label_source, "sub")))
    assert sub["x"] == "grad tensor([2.])"
    assert sub["MulBackward0"] == "freed"
    assert sub["y"] == ""
    grads = dict(zip(column(view.label_source, "label"), column(view.label_source, "grad")))
    assert grads["x"] == "tensor([2.])" and grads["y"] == "None"
    kinds = dict(zip(column(view.label_source, "label"), column(view.label_source, "kind_text")))
    assert kinds["MulBackward0"].endswith("its saved buffers were freed by backward()")
    assert kinds["x"] == "leaf tensor (made by you)"


def test_long_gradients_are_shortened_in_the_box_only():
    graph = {"nodes": [{"id": 1, "requires_grad": True, "grad": "tensor([" + "1., " * 30 + "])"}],
             "edges": []}
    view = GraphView(value=graph)
    assert column(view.label_source, "sub")[0].endswith("…")
    assert len(column(view.label_source, "grad")[0]) > 100


def test_edges_start_and_end_on_the_borders():
    view = GraphView(value=GRAPH)
    data = view.edge_source.data
    assert len(data["x0"]) == 4
    # every edge goes right, and starts at least half a box right of its source's centre
    xs = dict(zip(column(view.label_source, "label"), column(view.label_source, "x")))
    assert data["x0"][0] >= xs["x"] + BOX_W / 2 - 1e-9
    assert all(x1 > x0 for x0, x1 in zip(data["x0"], data["x1"]))
    # edges touching a freed node are greyed
    assert data["color"][1] == "#c0c0c0" and data["color"][0] == "#555555"


def test_boundary_point():
    assert boundary_point((0, 0), (2, 0), 0.4, 0.3, ellipse=False) == (0.4, 0.0)
    x, y = boundary_point((0, 0), (0, -5), 0.4, 0.3, ellipse=True)
    assert (round(x, 9), round(y, 9)) == (0, -0.3)


def test_figure_is_sized_to_the_layout_and_reused():
    view = GraphView(value=GRAPH)
    figure = view.figure
    assert view.figure.x_range.end == 3.5  # layers 0..3
    view.value = {"nodes": [{"id": "a"}], "edges": []}
    assert view.figure is figure and view.figure.x_range.end == 0.5
    assert column(view.tensor_source, "label") == ["a"]


def test_bad_graphs_give_messages():
    view = GraphView(value={"nodes": [{"label": "no id"}], "edges": []})
    assert view.error == "node #0 has no 'id': give every node a unique id"
    view.value = {"nodes": [{"id": 1}, {"id": 1}], "edges": []}
    assert view.error == "node ids must be unique; repeated: 1"
    view.value = {"nodes": [{"id": 1}], "edges": [(1, 2)]}
    assert view.error == "" and view.note.startswith("1 edge(s) naming unknown nodes")
    view.value = {"nodes": [], "edges": []}
    assert view.note.startswith("no graph yet")
    assert graph_data("nonsense")[4].startswith("the graph must be a dict")


def test_box_size_constants_fit_between_layers():
    assert 0 < BOX_W < 1 and 0 < BOX_H < 1


def test_vertical_orientation_puts_layers_down_the_page():
    view = GraphView(value=GRAPH, orientation="vertical")
    ys = dict(zip(column(view.label_source, "label"), column(view.label_source, "y")))
    # inputs at the top, each layer one unit lower, the output at the bottom
    assert ys["x"] == 0 and ys["AccumulateGrad"] == -1 and ys["MulBackward0"] == -2
    assert ys["y"] == -3
    assert view.figure.y_range.start == -3.5 and view.figure.y_range.end == 0.5
    # four layers of PX_PER_SLOT down, two slots of PX_PER_LAYER across
    assert (view.figure.frame_height, view.figure.frame_width) == (4 * 78, 2 * 180)
    # arrows still leave and enter on the borders: downwards now
    data = view.edge_source.data
    assert all(y1 < y0 for y0, y1 in zip(data["y0"], data["y1"]))
    view.orientation = "horizontal"
    assert view.figure.x_range.end == 3.5
