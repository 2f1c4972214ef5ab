"""Widget tests. Most build widgets in-process and look at their params and Bokeh data;
test_gallery_browser.py serves tests/widgets/gallery_app.py with `panel serve` and drives
it in headless Chromium (marked `browser`)."""
