"""Lesson 3 (autograd): the State without a browser, its session and graph on both engines."""
import pytest
import torch as real_torch

import playground.torch as engine
from playground.compute.autograd_steps import EXPRESSIONS, AutogradSession
from playground.compute.graph import describe_graph, node_name, saved_tensors_freed
from playground.lessons import autograd, urlstate

SECOND_TIME = ("RuntimeError: Trying to backward through the graph a second time (or directly "
               "access saved tensors after they have already been freed). Saved intermediate "
               "values of the graph are freed when you call .backward() or autograd.grad(). "
               "Specify retain_graph=True if you need to backward through the graph a second "
               "time or if you need to access saved tensors after calling backward.")
GRAD_12 = "tensor([[12., 12.],\n        [12., 12.],\n        [12., 12.]])\n"


def labels(graph, **flags):
    return [n["label"] for n in graph["nodes"]
            if all(n.get(k) == v for k, v in flags.items())]


def test_defaults_print_what_the_seed_prints():
    s = autograd.State()
    assert [st["code"] for st in s.steps] == [
        "x = torch.ones(3, 2, requires_grad=True)",
        "y = x + 5\nz = y * y + 1\nt = torch.sum(z)\nprint(t)"]
    assert s.steps[-1]["output"] == "tensor(222., grad_fn=<SumBackward0>)\n"
    s.backward()
    assert s.steps[-1]["code"] == "t.backward()\nprint(x.grad)"
    assert s.steps[-1]["output"] == GRAD_12  # the seed's x.grad
    assert s.error == ""


def test_graph_has_torchs_node_names_leaves_and_edges():
    s = autograd.State()
    g = s.graph
    assert labels(g, kind="function") == ["AddBackward0", "AddBackward0", "SumBackward0",
                                          "MulBackward0"]
    assert labels(g, kind="accumulate") == ["AccumulateGrad"]
    assert labels(g, kind="tensor", leaf=True) == ["x"]
    assert labels(g, kind="tensor", leaf=False) == ["y", "z", "t"]
    ids = {n["id"]: n["label"] for n in g["nodes"]}
    edges = {(ids[a], ids[b]) for a, b in g["edges"]}
    assert ("x", "AccumulateGrad") in edges and ("AccumulateGrad", "AddBackward0") in edges
    assert ("AddBackward0", "MulBackward0") in edges and ("SumBackward0", "t") in edges
    assert ("AddBackward0", "y") in edges  # y hangs off the grad_fn that made it
    assert labels(g, freed=True) == []


def test_backward_fills_grads_frees_saved_tensors_then_refuses_a_second_time():
    s = autograd.State()
    s.backward()
    x = next(n for n in s.graph["nodes"] if n["id"] == "x")
    assert x["grad"] == GRAD_12.strip()
    assert labels(s.graph, freed=True) == ["MulBackward0"]  # it saved y and y
    assert "freed what MulBackward0 saved" in s.note
    s.backward_again()
    assert s.error == SECOND_TIME  # torch's own words, shown inline
    assert s.steps[-1]["error"] == SECOND_TIME and s.steps[-1]["output"] == ""
    assert "Forward" in s.note and "retain_graph" in s.note
    s.forward()  # a new graph: backward works again and adds to the old gradient
    assert s.error == "" and labels(s.graph, freed=True) == []
    s.backward()
    assert "24." in s.steps[-1]["output"] and "added" in s.note


def test_retain_graph_keeps_the_graph_and_gradients_accumulate():
    s = autograd.State(retain_graph=True)
    s.backward()
    assert s.steps[-1]["code"].startswith("t.backward(retain_graph=True)")
    assert labels(s.graph, freed=True) == [] and "kept the saved tensors" in s.note
    s.backward()
    s.backward_again()  # the seed's `l_t.backward(retain_graph=True); l_t.backward()`
    assert s.steps[-1]["code"].startswith("t.backward()\n")
    assert "36., 36." in s.steps[-1]["output"]
    assert labels(s.graph, freed=True) == ["MulBackward0"]
    s.backward_again()
    assert s.error == SECOND_TIME


