"""Every lesson's controls fit its side column: Panel's widgets default to 300 px, which with
their margins would run under the plots next to the column."""
import panel as pn
import pytest

from playground import lessons
from playground.lessons.base import CONTROL_WIDTH, SIDE_WIDTH

# the scratchpad's State registers our engine as `torch`, as the app does: undone after each
pytestmark = pytest.mark.usefixtures("restore_torch_modules")


@pytest.mark.parametrize("slug", list(lessons.LESSONS))
def test_controls_fit_the_side_column(slug):
    module = lessons.load(slug)
    view = module.View(state=module.State())
    view.__panel__()
    side = view._layout.objects[-1].objects[0]  # the FlexBox of side column and body
    assert side.width == SIDE_WIDTH
    for w in side.objects:
        if isinstance(w, pn.widgets.Widget):
            assert w.width is not None and w.width <= CONTROL_WIDTH, (slug, w.name, w.width)
