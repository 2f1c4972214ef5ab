# Project-wide pytest configuration.


def pytest_configure(config):
    # Tests that run Python inside real Pyodide under Node (tests/pyodide/). They need `node`;
    # the first run downloads and assembles the offline runtime (npm + PyPI), later runs reuse it.
    # Deselect with: -m "not pyodide"
    config.addinivalue_line(
        "markers", "pyodide: runs code inside real Pyodide under Node (slow; first run downloads)"
    )
