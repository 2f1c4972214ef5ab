"""Lesson 2 (broadcasting): the State without a browser, and its experiments on both engines."""
import pytest
import torch as real_torch
from hypothesis import given, settings, strategies as st

import playground.torch as engine
from playground.compute import shapes as experiments
from playground.lessons import broadcasting, urlstate

# -- broadcasting ------------------------------------------------------------------------------


def test_the_seed_example_broadcasts_to_5_3_4_2():
    s = broadcasting.State()
    r = s.broadcasted
    assert s.error == "" and r["error"] == ""
    assert r["output"] == "torch.Size([5, 3, 4, 2])" and r["shape"] == [5, 3, 4, 2]
    roles = [(c["a_role"], c["b_role"]) for c in r["columns"]]
    assert roles == [("same", "missing"), ("expand", "same"), ("same", "expand"),
                     ("expand", "same")]
    assert r["code"].splitlines()[:2] == ["a = torch.arange(1, 21).reshape(5, 1, 4, 1)",
                                          "b = 10 * torch.arange(1, 7).reshape(3, 1, 2)"]
    assert r["views"] == []  # 4-d: values are not drawn


def test_a_column_plus_a_row_shows_the_values():
    r = broadcasting.State(a=(4, 1), b=(1, 5)).broadcasted
    assert r["output"] == "torch.Size([4, 5])"
    names = [v["name"] for v in r["views"]]
    assert names == ["a", "b", "a + b"]
    assert r["views"][2]["values"][3] == [14, 24, 34, 44, 54]


def test_a_clash_shows_torchs_exact_error_and_marks_the_dim():
    s = broadcasting.State(a=(2, 3), b=(3, 2))
    r = s.broadcasted
    assert r["error"] == ("RuntimeError: The size of tensor a (3) must match the size of "
                          "tensor b (2) at non-singleton dimension 1")
    assert r["reported_dim"] == 1 and r["shape"] is None and s.error == ""
    assert [c["out"] for c in r["columns"]] == [None, None]
    assert "in dim 1" in broadcasting.broadcast_verdict(r)


def test_a_huge_result_is_described_not_computed():
    r = broadcasting.State(a=(4096,), b=(4096, 1)).broadcasted
    assert r["shape"] == [4096, 4096] and r["output"] == ""
    assert "16,777,216 elements" in r["note"]


def test_alignment_cells_mark_stretched_missing_and_clashing_dims():
    cells = broadcasting.alignment_cells(experiments.alignment((5, 1, 4, 1), (3, 1, 2)), None)
    assert cells["text"][:3] == ["5", "(1) → 5", "5"]  # dim 0: a, b, a + b
    assert cells["text"][3:6] == ["1 → 3", "3", "3"]
    clash = broadcasting.alignment_cells(experiments.alignment((2, 3), (3,)), None)
    assert clash["text"] == ["2", "(1) → 2", "2", "3", "3", "3"]
    flagged = broadcasting.alignment_cells(experiments.alignment((2,), (3,)), 0)
    assert flagged["text"] == ["2", "3", "✗"] and set(flagged["line_width"]) == {3}


PAIRS = [((5, 1, 4, 1), (3, 1, 2)), ((4, 1), (1, 5)), ((2, 3), (3, 2)), ((2, 3, 4), (5, 3, 1)),
         ((), (3,)), ((0, 3), (1, 3)), ((0, 3), (2, 3)), ((3,), (4,)), ((2, 1), (8, 4, 3)),
         ((1,), ()), ((6, 1, 1), (1, 7, 1))]


@pytest.mark.parametrize("a, b", PAIRS)
def test_broadcast_is_the_same_on_engine_and_torch(a, b):
    spec = {"a": list(a), "b": list(b)}
    assert experiments.broadcast(spec, engine) == experiments.broadcast(spec, real_torch)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 3), max_size=4), st.lists(st.integers(0, 3), max_size=4))
