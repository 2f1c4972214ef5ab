"""The backend panel in the app's sidebar: run experiments "In this browser" (our engine; under
`panel serve`, in the app's process) or on a "Server" with real PyTorch (URL + token), with a
badge saying what answered (device, GPU, torch version) or why it did not.

A thin view over the session's Where (lessons/backend.py). On connecting, the server's address
and token go into the page's #fragment (never the query string: browsers do not send
fragments to web servers), so a reload, or a link an instructor hands out, connects again.
"""
import html
import urllib.parse

import panel as pn
import param

from .lessons import engine
from .lessons.backend import HERE, SERVER, Where, here_label

BADGE = {"ok": "#188038", "off": "#5f6368", "error": "#c5221f"}


def fragment_for(where):
    """'#backend=...&token=...' for a connected Where, '' otherwise."""
    if not where.remote:
        return ""
    return "#" + urllib.parse.urlencode({"backend": where.url, "token": where.token})


def parse_fragment(fragment):
    """(url, token) from '#backend=...&token=...', or None."""
    values = urllib.parse.parse_qs((fragment or "").lstrip("#"))
    if "backend" not in values:
        return None
    return values["backend"][0], values.get("token", [""])[0]


class WherePanel(pn.viewable.Viewer):
    where = param.ClassSelector(class_=Where)

    def __panel__(self):
        if hasattr(self, "_layout"):
            return self._layout
        w = self.where
        self.choice = pn.widgets.RadioButtonGroup(
            options={here_label(): HERE, "Server": SERVER}, value=w.mode, button_type="light",
            width=230, css_classes=["pg-where-choice"])
        self.url = pn.widgets.TextInput(value=w.url, placeholder="http://127.0.0.1:8765",
                                        name="server address", width=230,
                                        css_classes=["pg-where-url"])
        self.token = pn.widgets.PasswordInput(value=w.token, name="token", width=230,
                                              placeholder="the token it printed",
                                              css_classes=["pg-where-token"])
        self.connect = pn.widgets.Button(name="Connect", button_type="primary", width=110,
                                         css_classes=["pg-where-connect"])
        self.badge = pn.pane.HTML("", width=230, css_classes=["pg-where-badge"])
        self.form = pn.Column(self.url, self.token, self.connect, visible=w.mode == SERVER,
                              margin=0)
        self.choice.param.watch(self._chosen, "value")
        self.connect.on_click(lambda event: self._connect())
        # Enter in the token field connects; so does the token arriving just after a click
        # on Connect (the field sends its value when it loses focus, which the click causes)
        self.token.param.watch(self._token_arrived, "value")
        w.param.watch(lambda *events: self._show(), ["mode", "status", "error", "info"])
        self._show()
        title = pn.pane.HTML("<div style='font-weight:600;margin-top:12px'>Experiments run"
                             "</div>", margin=(0, 5))
        self._layout = pn.Column(title, self.choice, self.form, self.badge, width=250,
                                 css_classes=["pg-where"])
        return self._layout

    def _chosen(self, event):
        if event.new == HERE:
            self.where.use_here()
            _write_fragment("")
        self.form.visible = event.new == SERVER

    def _token_arrived(self, event):
        url = self.url.value_input or self.url.value
        w = self.where
        if event.new and url and not (w.remote and (w.url, w.token) == (url, event.new)):
            self._connect()

    def _connect(self):
        self.connect.loading = True
        try:
            # value_input: what is typed now (value waits for Enter or leaving the field)
            ok = self.where.connect(self.url.value_input or self.url.value,
                                    self.token.value_input or self.token.value)
        finally:
            self.connect.loading = False
        _write_fragment(fragment_for(self.where) if ok else "")
        if not ok:  # the form stays open to fix the address or token
            self.choice.value, self.form.visible = SERVER, True

    def _show(self):
        w = self.where
        if w.remote:  # connected by a link: the form shows what it connected to
            self.choice.value = SERVER
            self.url.value, self.token.value = w.url, w.token
            text, color = f"● {w.status}", BADGE["ok"]
            if w.allows_code:
                text += " · runs scratchpad cells"
        elif w.error:
            text, color = f"✕ {w.error}", BADGE["error"]
        else:
            here = "our engine (playground.torch)" if engine.name() == "playground" else \
                f"torch {engine.torch_module().__version__} on {engine.device()}"
            text, color = (f"● {here}" if w.mode == HERE else "not connected", BADGE["off"])
        self.badge.object = (f"<div style='font-size:0.85em;color:{color};word-break:break-word'>"
                             f"{html.escape(text)}</div>")


def _write_fragment(fragment):
    loc = pn.state.location
    if loc is not None:
        loc.hash = fragment
