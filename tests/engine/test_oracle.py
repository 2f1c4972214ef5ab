"""The harness itself (oracle.py): describe() captures what the differential tests claim to
compare, and compare() reports each kind of difference. Without these, a describe() that lost
a field would make every differential test pass vacuously."""
import json
import math

import numpy as np
import pytest
import torch

import oracle

SOURCE = """
def case(torch):
    x = torch.tensor([[1.0, -2.0]], requires_grad=True)
    y = (x * 3).sum()
    y.backward()
    return y, x, torch.Size([2, 3]), torch.float64, torch.device("cpu"), 7, "s", None
"""


def test_describe_is_json_and_complete():
    d = oracle.run_case(SOURCE, torch)
    assert json.loads(json.dumps(d)) == d
    y, x = d["result"]["items"][:2]
    assert y["values"] == -3.0 and y["dtype"] == "torch.float32" and y["shape"] == []
    assert y["grad_fn"] == "SumBackward0" and y["repr"] == "tensor(-3., grad_fn=<SumBackward0>)"
    assert y["graph"] == {"name": "SumBackward0", "next": [[{"name": "MulBackward0", "next": [
        [{"name": "torch::autograd::AccumulateGrad", "next": []}, 0], [None, 0]]}, 0]]}
    assert x["grad"]["values"] == [[3.0, 3.0]] and x["is_leaf"] and x["stride"] == [2, 1]
    assert "grad" not in y  # a non-leaf's .grad is not read (that would warn)
    kinds = [i["kind"] for i in d["result"]["items"][2:]]
    assert kinds == ["size", "dtype", "device", "py", "py", "py"]
    assert d["warnings"] == []


def test_errors_and_warnings_are_captured():
    d = oracle.run_case("def c(torch):\n    y = torch.tensor([1.0], requires_grad=True) * 2\n"
                        "    y.grad\n    return torch.ones(2) + torch.ones(3)\n", torch)
    assert d["result"]["kind"] == "error" and d["result"]["type"] == "RuntimeError"
    assert d["result"]["message"].startswith("The size of tensor a (2) must match")
    assert d["warnings"][0][0] == "UserWarning"
    assert d["warnings"][0][1].endswith("(Triggered internally at <path>)")


def test_run_case_restores_global_state():
    oracle.run_case("def c(torch):\n    torch.set_default_dtype(torch.float64)\n"
                    "    torch.set_grad_enabled(False)\n", torch)
    assert torch.get_default_dtype() == torch.float32 and torch.is_grad_enabled()


def _tensor_case(body):
    return oracle.run_case(f"def c(torch):\n    return {body}\n", torch)


@pytest.mark.parametrize("other, what", [
    ("torch.tensor([1.0, 2.001])", "values"),
    ("torch.tensor([1.0, 2.0], dtype=torch.float64)", "dtype"),
    ("torch.tensor([[1.0, 2.0]])", "shape"),
    ("torch.tensor([1.0, 2.0], requires_grad=True)", "requires_grad"),
    ("torch.tensor([1.0, 2.0]) * torch.tensor(1.0, requires_grad=True)", "grad_fn"),
    ("torch.tensor([1.0, 2.0]).add_(0)", "version"),
    ("torch.tensor([[1.0, 0.0], [2.0, 0.0]])[:, 0]", "stride"),
    ("torch.ones(2) + torch.ones(3)", "kind"),
])
def test_compare_reports_each_difference(other, what):
    base = _tensor_case("torch.tensor([1.0, 2.0])")
    got = _tensor_case(other)
    diffs = oracle.compare(base, got)
    assert diffs, f"{other} not told apart from the base case"
    if what in ("values", "dtype", "shape", "requires_grad", "grad_fn", "version", "stride"):
        assert any(f".{what}" in d for d in diffs), diffs
    assert oracle.compare(base, base) == []


def test_compare_reports_graph_differences():
    base = _tensor_case("torch.tensor([1.0, 2.0], requires_grad=True) * 1")
    got = _tensor_case("(torch.tensor([1.0, 2.0], requires_grad=True) + 0) * 1")
    assert base["result"]["grad_fn"] == got["result"]["grad_fn"] == "MulBackward0"
    assert any(".graph" in d for d in oracle.compare(base, got))


def test_compare_tolerances():
    e = {"kind": "tensor", "dtype": "torch.float32", "shape": [2], "values": [1.0, math.nan]}
    close = dict(e, values=[1.0 + 1e-7, math.nan])
    far = dict(e, values=[1.001, math.nan])
    assert oracle.compare(e, close) == []
    assert oracle.compare(e, far)
    ints = {"kind": "tensor", "dtype": "torch.int64", "shape": [1], "values": [3]}
    assert oracle.compare(ints, dict(ints, values=[4]))
    assert oracle.compare(e, dict(e, values=[1.0, 0.0]))  # nan vs a number


def test_compare_error_messages_exactly():
    a = {"result": {"kind": "error", "type": "RuntimeError", "message": "abc"}, "warnings": []}
    assert oracle.compare(a, a) == []
    assert oracle.compare(a, {"result": dict(a["result"], message="abd"), "warnings": []})
    assert oracle.compare(a, {"result": dict(a["result"], type="ValueError"), "warnings": []})
    assert oracle.compare(a, dict(a, warnings=[["UserWarning", "w"]]))


def test_ignore_drops_only_named_keys():
    base = _tensor_case("torch.tensor([1.0, 2.0])")
    got = _tensor_case("torch.tensor([1.0, 2.0]).add_(0)")
    assert oracle.compare(base, got, ignore=("version",)) == []
    got = _tensor_case("torch.tensor([1.0, 3.0]).add_(0)")
    assert oracle.compare(base, got, ignore=("version",))


def test_snippets_return_their_last_expression():
    reg = oracle.Registry("t")
    reg.snippet("s1", "x = torch.ones(2)\nx * 2")
    reg.snippet("s2", "x = torch.ones(2)\nx[0] = 3.0")
    assert reg.items[0]["source"].endswith("    return x * 2\n")
    assert oracle.run_case(reg.items[1]["source"], torch)["result"] == {
        "kind": "py", "type": "NoneType", "value": None}


def test_registry_ships_function_source_without_decorators():
    reg = oracle.Registry("t")

    @reg.add(web=True)
    def sample(torch):
        return torch.arange(3) * 2

    (item,) = reg.web()
    assert item["source"].startswith("def sample(torch):")
    assert oracle.run_case(item["source"], torch)["result"]["values"] == [0, 2, 4]
    assert np.asarray(sample(torch)).tolist() == [0, 2, 4]
