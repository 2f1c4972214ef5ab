"""TensorView: caption, heat map data, flattening, table mode, bad values."""
import numpy as np

from widgets.tensor_view import (TensorView, contiguous_strides, format_number, heatmap_data,
                                 is_contiguous)


def cells(view):
    return dict(view.source.data)


def test_caption_shows_shape_dtype_strides_contiguity_and_sharing():
    view = TensorView(value={"name": "b", "values": np.zeros((2, 3)), "dtype": "float32",
                             "strides": (3, 1), "shared_with": ["a", "c"]})
    assert view.caption == ("b · shape [2, 3] · torch.float32 · stride (3, 1) · contiguous · "
                            "shares storage with: a, c")
    view.value = {"name": "t", "values": np.zeros((3, 2)), "dtype": "float32",
                  "strides": (1, 3), "offset": 2}
    assert "stride (1, 3) · not contiguous · storage offset 2 · owns its storage alone" in view.caption


def test_heatmap_cells_hold_index_value_and_text():
    view = TensorView(value={"values": np.array([[1.5, -2.0], [0.0, 3.25]])})
    data = cells(view)
    assert list(data["index"]) == ["[0, 0]", "[0, 1]", "[1, 0]", "[1, 1]"]
    assert list(data["text"]) == ["1.5", "-2", "0", "3.25"]
    assert list(data["row"]) == [0, 0, 1, 1] and list(data["col"]) == [0, 1, 0, 1]
    # mixed signs: a diverging map centred on zero
    assert view.mapper.low == -3.25 and view.mapper.high == 3.25


def test_sequential_colours_for_one_signed_values():
    view = TensorView(value={"values": np.arange(1.0, 5.0)})
    assert (view.mapper.low, view.mapper.high) == (1.0, 4.0)
    assert view.figure.frame_height == view.cell_px  # one row


def test_zero_d_and_one_d():
    view = TensorView(value={"values": np.float32(2.5), "dtype": "float32"})
    assert list(cells(view)["index"]) == ["[()]"] and view.caption.startswith("shape []")
    view.value = {"values": np.arange(3)}
    assert list(cells(view)["index"]) == ["[0]", "[1]", "[2]"]
    assert view.caption == "shape [3] · torch.int64 · stride (1,) · contiguous · owns its storage alone"


def test_higher_dims_are_flattened_into_rows_and_say_so():
    view = TensorView(value={"values": np.arange(24).reshape(2, 3, 4)})
    data = cells(view)
    assert len(data["index"]) == 24
    assert data["index"][5] == "[0, 1, 1]"
    assert max(data["row"]) == 5
    assert view.note.startswith("3-d tensor: its first 2 dims (2 x 3) are flattened into 6 rows")
    assert view.figure.yaxis.axis_label == "dims 0-1 (flattened)"


def test_big_tensors_show_their_corner():
    columns, _, _, note, shape = heatmap_data(np.zeros((100, 100)), max_cells=400)
    assert shape == (20, 20) and len(columns["value"]) == 400
    assert note == "showing the first 20 of 100 rows and 20 of 100 columns"


def test_bool_int_and_non_finite_values():
    view = TensorView(value={"values": np.array([True, False])})
    assert list(cells(view)["text"]) == ["True", "False"]
    view.value = {"values": np.array([1.0, np.nan, np.inf])}
    assert list(cells(view)["text"]) == ["1", "nan", "inf"]
    assert view.error == ""


def test_table_mode():
    view = TensorView(value={"values": np.array([[1, 2], [3, 4]])}, mode="table")
    assert view._table_pane.visible and not view._plot_pane.visible
    assert "<td>4</td>" in view._table_pane.object
    view.mode = "heatmap"
    assert view._plot_pane.visible and not view._table_pane.visible
    view.mode = "table"
    assert view._table_pane.visible and not view._plot_pane.visible
    view.value = {"values": np.array(["<b>"], dtype=object)}
    assert view.error  # not numbers: refused, nothing rendered raw


