"""LogSlider: log10 positions, snapped readable values, throttled value, clipping."""
import math

import param

from widgets.lr_slider import LogSlider, format_value, snap


def test_slider_moves_on_a_log_scale():
    lr = LogSlider(value=0.1, start=1e-4, end=10)
    assert lr._slider.start == -4 and lr._slider.end == 1
    assert lr._slider.value == -1
    lr._slider.value = -2.5
    assert lr.value == 0.0032  # 10**-2.5 = 0.00316..., snapped to 2 significant digits


def test_throttled_value_follows_only_on_release():
    lr = LogSlider(value=0.1)
    lr._slider.value = -2
    assert lr.value == 0.01 and lr.value_throttled == 0.1
    with param.edit_constant(lr._slider):
        lr._slider.value_throttled = -2
    assert lr.value_throttled == 0.01


def test_setting_value_from_code_moves_the_slider_and_throttled_value():
    lr = LogSlider()
    lr.value = 0.3
    assert math.isclose(lr._slider.value, math.log10(0.3))
    assert lr.value == 0.3 and lr.value_throttled == 0.3 and lr.error == ""


def test_out_of_range_and_non_numbers_are_clipped_with_a_message():
    lr = LogSlider(value=0.1, start=1e-4, end=10)
    lr.value = 50
    assert lr.value == 10 and lr.error == "50 is above the largest value here, 10: using that"
    lr.value = 0
    assert lr.value == 1e-4 and "below the smallest value here, 1e-4" in lr.error
    lr.value = 0.5
    lr.value = float("nan")
    assert lr.value == 0.5 and lr.error == "nan is not a number: keeping 0.5"


def test_readable_formatting():
    assert [format_value(x) for x in (1e-4, 3e-4, 1.2e-4, 0.001, 0.03, 0.1, 1, 2.5, 10)] == [
        "1e-4", "3e-4", "1.2e-4", "0.001", "0.03", "0.1", "1", "2.5", "10"]
    assert snap(0.031622776, 2) == 0.032


def test_slider_label_uses_the_same_formatting_in_javascript():
    lr = LogSlider(digits=2)
    assert "Math.pow(10, tick)" in lr._slider.format.code
    assert "toPrecision(2)" in lr._slider.format.code


def test_start_must_be_positive():
    try:
        LogSlider(start=0, end=1)
    except ValueError as exc:
        assert "0 < start < end" in str(exc)
    else:
        raise AssertionError("start=0 accepted")
