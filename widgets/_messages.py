"""Inline messages under a widget: what went wrong and how to fix it, or a plain note.

Every widget shows bad input this way instead of raising, so nothing reaches the page as
an exception. Text is escaped here, once, because messages often quote what was typed.
"""
from __future__ import annotations

import html

import panel as pn

_STYLES = {
    "error": "color:#b00020; background:#fdecee; border-left:3px solid #b00020;",
    "note": "color:#555; background:#f4f4f4; border-left:3px solid #999;",
}


def message_html(text: str, kind: str = "error") -> str:
    if not text:
        return ""
    style = _STYLES[kind] + " padding:2px 8px; margin:0; font-size:0.9em; white-space:pre-wrap;"
    return f'<div class="pg-{kind}" style="{style}">{html.escape(text)}</div>'


def message_pane(owner, param_name: str, kind: str = "error", **kwargs) -> pn.pane.HTML:
    """An HTML pane that shows `owner.<param_name>` and hides itself when it is empty."""
    pane = pn.pane.HTML(message_html(getattr(owner, param_name), kind),
                        visible=bool(getattr(owner, param_name)), margin=(0, 5), **kwargs)

    def update(event):
        pane.object = message_html(event.new, kind)
        pane.visible = bool(event.new)

    owner.param.watch(update, param_name)
    return pane