def test_zero_grads_both_ways_and_zero_on_none_is_pythons_error():
    s = autograd.State()
    s.backward()
    s.zero_with = "zero_"
    s.zero_grads()
    assert s.steps[-1]["code"] == "x.grad.zero_()\nprint(x.grad)"
    assert s.steps[-1]["output"].startswith("tensor([[0., 0.],")
    s.zero_with = "none"
    s.zero_grads()
    assert s.steps[-1]["output"] == "None\n" and "None again" in s.note
    s.zero_with = "zero_"
    s.zero_grads()
    assert s.error == "AttributeError: 'NoneType' object has no attribute 'zero_'"
    assert "no tensor to `zero_()`" in s.note


def test_cost_expression_matches_the_seeds_formula():
    s = autograd.State(expression="cost", seed=3)
    assert "manual_seed(3)" in s.steps[0]["code"]
    s.backward()
    ns = s._session.namespace
    a = ns["W"].detach() @ ns["x"] + ns["b"].detach()
    assert ns["W"].grad.flatten().tolist() == pytest.approx(
        (2 * a * ns["x"].T).flatten().tolist(), rel=1e-12)
    assert ns["b"].grad.flatten().tolist() == pytest.approx((2 * a).flatten().tolist(),
                                                             rel=1e-12)
    assert labels(s.graph, kind="tensor", requires_grad=False) == ["x"]
    assert sorted(labels(s.graph, freed=True)) == ["MmBackward0", "MmBackward0"]
    assert "PermuteBackward0" in labels(s.graph)  # a.T


def test_l_expression_matches_the_seed():
    s = autograd.State(expression="l")
    assert s.steps[1]["output"].startswith("tensor(")
    assert "grad_fn=<SumBackward0>" in s.steps[1]["output"]
    s.backward()
    ns = s._session.namespace
    y, ystar = ns["y"].item(), ns["ystar"].item()
    assert ns["w"].grad.item() == pytest.approx(2 * (y - ystar) * y * 0.5, rel=1e-12)
    assert ns["b"].grad.item() == pytest.approx(2 * (y - ystar) * y, rel=1e-12)
    assert sorted(labels(s.graph, freed=True)) == ["ExpBackward0", "MulBackward0",
                                                   "PowBackward0"]


def test_changing_expression_or_seed_starts_over():
    s = autograd.State(expression="cost")
    s.backward()
    before = s.steps[1]["output"]
    s.seed = 1
    assert len(s.steps) == 2 and s.steps[1]["output"] != before
    s.expression = "z"
    assert s.steps[1]["output"] == "tensor(222., grad_fn=<SumBackward0>)\n"


def test_the_transcript_keeps_the_latest_steps():
    s = autograd.State(retain_graph=True)
    for _ in range(autograd.SHOWN_STEPS + 5):
        s.backward()
    assert len(s.steps) == autograd.SHOWN_STEPS
    assert s.steps[-1]["code"].startswith("t.backward(retain_graph=True)")
    assert s.steps[-1]["number"] == autograd.SHOWN_STEPS + 7  # setup, forward, 35 backwards


def test_bad_values_from_a_link_are_explained_not_applied():
    s = autograd.State()
    problems = urlstate.apply_query(s, {"expression": "w", "seed": "-1",
                                        "retain_graph": "maybe", "zero_with": "del"})
    assert len(problems) == 4
    assert "expression='w' was ignored" in problems[0] and "z, cost, l" in problems[0]
    assert "seed='-1'" in problems[1] and "between 0 and" in problems[1]
    assert "true or false" in problems[2]
    assert "none, zero_" in problems[3]
    assert (s.expression, s.seed, s.retain_graph, s.zero_with) == ("z", 0, False, "none")


def test_url_round_trip():
    s = autograd.State(expression="l", seed=42, retain_graph=True, zero_with="zero_")
    query = urlstate.parse_query(urlstate.query_for(s))
    assert query["lesson"] == "autograd"
    t = autograd.State()
    assert urlstate.apply_query(t, query) == []
    assert t.url_state() == s.url_state()