def test_the_drawn_rule_agrees_with_torch(a, b):
    predicted = [c["out"] for c in experiments.alignment(a, b)]
    try:
        shape = list((real_torch.zeros(a) + real_torch.zeros(b)).shape)
    except RuntimeError:
        assert None in predicted
    else:
        assert predicted == shape


def test_bad_shapes_from_a_link_are_explained_not_applied():
    s = broadcasting.State()
    problems = urlstate.apply_query(s, {"a": "[1,2,3,4,5,6,7]", "b": "[-1]", "shape": "[7,7]",
                                        "op": "squash"})
    assert len(problems) == 4
    assert "7 dims is too many: at most 6 here" in problems[0]
    assert "-1 is negative" in problems[1]
    assert "49 elements, more than the 48 allowed" in problems[2]
    assert "it must be one of view, reshape" in problems[3]
    assert (s.a, s.b, s.shape, s.op) == ((5, 1, 4, 1), (3, 1, 2), (3, 4), "view")


# -- views -------------------------------------------------------------------------------------


def test_view_of_a_contiguous_tensor_shares_memory_and_reads_it_in_order():
    s = broadcasting.State(part="views")
    r = s.viewed
    assert r["code"] == "x = torch.arange(12).reshape(3, 4)\ny = x.view(2, -1)\nprint(y)"
    assert r["output"] == ("tensor([[ 0,  1,  2,  3,  4,  5],\n"
                           "        [ 6,  7,  8,  9, 10, 11]])")
    assert r["shares"] is True and r["positions"] == list(range(12))
    assert dict(r["y_facts"])["is_contiguous()"] == "True"
    assert "in order" in broadcasting.memory_note(r)


def test_view_after_a_transpose_fails_with_torchs_words_and_reshape_copies():
    s = broadcasting.State(part="views", transpose_first=True)
    assert s.viewed["error"] == (
        "RuntimeError: view size is not compatible with input tensor's size and stride (at "
        "least one dimension spans across two contiguous subspaces). Use .reshape(...) "
        "instead.")
    assert s.error == ""
    s.op = "reshape"
    assert s.args == "2, -1"
    r = s.viewed
    assert r["error"] == "" and r["shares"] is False and r["positions"] is None
    assert "is a copy" in broadcasting.memory_note(r)


def test_an_impossible_shape_gets_torchs_error():
    s = broadcasting.State(part="views", shape=(2, 3), args="4, -1")
    assert s.viewed["error"] == "RuntimeError: shape '[4, -1]' is invalid for input of size 6"
    s.args = "-1, -1"
    assert s.viewed["error"] == "RuntimeError: only one dimension can be inferred"


def test_transpose_narrow_and_permute_are_views_with_strides():
    s = broadcasting.State(part="views", op="transpose")
    assert s.args == "0, 1"
    r = s.viewed
    assert dict(r["y_facts"])["stride()"] == "(1, 4)"
    assert dict(r["y_facts"])["is_contiguous()"] == "False"
    assert r["positions"] == [0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11]
    s.op = "narrow"
    assert s.args == "1, 1, 2"
    r = s.viewed
    assert r["positions"] == [1, 2, 5, 6, 9, 10] and dict(r["y_facts"])["storage_offset()"] == "1"
    s.param.update(shape=(2, 3, 4))
    s.op = "permute"
    assert s.args == "2, 1, 0" and s.viewed["y"]["shape"] == [4, 3, 2]


def test_contiguous_copies_only_when_it_must():
    s = broadcasting.State(part="views", op="contiguous")
    assert s.viewed["shares"] is True
    s.transpose_first = True
    assert s.viewed["shares"] is False and s.viewed["y"]["strides"] == [3, 1]


