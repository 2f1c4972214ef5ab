"""DtypeSelect: torch dtype names in, a description, clear errors for bad names."""
from widgets.dtype_select import DTYPES, DtypeSelect, describe


def test_default_and_labels():
    select = DtypeSelect()
    assert select.value == "float32"
    assert select._select.options["torch.float32"] == "float32"
    assert "default" in describe("float32")


def test_choosing_in_the_widget_sets_the_value_and_description():
    select = DtypeSelect()
    select._select.value = "int64"
    assert select.value == "int64"
    assert select._about.object == DTYPES["int64"]


def test_unknown_and_unoffered_names_are_refused_with_a_message():
    select = DtypeSelect(options=["float32", "int64"])
    select.value = "float16"
    assert select.value == "float32"
    assert select.error == "torch.float16 is not offered here: pick one of float32, int64"
    select.value = "double precision"
    assert select.error.startswith("'double precision' is not a torch dtype")
    select.value = "int64"
    assert select.error == ""


def test_changing_options_keeps_a_valid_value():
    select = DtypeSelect(value="bool")
    select.options = ["float64", "int8"]
    assert select.value == "float64"
    assert list(select._select.options) == ["torch.float64", "torch.int8"]


def test_bad_initial_value_falls_back():
    select = DtypeSelect(value="float8")
    assert select.value == "float32" and "not a torch dtype" in select.error


def test_not_given_option_reads_as_torch_picks():
    from widgets.dtype_select import NOT_GIVEN
    select = DtypeSelect(value=NOT_GIVEN, options=[NOT_GIVEN, "float32", "int64"])
    assert select.error == "" and select.value == "default"
    assert select._select.options["not given (torch picks)"] == "default"
    assert "int64 for ints" in select._about.object
    select.value = "int64"
    assert select._about.object == DTYPES["int64"]
