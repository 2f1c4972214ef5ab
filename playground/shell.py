"""The app around the lessons: navigation, the URL, share links, classroom and embed modes.

No computation here: each lesson's State computes through compute/, this only decides which
lesson is shown and keeps the address bar in step with it, so any view can be shared.
"""
import html
import sys

import panel as pn
import param

from . import lessons
from .lessons import urlstate
from .lessons.backend import Where
from .where_panel import WherePanel, parse_fragment

from .lessons.base import ERROR_STYLE


def _page_location(part):
    """A part of the page's address ('search' or 'hash'). In the browser the app runs in a
    worker that starts before Panel syncs the page's location, so the site passes the query
    and the fragment in the worker's own URL."""
    loc = pn.state.location
    if loc is not None and getattr(loc, part):
        return getattr(loc, part)
    if sys.platform == "emscripten":
        try:
            import js
            return str(getattr(js.location, part))
        except Exception:  # not in a worker: the page's location arrives later
            return ""
    return ""


def page_search():
    """The page's query string (the lesson and its state)."""
    return _page_location("search")


def page_fragment():
    """The page's #fragment (where the backend's address and token live)."""
    return _page_location("hash")


class App(pn.viewable.Viewer):
    """Lesson navigation and URL state. `App.from_url()` builds it for the current page."""

    lesson = param.Selector(default=lessons.DEFAULT, objects=list(lessons.LESSONS))
    embed = param.Boolean(default=False, doc="compact layout for an iframe")
    hide = param.List(default=[], doc="controls hidden by a classroom link (and nav/share)")

    def __init__(self, query=None, **params):
        super().__init__(**params)
        self._query = dict(query or {})
        self._states = {}  # slug -> State, kept so switching back keeps the student's work
        self.where = Where()  # this session's choice: experiments here or on a server
        self.where.param.watch(self._where_changed, ["mode", "info"])
        self.notice = pn.pane.HTML("", sizing_mode="stretch_width", margin=(0, 10))
        self.main = pn.Column(sizing_mode="stretch_width")
        self.param.watch(self._show, "lesson")
        self._show()

    @classmethod
    def from_url(cls):
        """An App for the page's query string (?lesson=...&lr=...&hide=...&embed=1)."""
        query = urlstate.parse_query(page_search())
        slug = query.get("lesson", lessons.DEFAULT)
        notice = ""
        if slug not in lessons.LESSONS:
            notice = (f"There is no lesson '{slug}' (the link may be old): showing "
                      f"{lessons.LESSONS[lessons.DEFAULT][1]} instead.")
            slug = lessons.DEFAULT
        app = cls(query=query, lesson=slug, embed=query.get("embed") in ("1", "true"),
                  hide=urlstate.hidden(query))
        if notice:
            app._add_notice(notice)
        app._connect_from_fragment(page_fragment())
        if pn.state.location is not None:  # under panel serve the fragment arrives later
            pn.state.location.param.watch(lambda e: app._connect_from_fragment(e.new), "hash")
        return app

    def _connect_from_fragment(self, fragment):
        """A link with #backend=...&token=...: connect (the panel shows how it went)."""
        server = parse_fragment(fragment)
        if server and not (self.where.remote and (self.where.url, self.where.token) == server):
            self.where.connect(*server)

    # -- lessons ------------------------------------------------------------------------------
    def state_for(self, slug):
        """The lesson's State, made on first visit from the URL's values."""
        if slug not in self._states:
            module = lessons.load(slug)
            state = module.State(where=self.where)
            if self._query.get("lesson") == slug:
                for problem in urlstate.apply_query(state, self._query):
                    self._add_notice(problem)
            state.param.watch(lambda *events: self._write_url(), list(state.url_params))
            self._states[slug] = state
        return self._states[slug]

    def _where_changed(self, *events):
        """Experiments moved here or to a server: every open lesson computes again there."""
        for state in self._states.values():
            state.refresh()

    def view_for(self, slug):
        module = lessons.load(slug)
        return module.View(state=self.state_for(slug), hidden=list(self.hide))

    def _show(self, *events):
        try:
            view = self.view_for(self.lesson)
        except Exception as exc:  # a lesson that cannot be built must not take the app down
            self._add_notice(f"The lesson could not be opened: {exc}")
            return
        self.main.objects = [view]
        self._write_url()

    # -- URL -------------------------------------------------------------------------------------
    def current_query(self):
        extra = {"hide": ",".join(self.hide), "embed": "1" if self.embed else ""}
        return urlstate.query_for(self.state_for(self.lesson), extra)

    def _write_url(self):
        loc = pn.state.location
        if loc is not None:
            loc.search = self.current_query()

    def _add_notice(self, text):
        current = self.notice.object or ""
        self.notice.object = current + (f"<div class='pg-error' style='{ERROR_STYLE}'>"
                                        f"{html.escape(text)}</div>")

    # -- layout ---------------------------------------------------------------------------------
    def _nav(self):
        buttons = []
        for slug, (_, title) in lessons.LESSONS.items():
            b = pn.widgets.Button(name=title, button_type="primary" if slug == self.lesson
                                  else "light", width=230, css_classes=[f"pg-nav-{slug}"])
            b.on_click(lambda e, s=slug: setattr(self, "lesson", s))
            buttons.append(b)

        def restyle(event):
            for b, slug in zip(buttons, lessons.LESSONS):
                b.button_type = "primary" if slug == event.new else "light"
        self.param.watch(restyle, "lesson")
        brand = "<div style='font-weight:600;font-size:1.1em;padding:8px 4px'>PyTorch " \
                "playground</div>"
        parts = [pn.pane.HTML(brand), *buttons]
        if "backend" not in self.hide:  # a classroom link may hide the choice
            parts.append(WherePanel(where=self.where))
        return pn.Column(*parts, width=250, css_classes=["pg-nav"])

    def _share(self):
        link = pn.widgets.Button(name="Copy link", button_type="default", width=120)
        link.js_on_click(code=_COPY_JS.replace("TEXT", "window.location.href"))
        embed = pn.widgets.Button(name="Copy embed snippet", button_type="default", width=170)
        embed.js_on_click(code=_COPY_JS.replace("TEXT", _EMBED_JS))
        return pn.Row(link, embed, pn.pane.HTML("", css_classes=["pg-copied"]),
                      css_classes=["pg-share"])

    def __panel__(self):
        if hasattr(self, "_layout"):
            return self._layout
        parts = []
        if not self.embed and "share" not in self.hide:
            parts.append(self._share())
        parts += [self.notice, self.main]
        body = pn.Column(*parts, sizing_mode="stretch_width")
        if self.embed or "nav" in self.hide:
            self._layout = pn.Column(body, sizing_mode="stretch_width")
        else:
            self._layout = pn.Row(self._nav(), body, sizing_mode="stretch_width")
        return self._layout


# Clipboard writes need a user gesture: these run in the browser on the click itself.
_COPY_JS = """
const text = TEXT;
const done = () => { const el = document.querySelector('.pg-copied');
  if (el) { el.textContent = 'copied'; setTimeout(() => el.textContent = '', 1500); } };
if (navigator.clipboard && window.isSecureContext) {
  navigator.clipboard.writeText(text).then(done, () => window.prompt('Copy this:', text));
} else { window.prompt('Copy this:', text); }
"""
_EMBED_JS = """(() => {
  const u = new URL(window.location.href); u.searchParams.set('embed', '1');
  return '<iframe src="' + u.href + '" width="100%" height="760" style="border:0" ' +
         'loading="lazy" title="PyTorch playground"></iframe>';
})()"""
