"""Lesson state <-> URL query, the one place that reads a shared link.

Each State lists its shareable params in `url_params` (seed included where a lesson draws
random numbers), like TensorFlow Playground's state.ts table. A link such as
`?lesson=descent-2d&lr=0.3&optimizer=adam&seed=7` is applied one param at a time: a bad value
(`lr=0`, `steps=1000000000`, `x0=nan`) is skipped with a message saying what was wrong and
what is used instead, and the rest of the link still applies.

Two app-level keys: `hide` (comma-separated param names a classroom link hides, plus `nav` and
`share`) and `embed` (1: the compact layout for an iframe).
"""
import json
import math
import urllib.parse

import param

APP_KEYS = ("lesson", "hide", "embed")


def parse_query(search):
    """'?a=1&b=x' -> {'a': '1', 'b': 'x'} (strings; each param converts its own)."""
    return dict(urllib.parse.parse_qsl(search.lstrip("?"), keep_blank_values=True))


def encode(value):
    """A param value as it appears in the URL."""
    if isinstance(value, (list, tuple)):
        return json.dumps(list(value), separators=(",", ":"))
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def decode(p, text):
    """The URL text for param `p` as a value of its type (ValueError if it is not one)."""
    if isinstance(p, param.Boolean):
        if text.lower() in ("true", "1", "yes"):
            return True
        if text.lower() in ("false", "0", "no"):
            return False
        raise ValueError("expected true or false")
    if isinstance(p, param.Integer):
        value = float(text)
        if not value.is_integer():
            raise ValueError("expected a whole number")
        return int(value)
    if isinstance(p, param.Number):
        value = float(text)
        if not math.isfinite(value):
            raise ValueError("expected a finite number")
        return value
    if isinstance(p, (param.List, param.Tuple, param.NumericTuple)):
        value = json.loads(text)
        if not isinstance(value, list):
            raise ValueError("expected a list like [1, 2]")
        for v in value:
            if isinstance(v, float) and not math.isfinite(v):
                raise ValueError("expected finite numbers")
        return tuple(value) if isinstance(p, (param.Tuple, param.NumericTuple)) else value
    if isinstance(p, param.Selector):  # the choice whose URL form this is (512 for '512')
        return next((obj for obj in p.objects if encode(obj) == text), text)
    return text


def apply_query(state, query):
    """Set the state's url_params found in `query`; returns the messages for bad values.

    Values are applied one at a time in `url_params` order, so a param that resets others when
    it changes (a lesson's mode, say) comes first and the link's later values still hold. A
    value the param refuses is left out with a message saying why and what is used instead.
    """
    problems = []
    for name in state.url_params:
        if name not in query:
            continue
        text = query[name]
        p = state.param[name]
        try:
            setattr(state, name, decode(p, text))
        except (ValueError, TypeError) as exc:
            problems.append(f"The link's {name}={text!r} was ignored ({_reason(exc, p)}); "
                            f"using {encode(getattr(state, name))}.")
    return problems


def _reason(exc, p):
    bounds = getattr(p, "bounds", None)
    if bounds and isinstance(p, param.Number) and not isinstance(exc, TypeError):
        lo, hi = bounds
        if "bound" in str(exc) or "must be" in str(exc):
            return f"it must be between {lo:g} and {hi:g}"
    objects = getattr(p, "objects", None)
    if objects and "not" in str(exc) and isinstance(p, param.Selector):
        return f"it must be one of {', '.join(map(str, objects))}"
    text = str(exc).split("\n")[0]
    return text if len(text) < 120 else text[:117] + "..."


def query_for(state, extra=None):
    """The query string for a state: ?lesson=slug&param=value..."""
    items = {"lesson": state.slug}
    items.update({name: encode(getattr(state, name)) for name in state.url_params})
    items.update({k: v for k, v in (extra or {}).items() if v})
    return "?" + urllib.parse.urlencode(items)


def hidden(query):
    """The names a classroom link hides (?hide=lr,steps,nav)."""
    return [h.strip() for h in query.get("hide", "").split(",") if h.strip()]
