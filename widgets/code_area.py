"""A small code editor built on a <textarea>: monospace, Tab indents, Enter keeps the
indentation (and adds a level after ':'), Shift+Enter or Ctrl+Enter asks to run.

    area = CodeArea(value="print(1)")
    area.param.watch(run, "run_requests")

Why not pn.widgets.CodeEditor (Ace)? Panel 1.7.5 ships Ace inside its wheel, but under
panel/dist/bundled/aceplot/ajax/libs/1.40.1/, while its resource resolver looks for
aceplot/ace-builds@1.40.1/src-min-noconflict/; it finds nothing and loads Ace from
cdn.jsdelivr.net, which an offline page cannot reach (checked with a blocked network:
"ace is not defined"). This component is a ReactiveHTML, whose JavaScript is part of
Panel's own bundle, so it works offline, under `panel serve` and in Pyodide alike.

Params:
  value         the text; synced from the browser when the area loses focus, 250 ms
                after typing stops, and just before a Shift+Enter run request
  run_requests  incremented by Shift+Enter / Ctrl+Enter (watch it to run)
  rows          visible lines at least; the area grows with the text up to 30 lines, then
                scrolls (and can be resized by hand)
"""
from __future__ import annotations

import param
from panel.reactive import ReactiveHTML

_KEYDOWN = r"""
const e = event;
if (e == null) { return }
function insert(text) {
  // execCommand keeps the browser's undo history; setRangeText is the fallback
  if (!document.execCommand('insertText', false, text)) {
    area.setRangeText(text, area.selectionStart, area.selectionEnd, 'end');
  }
}
if (e.key === 'Tab' && !e.ctrlKey && !e.altKey && !e.metaKey) {
  e.preventDefault();
  if (e.shiftKey) {  // remove up to 4 spaces at the start of the line
    const s = area.selectionStart;
    const start = area.value.lastIndexOf('\n', s - 1) + 1;
    const spaces = area.value.slice(start, start + 4).match(/^ */)[0].length;
    if (spaces > 0) {
      area.setSelectionRange(start, start + spaces);
      insert('');
      area.setSelectionRange(Math.max(start, s - spaces), Math.max(start, s - spaces));
    }
  } else {
    insert('    ');
  }
} else if (e.key === 'Enter' && (e.shiftKey || e.ctrlKey || e.metaKey)) {
  e.preventDefault();
  data.value = area.value;
  data.run_requests = data.run_requests + 1;
} else if (e.key === 'Enter' && !e.altKey) {
  e.preventDefault();
  const s = area.selectionStart;
  const line = area.value.slice(area.value.lastIndexOf('\n', s - 1) + 1, s);
  let indent = line.match(/^ */)[0];
  if (/:\s*(#.*)?$/.test(line)) { indent += '    ' }
  insert('\n' + indent);
}
"""

_STYLESHEET = """
textarea.pg-code {
  width: 100%; box-sizing: border-box; resize: vertical; tab-size: 4;
  font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace;
  font-size: 13px; line-height: 1.45; padding: 6px 8px; white-space: pre;
  overflow-wrap: normal; overflow: auto; color: #1b1b1b; background: #fbfbfd;
  border: 1px solid #c9ccd3; border-radius: 4px; outline: none;
}
textarea.pg-code:focus { border-color: #3b82f6; box-shadow: 0 0 0 2px #3b82f633; }
"""


class CodeArea(ReactiveHTML):
    value = param.String(default="")
    run_requests = param.Integer(default=0)
    rows = param.Integer(default=8, bounds=(1, 200))

    _template = (
        '<textarea id="area" class="pg-code" spellcheck="false" autocomplete="off" '
        'autocapitalize="off" value="${value}" '
        'onkeydown="${script(\'keydown\')}" oninput="${script(\'grow\')}"></textarea>'
    )
    # Grow with the text (up to 30 lines; then it scrolls), never below `rows`. Set here,
    # not bound in the template, so the browser's changes don't flow back into `rows`.
    _GROW = ("area.rows = Math.min(30, Math.max(data.rows, "
             "area.value.split('\\n').length + 1))")
    # The value is also sent 250 ms after typing stops, not only on blur: text filled in
    # by a script or a test (no blur) must reach Python before the next Run.
    _SYNC_SOON = ("clearTimeout(state.sync_timer); state.sync_timer = setTimeout(() => "
                  "{ if (data.value !== area.value) { data.value = area.value } }, 250)")
    _scripts = {"keydown": _KEYDOWN + "\n" + _GROW, "grow": _GROW + "\n" + _SYNC_SOON,
                "render": _GROW, "rows": _GROW, "value": _GROW}

    def __init__(self, **params):
        params.setdefault("sizing_mode", "stretch_width")
        params.setdefault("stylesheets", [_STYLESHEET])
        super().__init__(**params)