def test_view_builds_and_follows_the_state():
    s = autograd.State()
    view = autograd.View(state=s)
    view.__panel__()
    source = view.graph_view.label_source
    assert source.name == "autograd-graph"
    assert "x" in source.data["label"] and view.graph_view.orientation == "vertical"
    s.backward()
    subs = dict(zip(source.data["label"], source.data["sub"]))
    assert subs["x"].startswith("grad tensor([[12., 12.]") and subs["MulBackward0"] == "freed"
    assert "t.backward()" in view.transcript.object
    s.retain_graph = True
    assert "t.backward(retain_graph=True)" in view.hint.object
    s.backward_again()
    assert "pg-step-error" in view.transcript.object


# -- the session and the graph description, on our engine and on real torch ----------------

def same_session(expression, torch):
    """A session whose random leaves hold the numbers our engine drew for seed 0."""
    ours = AutogradSession(expression, 0, engine)
    session = AutogradSession(expression, 0, torch)
    for name, t in ours.tensors().items():
        if t.is_leaf:
            session.namespace[name] = torch.tensor(t.tolist(), dtype=getattr(
                torch, str(t.dtype).split(".")[1]), requires_grad=t.requires_grad)
    session.forward()
    return session


def run_steps(session):
    """Forward, backward with and without retain_graph, a refused third, zeroing: graphs
    and printed steps along the way."""
    seen = [session.graph()]
    for act in (lambda: session.backward(retain_graph=True), session.backward,
                session.backward, lambda: session.zero_grads("zero_"), session.forward,
                session.backward, lambda: session.zero_grads("none")):
        step = act()
        seen.append(session.graph())
        seen.append({k: step[k] for k in ("code", "output", "error")})
    return seen


@pytest.mark.parametrize("expression", list(EXPRESSIONS))
def test_same_graphs_and_printouts_on_engine_and_torch(expression):
    ours = run_steps(same_session(expression, engine))
    theirs = run_steps(same_session(expression, real_torch))
    assert len(ours) == len(theirs)
    for a, b in zip(ours, theirs):
        assert a == b
    assert any(step.get("error", "").startswith("RuntimeError: Trying to backward")
               for step in theirs)


def test_describe_graph_on_torch_detects_freed_saved_tensors():
    x = real_torch.ones(2, requires_grad=True)
    y = (x * x).exp().sum()
    mul = y.grad_fn.next_functions[0][0].next_functions[0][0]
    assert node_name(mul) == "MulBackward0" and not saved_tensors_freed(mul)
    y.backward()
    assert saved_tensors_freed(mul) and not saved_tensors_freed(y.grad_fn)  # sum saves sizes
    acc = mul.next_functions[0][0]
    assert node_name(acc) == "AccumulateGrad" and not saved_tensors_freed(acc)


@pytest.mark.parametrize("torch", [engine, real_torch], ids=["engine", "torch"])
def test_describe_graph_shows_unnamed_leaves_and_skips_non_tensors(torch):
    w = torch.tensor([2.0], requires_grad=True)
    out = (w * 3).sum()
    graph = describe_graph({"out": out, "note": "not a tensor", "k": 3}, torch)
    assert labels(graph, kind="tensor") == ["out", "(unnamed leaf)"]
    leaf = next(n for n in graph["nodes"] if n["label"] == "(unnamed leaf)")
    assert leaf["leaf"] and leaf["requires_grad"] and leaf["value"].startswith("tensor([2.]")
    assert len(graph["edges"]) == len(set(graph["edges"])) == 4


@pytest.mark.parametrize("torch", [engine, real_torch], ids=["engine", "torch"])
def test_describe_graph_of_tensors_without_grad(torch):
    a = torch.ones(2)
    graph = describe_graph({"a": a}, torch)
    assert graph == {"nodes": [{"id": "a", "label": "a", "kind": "tensor", "leaf": True,
                                "requires_grad": False, "shape": [2],
                                "value": "tensor([1., 1.])", "grad": None}], "edges": []}


def test_session_rejects_unknown_names():
    with pytest.raises(ValueError, match="unknown expression 'q': choose one of z, cost, l"):
        AutogradSession("q", 0, engine)
    with pytest.raises(ValueError, match="unknown way to zero the grads"):
        AutogradSession("z", 0, engine).zero_grads("sometimes")
