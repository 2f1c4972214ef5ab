"""What the lesson tests share."""
import sys

import pytest


@pytest.fixture
def restore_torch_modules():
    """The scratchpad registers our engine as `torch` (as the app does); put back whatever
    `torch` was, so the rest of the test session keeps real torch."""
    saved = {k: v for k, v in sys.modules.items() if k == "torch" or k.startswith("torch.")}
    yield
    for k in [k for k in sys.modules if k == "torch" or k.startswith("torch.")]:
        del sys.modules[k]
    sys.modules.update(saved)