def test_bad_values_give_a_message_not_an_exception():
    view = TensorView()
    view.value = {"shape": (2,)}
    assert view.error.startswith("the value has no 'values'")
    view.value = {"values": np.zeros(3), "shape": (2,)}
    assert view.error == "'shape' says (2,) but 'values' has shape (3,): pass the same shape for both"
    view.value = {"values": np.zeros(3), "strides": (1, 1)}
    assert "has 2 entries for 1 dims" in view.error
    view.value = {"values": np.zeros(2)}
    assert view.error == ""


def test_updates_mutate_the_same_figure_and_source():
    view = TensorView(value={"values": np.zeros((2, 2))})
    figure, source = view.figure, view.source
    view.value = {"values": np.zeros((5, 7))}
    assert view.figure is figure and view.source is source
    assert len(source.data["value"]) == 35
    assert (view.figure.x_range.end, view.figure.y_range.start) == (6.5, 4.5)


def test_pure_helpers():
    assert contiguous_strides((2, 3, 4)) == (12, 4, 1)
    assert is_contiguous((2, 3), (3, 1)) and not is_contiguous((2, 3), (1, 2))
    assert is_contiguous((1, 3), (99, 1))  # size-1 dims may have any stride
    assert format_number(np.int8(-3), "i") == "-3"
    assert format_number(1 + 2j, "c") == "1+2j"


def test_empty_tensors_keep_their_shape_and_draw_nothing():
    # tolist() of a 0 x 3 tensor is []: the shape comes from 'shape'
    view = TensorView(value={"values": [], "shape": (0, 3), "strides": (3, 1)})
    assert view.error == "" and view.caption.startswith("shape [0, 3]")
    assert view.note.startswith("empty tensor")
    assert not view._plot_pane.visible and not view._table_pane.visible
    view.value = {"values": [1.0, 2.0]}
    assert view._plot_pane.visible and view.note == ""


def test_tall_tensors_shrink_their_cells_to_fit_the_height():
    view = TensorView(value={"values": np.zeros((60, 2))}, max_height_px=300)
    assert view.figure.frame_height <= 300 and view.figure.frame_width == 2 * 5


def test_numpy_arrays_are_captioned_as_numpy_prints_them():
    view = TensorView(value={"name": "a", "kind": "ndarray", "values": np.ones(5),
                             "dtype": "float64", "shared_with": ["b"]})
    assert view.caption == "a · numpy.ndarray · shape (5,) · float64 · shares memory with: b"


def test_a_new_shape_changes_the_plot_size_too():
    # BokehJS lays a plot out again when width/height change, not frame_width/frame_height
    view = TensorView(value={"values": np.zeros((2, 12))}, cell_px=25)
    before = (view.figure.width, view.figure.height)
    view.value = {"values": np.zeros((8, 3))}
    assert (view.figure.frame_width, view.figure.frame_height) == (75, 200)
    assert (view.figure.width, view.figure.height) != before


def test_cell_labels_shorten_floats_to_fit_and_hover_keeps_the_full_text():
    from widgets.tensor_view import short_label
    assert short_label(0.04097, "0.04097", "f", 5) == "0.041"
    assert short_label(0.8506, "0.8506", "f", 6) == "0.8506"
    assert short_label(12345, "12345", "i", 3) == "12345"  # ints are never rounded
    view = TensorView(value={"values": np.array([[0.04097, 0.8506]])})
    data = cells(view)
    assert list(data["text"]) == ["0.04097", "0.8506"] and list(data["label"]) == ["0.041", "0.851"]


def test_the_page_caption_wraps_between_pieces_and_highlights_sharing():
    view = TensorView(value={"name": "y", "values": np.zeros(2), "shared_with": ["x"]})
    shown = view._caption_pane.object
    assert shown.count("white-space:nowrap") == 6
    assert "font-weight:600'>shares storage with: x</span>" in shown