def test_bad_arguments_are_explained_inline():
    s = broadcasting.State(part="views")
    s.args = "2, x"
    assert s.error == "'x' is not a whole number: write the arguments like 2, -1"
    s.op = "narrow"
    s.args = "1, 1"
    assert s.error == "narrow takes 3 numbers, dim, start, length: e.g. 1, 1, 2 (got 2)"
    s.args = "1, 1, 2"
    assert s.error == ""


def test_each_part_shows_its_own_input_problem():
    s = broadcasting.State(part="views")
    s.args = "?"
    assert s.error
    s.part = "broadcast"
    assert s.error == ""


def test_url_round_trip_keeps_the_links_arguments():
    s = broadcasting.State(part="views", a=(2, 1), b=(7,), shape=(2, 3, 4),
                           transpose_first=True, op="narrow")
    s.args = "0, 1, 1"
    query = urlstate.parse_query(urlstate.query_for(s))
    assert query["lesson"] == "broadcasting" and query["args"] == "0, 1, 1"
    t = broadcasting.State()
    assert urlstate.apply_query(t, query) == []
    assert t.url_state() == s.url_state()
    assert t.viewed == s.viewed and t.broadcasted == s.broadcasted


VIEW_CASES = [((3, 4), False, "view", [2, -1]), ((3, 4), True, "view", [2, -1]),
              ((3, 4), True, "reshape", [2, -1]), ((2, 3), False, "view", [4, -1]),
              ((3, 4), False, "view", [-1, -1]), ((3, 4), False, "transpose", [0, 2]),
              ((2, 3, 4), False, "permute", [2, 0, 1]), ((2, 3, 4), False, "permute", [0, 1]),
              ((3, 4), False, "narrow", [1, 1, 2]), ((3, 4), False, "narrow", [1, 3, 2]),
              ((3, 4), False, "narrow", [0, -1, 1]), ((3, 4), True, "contiguous", []),
              ((12,), True, "view", [3, 4]), ((2, 3, 4), True, "view", [3, 2, 4]),
              ((2, 3, 4), True, "view", [3, 8]), ((3, 4), False, "view", [-3, 4]),
              ((0, 3), False, "view", [-1]), ((), False, "view", [1, 1]),
              ((3, 4), False, "narrow", [1, 0, -1]), ((0, 3), False, "view", [0, -1])]


@pytest.mark.parametrize("shape, transpose_first, op, args", VIEW_CASES)
def test_view_ops_are_the_same_on_engine_and_torch(shape, transpose_first, op, args):
    spec = {"shape": list(shape), "transpose_first": transpose_first, "op": op, "args": args}
    assert experiments.view_op(spec, engine) == experiments.view_op(spec, real_torch)


def test_memory_strip_numbers_the_reads_and_draws_the_jumps():
    cells, jumps = broadcasting.memory_strip(4, [0, 2, 1, 3])
    assert cells["order"] == ["0", "2", "1", "3"]
    assert cells["color"][0] != "#f0f0f0"
    assert jumps["x0"] == [0, 2, 1] and jumps["x1"] == [2, 1, 3]
    assert jumps["color"] == ["#e6550d", "#756bb1", "#e6550d"]
    cells, jumps = broadcasting.memory_strip(3, None)  # a copy reads none of x's cells
    assert set(cells["color"]) == {"#f0f0f0"} and jumps["x0"] == []


def test_view_builds_and_follows_the_state():
    s = broadcasting.State()
    view = broadcasting.View(state=s)
    view.__panel__()
    assert view.cells_src.name == "broadcast-cells"
    assert len(view.cells_src.data["x"]) == 12  # 4 dims x (a, b, a + b)
    s.param.update(a=(2, 3), b=(3, 2))
    assert "✗" in view.cells_src.data["text"] and 3 in view.cells_src.data["line_width"]
    assert "must match the size of tensor b" in view.broadcast_cell.object
    s.part = "views"
    assert view.parts["views"].visible and not view.parts["broadcast"].visible
    s.op = "transpose"
    assert view.memory_src.data["order"][4] == "1"
    assert view.y_view.source.name == "views-y"
