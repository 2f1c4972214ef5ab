"""The entry handed to `panel serve` and `panel convert`: the lessons app.

    panel serve playground/app.py                          # lessons on our engine
    panel serve playground/app.py --args --engine torch    # ... on real torch (CUDA if present)

Navigation, URL state and the engine choice only; every lesson computes through compute/.
"""
import argparse
import sys

import panel as pn

from playground.lessons import engine
from playground.shell import App


def _options(argv):
    parser = argparse.ArgumentParser(prog="panel serve playground/app.py --args")
    parser.add_argument("--engine", choices=engine.ENGINES, default="playground",
                        help="compute with our engine (default) or real torch in-process")
    known, _ = parser.parse_known_args(argv)
    return known


engine.use(_options(sys.argv[1:]).engine)
pn.extension(notifications=False)
App.from_url().servable(title="PyTorch playground")
