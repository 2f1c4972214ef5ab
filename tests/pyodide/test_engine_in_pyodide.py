"""The engine inside real Pyodide: a representative subset of the differential engine cases
(the ones registered with web=True in tests/engine/test_*.py: creation, dtypes, printing, ops,
autograd, views and in-place, errors, nn and optim) runs with playground.torch in Pyodide under
Node, and each result must equal what real torch gives for the same case source on the host.

One Node process runs every case (starting Pyodide costs seconds); each case is then its own
test, comparing torch's describe() (computed here) with the engine's (computed in Pyodide).
"""
from __future__ import annotations

import importlib
import sys
from pathlib import Path

import pytest

from pyodide_runner import node_executable, run_json

ENGINE_TESTS = Path(__file__).resolve().parent.parent / "engine"
if str(ENGINE_TESTS) not in sys.path:
    sys.path.insert(0, str(ENGINE_TESTS))

import oracle  # noqa: E402

DRIVER = Path(__file__).resolve().parent / "engine_cases_driver.py"
CASE_MODULES = ("test_ops_values", "test_autograd", "test_errors", "test_random")
MIN_CASES = 60

pytestmark = [
    pytest.mark.pyodide,
    pytest.mark.skipif(node_executable() is None, reason="Node.js not found"),
]


def web_cases() -> list[dict]:
    found = []
    for name in CASE_MODULES:
        module = importlib.import_module(name)
        found += module.cases.web()
    return found


CASES = web_cases()


@pytest.fixture(scope="module")
def pyodide_results() -> dict:
    """Every case run once, in one Pyodide process, with playground.torch."""
    payload = [{"name": c["name"], "source": c["source"]} for c in CASES]
    return run_json(DRIVER, input_data=payload,
                    packages_from_repo=("playground", str(ENGINE_TESTS / "oracle.py")),
                    timeout=300)


def test_subset_is_representative():
    groups = {c["group"] for c in CASES}
    assert len(CASES) >= MIN_CASES, f"only {len(CASES)} cases are marked web=True"
    assert groups == {"ops_values", "autograd", "errors", "random"}
    names = " ".join(c["name"] for c in CASES)
    for topic in ("tensor_", "promote", "repr", "unary_", "reduce_", "grad_", "inplace",
                  "view", "linear_layer", "sgd", "error_", "cuda"):
        assert topic in names, f"no Pyodide case about {topic!r}"


def test_ran_in_pyodide(pyodide_results):
    assert pyodide_results["platform"] == "emscripten"
    assert sorted(pyodide_results["results"]) == sorted(c["name"] for c in CASES)


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_case_in_pyodide_matches_torch(pyodide_results, case):
    torch, _ = oracle.torch_modules()
    expected = oracle.run_case(case["source"], torch, case["name"])
    got = pyodide_results["results"][case["name"]]
    diffs = oracle.compare(expected, got, ignore=case.get("ignore", ()))
    assert not diffs, oracle.report(case["name"] + " (in Pyodide)", diffs, case["source"])
