"""Layered left-to-right layout of a small directed graph. Pure functions, no Panel.

    positions = layered_layout(["x", "w", "mul", "y"], [("x", "mul"), ("w", "mul"), ("mul", "y")])
    positions["mul"]  # (1.0, 0.0): layer 1, centred

* layers by longest path: a node sits one layer right of its furthest predecessor, so
  every edge points right; then nodes move right to sit just left of their first
  consumer, so side inputs (a bias and its AccumulateGrad) join where they are used;
* inside a layer, nodes are ordered by the mean position of their neighbours
  (barycentre heuristic, a few sweeps each way) to keep edges from crossing;
* ties are broken by the order nodes were given in, so the result is deterministic;
* cycles (not expected from an autograd graph) are tolerated: an edge that closes a cycle
  is ignored for layering, and the node is placed right of its already placed predecessors.

Coordinates: x = layer * dx; y = slot, centred on 0 in each layer, top slot highest.
"""
from __future__ import annotations

from collections import defaultdict


def clean_edges(node_ids: list, edges: list) -> tuple[list[tuple], int]:
    """Edges between known nodes, without self-loops and duplicates; and how many dropped."""
    known = set(node_ids)
    seen, kept = set(), []
    for edge in edges:
        src, dst = edge[0], edge[1]
        if src not in known or dst not in known or src == dst or (src, dst) in seen:
            continue
        seen.add((src, dst))
        kept.append((src, dst))
    return kept, len(edges) - len(kept)


def assign_layers(node_ids: list, edges: list[tuple]) -> dict:
    """Longest-path layer of each node (Kahn's order; cycle edges ignored)."""
    order = {n: i for i, n in enumerate(node_ids)}
    preds, succs = defaultdict(list), defaultdict(list)
    indegree = {n: 0 for n in node_ids}
    for src, dst in edges:
        preds[dst].append(src)
        succs[src].append(dst)
        indegree[dst] += 1
    layer: dict = {}
    ready = [n for n in node_ids if indegree[n] == 0]
    remaining = set(node_ids)
    while remaining:
        if not ready:  # a cycle: take the earliest-given node left and break it there
            ready = [min(remaining, key=order.__getitem__)]
        ready.sort(key=order.__getitem__)
        node = ready.pop(0)
        if node not in remaining:
            continue
        remaining.discard(node)
        placed = [layer[p] for p in preds[node] if p in layer]
        layer[node] = max(placed) + 1 if placed else 0
        for nxt in succs[node]:
            indegree[nxt] -= 1
            if indegree[nxt] == 0 and nxt in remaining:
                ready.append(nxt)
    # Then every node that feeds something moves right, next to its first consumer (in
    # reverse topological order, so whole chains move): a parameter used by the last op,
    # with its AccumulateGrad, sits beside that op instead of far left with a long edge.
    for node in sorted(layer, key=layer.__getitem__, reverse=True):
        later = [layer[s] for s in succs[node] if layer[s] > layer[node]]
        if later and len(later) == len(succs[node]):
            layer[node] = min(later) - 1
    return layer


def order_layers(node_ids: list, edges: list[tuple], layer: dict, sweeps: int = 4) -> list[list]:
    """Nodes of each layer, top to bottom, ordered to reduce crossings."""
    order = {n: i for i, n in enumerate(node_ids)}
    n_layers = max(layer.values(), default=-1) + 1
    layers = [[] for _ in range(n_layers)]
    for n in node_ids:
        layers[layer[n]].append(n)
    preds, succs = defaultdict(list), defaultdict(list)
    for src, dst in edges:
        preds[dst].append(src)
        succs[src].append(dst)

    def reorder(nodes, neighbours, slot):
        def key(n):
            near = [slot[m] for m in neighbours[n] if m in slot]
            centre = sum(near) / len(near) if near else slot.get(n, order[n])
            return (centre, order[n])
        return sorted(nodes, key=key)

    for sweep in range(sweeps):
        forward = sweep % 2 == 0
        indices = range(1, n_layers) if forward else range(n_layers - 2, -1, -1)
        for i in indices:
            near_layer = layers[i - 1] if forward else layers[i + 1]
            # slots of the neighbouring layer, centred so layers of different sizes compare
            slot = {n: k - (len(near_layer) - 1) / 2 for k, n in enumerate(near_layer)}
            own = {n: k - (len(layers[i]) - 1) / 2 for k, n in enumerate(layers[i])}
            slot.update({n: v for n, v in own.items() if n not in slot})
            layers[i] = reorder(layers[i], preds if forward else succs, slot)
    return layers


def layered_layout(node_ids: list, edges: list, dx: float = 1.0,
                   dy: float = 1.0) -> dict:
    """{node id: (x, y)} for a left-to-right drawing."""
    node_ids = list(dict.fromkeys(node_ids))  # unique, first occurrence wins
    kept, _ = clean_edges(node_ids, edges)
    layer = assign_layers(node_ids, kept)
    positions = {}
    for i, nodes in enumerate(order_layers(node_ids, kept, layer)):
        for k, n in enumerate(nodes):
            positions[n] = (i * dx, ((len(nodes) - 1) / 2 - k) * dy)
    return positions
