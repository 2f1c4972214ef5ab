"""build.py's rewrite of the page's <head> scripts (no browser: the browser tests load the
built page itself). The page must paint before ~2.5 MB of BokehJS/Panel has run, and still run
those scripts in their order, before Bokeh's embed code."""
import pytest

import build

PAGE = """<html><head>
<script type="text/javascript">
(function () { window.started = true; })();
</script>
<script type="text/javascript" src="./static/bokeh/bokeh-3.7.3.min.js"></script>
<script type="text/javascript" src="./static/panel/panel.min.js"></script>
<script type="text/javascript">
  Bokeh.set_log_level("info");
</script>
</head><body><script type="text/javascript" src="./handler.js"></script>
<script type="text/javascript">Bokeh.embed.embed_items(docs, items);</script></body></html>"""


def test_head_script_files_are_deferred_in_order():
    out = build.defer_head_scripts(PAGE)
    head, body = out.split("</head>")
    assert head.index('bokeh-3.7.3.min.js" defer>') < head.index('panel.min.js" defer>')
    # an inline script that calls Bokeh waits until the deferred files have run
    assert 'document.addEventListener("DOMContentLoaded", function () {\n  ' \
           'Bokeh.set_log_level("info");\n}, {once: true});' in head


def test_boot_code_and_the_body_are_left_alone():
    out = build.defer_head_scripts(PAGE)
    head, body = out.split("</head>")
    assert '<script type="text/javascript">\n(function () { window.started = true; })();' in head
    assert body == PAGE.split("</head>")[1]


@pytest.mark.parametrize("page, problem", [
    ("<html><body></body></html>", "no </head>"),
    ("<html><head><script type=\"text/javascript\">x()</script></head></html>",
     "no script files"),
])
def test_an_unexpected_page_stops_the_build(page, problem):
    with pytest.raises(build.BuildError, match=problem):
        build.defer_head_scripts(page)
