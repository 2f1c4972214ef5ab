"""ContourPlot: levels, filled contours, trajectories and hover data, click sets start."""
import numpy as np
from bokeh.events import Tap

from widgets.contour_plot import (ContourPlot, check_surface, contour_levels, frame_size,
                                  marks_data, snap_point, trajectory_data)

X = np.linspace(-2, 2, 41)
Y = np.linspace(-1, 1, 21)
Z = X[None, :] ** 2 + 4 * Y[:, None] ** 2
SURFACE = {"x": X, "y": Y, "z": Z}


def test_filled_contours_and_lines_are_drawn():
    plot = ContourPlot(surface=SURFACE, n_levels=8)
    assert len(plot.fill_source.data["xs"]) == 8
    assert len(plot.line_source.data["xs"]) == 9
    assert plot.fill_source.data["lower"][0] == 0.0
    assert plot.figure.x_range.start == -2 and plot.figure.y_range.end == 1
    assert plot.error == ""


def test_equal_aspect_frame():
    plot = ContourPlot(surface=SURFACE, size_px=400)
    assert (plot.figure.frame_width, plot.figure.frame_height) == (400, 200)
    assert frame_size(1, 10, 400) == (100, 400)  # no thinner than a quarter


def test_levels_linear_and_log():
    assert list(contour_levels(np.array([[0.0, 10.0]]), 5)) == [0, 2, 4, 6, 8, 10]
    log = contour_levels(np.array([[0.01, 100.0]]), 4, log=True)
    assert np.allclose(log, [0.01, 0.1, 1, 10, 100])
    shifted = contour_levels(np.array([[-1.0, 9.0]]), 3, log=True)
    assert shifted[0] == -1 and np.all(np.diff(shifted) > 0)
    assert list(contour_levels(np.array([[2.0, 2.0]]), 5)) == [2.0, 3.0]  # flat surface
    plot = ContourPlot(surface=SURFACE, log_levels=True, n_levels=6)
    assert len(plot.line_source.data["xs"]) == 7


def test_trajectories_hover_data_and_colours():
    plot = ContourPlot(surface=SURFACE, trajectories=[
        {"name": "sgd", "x": [1.0, 0.5, 0.25], "y": [0.5, 0.2, 0.1], "loss": [2, 1, 0.5],
         "grad": [(2.0, 4.0), (1.0, 1.6), (0.5, 0.8)]},
        {"name": "adam", "x": [1.0, 0.9], "y": [0.5, 0.4], "color": "#000000"}])
    points = plot.point_source.data
    assert list(points["step"]) == [0, 1, 2, 0, 1]
    assert list(points["loss"])[:3] == ["2", "1", "0.5"]
    assert list(points["grad"])[0] == "(2, 4)"
    assert list(points["size"]) == [5, 5, 9, 5, 9]  # the last point of each run stands out
    assert list(plot.path_source.data["color"]) == ["#d62728", "#000000"]
    assert list(points["name"]).count("adam") == 2


def test_diverged_points_are_left_out_and_noted():
    paths, points, note = trajectory_data([{"name": "big lr", "x": [1, 10, np.inf, np.nan],
                                            "y": [1, -10, 1e300, 0]}])
    assert paths["xs"] == [[1.0, 10.0]] and points["step"] == [0, 1]
    assert note == "'big lr' left the finite numbers (diverged?): 2 of its 4 points are not drawn"
    _, _, note = trajectory_data([{"name": "no coordinates"}])
    assert "has no 'x' and 'y'" in note


def test_click_sets_start_rounded_and_inside_the_surface():
    plot = ContourPlot(surface=SURFACE, start=(0.0, 0.0))
    plot.figure._trigger_event(Tap(plot.figure, x=1.234567, y=0.5))
    assert plot.start == (1.235, 0.5)
    assert plot.start_source.data["x"] == [1.235]
    plot._on_tap(Tap(plot.figure, x=5.0, y=-3.0))
    assert plot.start == (2.0, -1.0)
    assert snap_point(0.12345, 0, np.array([0, 100.0]), np.array([0, 1.0])) == (0.1, 0)


def test_setting_start_moves_the_marker():
    plot = ContourPlot(surface=SURFACE)
    plot.start = (-1.5, 0.25)
    assert plot.start_source.data == {"x": [-1.5], "y": [0.25]}


def test_bad_surfaces_give_messages_and_keep_the_last_drawing():
    plot = ContourPlot(surface=SURFACE)
    drawn = plot.fill_source.data["xs"]
    plot.surface = {"x": X, "y": Y, "z": Z.T}
    assert plot.error == ("'z' has shape (41, 21) but must be (len(y), len(x)) = (21, 41): "
                          "z[i, j] is the loss at (x[j], y[i])")
    assert plot.fill_source.data["xs"] is drawn
    assert check_surface({"x": X[::-1], "y": Y, "z": Z})[1] == "'x' and 'y' must be strictly increasing"
    assert check_surface({"x": X, "y": Y, "z": np.full_like(Z, np.nan)})[1] == "'z' has no finite values to draw"
    assert check_surface([1, 2])[1] == "the surface must be a dict with 'x', 'y' and 'z'"


def test_nan_in_the_surface_is_left_blank():
    z = Z.copy()
    z[5:8, 5:8] = np.nan
    plot = ContourPlot(surface={"x": X, "y": Y, "z": z})
    assert plot.error == "" and len(plot.fill_source.data["xs"]) == plot.n_levels


def test_no_surface_yet():
    plot = ContourPlot()
    assert plot.error == "" and len(plot.fill_source.data["xs"]) == 0


def test_marks_label_fixed_points_and_bad_ones_are_noted():
    plot = ContourPlot(surface=SURFACE, marks=[{"x": 0, "y": 0, "label": "minimum"}])
    assert plot.mark_source.data == {"x": [0.0], "y": [0.0], "label": ["minimum"],
                                     "marker": ["star"]}
    plot.marks = [{"x": 1, "y": 0.5, "label": "saddle", "marker": "x"}, {"x": np.nan, "y": 0},
                  {"label": "no place"}]
    assert plot.mark_source.data["marker"] == ["x"]
    assert plot.note == "2 mark(s) without finite 'x' and 'y' were skipped"
    plot.marks = []
    assert plot.note == ""
    assert marks_data([{"x": "1", "y": 2}])[0]["x"] == [1.0]


def test_several_params_updated_at_once():
    plot = ContourPlot(surface=SURFACE)
    plot.param.update(surface={"x": X, "y": Y * 2, "z": Z}, log_levels=True,
                      marks=[{"x": 0, "y": 0}])
    assert plot.figure.y_range.end == 2 and plot.mark_source.data["label"] == [""]
