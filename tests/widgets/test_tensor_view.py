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
