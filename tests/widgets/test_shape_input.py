"""ShapeInput: parsing, validation messages, add/remove dims, value <-> text sync."""
from hypothesis import given, strategies as st

from widgets.shape_input import ShapeInput, format_shape, parse_shape


def test_parses_the_usual_spellings():
    assert parse_shape("3, 1") == ((3, 1), "")
    assert parse_shape("(2, 3)") == ((2, 3), "")
    assert parse_shape("[4 5]") == ((4, 5), "")
    assert parse_shape("3,") == ((3,), "")
    assert parse_shape("") == ((), "")
    assert parse_shape("()") == ((), "")
    assert parse_shape(" 0 , 2 ") == ((0, 2), "")


def test_bad_input_names_the_problem_and_the_fix():
    assert parse_shape("3,x") == (None, "'x' is not a whole number: write sizes like 3, 4")
    assert parse_shape("2.5")[1] == "'2.5' is not a whole number: write sizes like 3, 4"
    assert parse_shape("-1, 2")[1] == "-1 is negative: a size is 0 or more, write sizes like 3, 4"
    assert parse_shape("3,,4")[1].startswith("there is an empty size between two commas")
    assert parse_shape("1,1,1", max_dims=2)[1] == "3 dims is too many: at most 2 here, remove 1"
    assert parse_shape("1000, 1000, 2")[1] == (
        "1000, 1000, 2 holds 2,000,000 elements, more than the 1,000,000 allowed here: "
        "use smaller sizes")


@given(st.lists(st.integers(0, 9), max_size=6))
def test_format_and_parse_round_trip(sizes):
    assert parse_shape(format_shape(tuple(sizes))) == (tuple(sizes), "")


def test_typing_a_bad_shape_keeps_the_value_and_shows_the_error():
    shape = ShapeInput(value=(3, 1))
    assert shape.text == "3, 1" and shape.error == ""
    shape.text = "3,x"
    assert shape.value == (3, 1)
    assert shape.error == "'x' is not a whole number: write sizes like 3, 4"
    shape.text = "2, 3, 4"
    assert shape.value == (2, 3, 4) and shape.error == ""


def test_setting_the_value_updates_the_text_and_flags_limits():
    shape = ShapeInput(value=(2,), max_dims=3)
    shape.value = (4, 5)
    assert shape.text == "4, 5"
    shape.value = (1, 1, 1, 1)
    assert shape.error == "4 dims is too many: at most 3 here, remove 1"


def test_add_and_remove_dims_with_limits():
    shape = ShapeInput(value=(3,), max_dims=2)
    shape.add_dim()
    assert shape.value == (3, 1) and shape.text == "3, 1"
    assert shape._add.disabled
    shape.add_dim()
    assert shape.value == (3, 1)
    assert shape.error.startswith("can't add a dim: 3 dims is too many")
    shape.remove_dim()
    shape.remove_dim()
    assert shape.value == () and shape._remove.disabled
    shape.remove_dim()
    assert shape.error == "can't remove a dim: the shape () has none left"


def test_add_dim_respects_max_numel():
    shape = ShapeInput(value=(10,), max_numel=10, new_dim_size=2)
    shape.add_dim()
    assert shape.value == (10,)
    assert "more than the 10 allowed" in shape.error


def test_value_must_be_a_tuple_of_ints():
    shape = ShapeInput()
    for bad in ([1, 2], (1.5,), (True,)):
        try:
            shape.value = bad
        except ValueError as exc:
            assert "must be a tuple of ints" in str(exc)
        else:
            raise AssertionError(f"{bad!r} was accepted")


def test_initial_text_wins_over_value():
    assert ShapeInput(text="5, 6").value == (5, 6)


def test_value_travels_through_a_url_as_a_list():
    p = ShapeInput.param.value
    assert p.serialize((2, 3)) == [2, 3]
    assert p.deserialize([2, 3]) == (2, 3)
    assert p.deserialize("4, 5") == (4, 5)


def test_shape_param_takes_any_length_within_its_limits():
    import param
    from widgets.shape_input import Shape

    class Lesson(param.Parameterized):
        shape = Shape((2, 3), max_dims=3, max_numel=100)

    lesson = Lesson()
    lesson.shape = (4,)
    lesson.shape = (1, 2, 3)
    assert isinstance(Lesson.param["shape"], param.Tuple)  # a URL's JSON list decodes to it
    for bad, why in [((1, 1, 1, 1), "4 dims is too many: at most 3 here"),
                     ((11, 10), "holds 110 elements, more than the 100 allowed"),
                     ((-1, 2), "-1 is negative")]:
        try:
            lesson.shape = bad
        except ValueError as exc:
            assert why in str(exc)
        else:
            raise AssertionError(f"{bad!r} was accepted")
    assert lesson.shape == (1, 2, 3)
