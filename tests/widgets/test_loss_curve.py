"""LossCurve: series to lines and hover points; nan/inf/<=0 values never break the axis."""
import math

import numpy as np

from widgets.loss_curve import LossCurve, left_out_note, series_data


def test_one_line_per_series_and_one_hover_point_per_value():
    curve = LossCurve(series={"sgd": [2.0, 1.0, 0.5], "adam": [2.0, 0.1]})
    assert list(curve.line_source.data["name"]) == ["sgd", "adam"]
    assert list(curve.point_source.data["step"]) == [0, 1, 2, 0, 1]
    assert curve.note == ""
    assert list(curve.line_source.data["color"]) == ["#d62728", "#1f77b4"]


def test_log_axis_leaves_out_non_positive_and_non_finite_values_and_says_so():
    curve = LossCurve(series={"run": [1.0, 0.0, -1.0, np.nan, np.inf, 0.5]}, log_y=True)
    ys_log = curve.line_source.data["ys_log"][0]
    assert [math.isnan(v) for v in ys_log] == [False, True, True, True, True, False]
    assert curve.note == (
        "2 value(s) are nan or inf (a diverged run?) and are not drawn; 2 value(s) are 0 or "
        "negative, which a log axis cannot show: they are not drawn (switch to a linear "
        "axis to see them)")
    curve.log_y = False
    assert curve.note == "2 value(s) are nan or inf (a diverged run?) and are not drawn"
    ys = curve.line_source.data["ys"][0]
    assert ys[1] == 0.0 and ys[2] == -1.0


def test_log_toggle_shows_one_of_two_figures_sharing_one_source():
    curve = LossCurve(series={"a": [1, 2]}, log_y=True)
    assert curve._log_pane.visible and not curve._linear_pane.visible
    curve.log_y = False
    assert curve._linear_pane.visible and not curve._log_pane.visible
    assert curve.log_figure.y_scale.__class__.__name__ == "LogScale"
    renderers = [r.data_source for f in (curve.log_figure, curve.linear_figure) for r in f.renderers]
    assert all(s in (curve.line_source, curve.point_source) for s in renderers)


def test_updating_series_replaces_data_in_place():
    curve = LossCurve(series={"a": [1.0]})
    source = curve.line_source
    curve.series = {"a": [1.0, 0.5], "b": [3.0]}
    assert curve.line_source is source and len(source.data["xs"]) == 2
    curve.series = {}
    assert len(source.data["xs"]) == 0 and curve.note == ""


def test_custom_colours_and_helpers():
    lines, points, left_out = series_data({"x": [1, 2]}, {"x": "#123456"})
    assert lines["color"] == ["#123456"] and points["color"] == ["#123456"] * 2
    assert left_out == {"not finite": 0, "not positive": 0}
    assert left_out_note({"not finite": 0, "not positive": 3}, log_y=False) == ""


def test_series_and_colours_updated_at_once():
    curve = LossCurve(series={"a": [1.0]})
    curve.param.update(series={"b": [2.0, 1.0]}, colors={"b": "#000000"})
    assert list(curve.line_source.data["color"]) == ["#000000"]


def test_legend_can_be_hidden():
    curve = LossCurve(series={"a": [1.0]}, show_legend=False)
    assert curve.log_figure.legend.visible is False
    curve.show_legend = True
    assert curve.linear_figure.legend.visible and curve.log_figure.legend.visible
