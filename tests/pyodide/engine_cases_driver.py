"""Run engine cases with playground.torch and print describe() of each as one JSON document.

Runs inside Pyodide (tests/pyodide/test_engine_in_pyodide.py starts it once for all cases via
pyodide_runner.run_json, with the repo's `playground` package and tests/engine/oracle.py copied
in), and equally under CPython for debugging:

    python tests/pyodide/engine_cases_driver.py CASES.json

Input: a JSON list of {"name", "source"}; output: {"platform", "numpy", "results": {name:
run_case() result}}. Only numpy, the standard library, oracle.py and playground are needed.
"""
import json
import os
import sys

if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    engine_tests = os.path.join(os.path.dirname(here), "engine")
    if os.path.isdir(engine_tests) and engine_tests not in sys.path:
        sys.path.append(engine_tests)  # on the host; in Pyodide oracle.py is on sys.path

    import numpy as np

    import oracle
    import playground.torch as torch

    path = os.environ.get("PYODIDE_RUNNER_INPUT") or sys.argv[1]
    with open(path, encoding="utf-8") as fh:
        cases = json.load(fh)
    results = {c["name"]: oracle.run_case(c["source"], torch, c["name"]) for c in cases}
    json.dump({"platform": sys.platform, "numpy": np.__version__, "results": results},
              sys.stdout)
    sys.stdout.write("\n")
