"""Slow, obviously-correct forward-Euler interpreter of small NIR graphs (NumPy, one step at a time).

Supports Input, Output, Affine, Linear, Scale, LIF, CubaLIF, LI, IF, I, Threshold and
recurrent edges: a node reads the current-step value of predecessors already evaluated
this step and the previous-step value of the others (a one-step delay on back edges).
"""

import numpy as np


def _order(graph):
    start = [n for n, v in graph.nodes.items() if type(v).__name__ == "Input"][0]
    order, frontier = [start], [start]
    while frontier:
        nxt = []
        for n in frontier:
            for src, dst in graph.edges:
                if src == n and dst not in order:
                    order.append(dst)
                    nxt.append(dst)
        frontier = nxt
    return order


def run(graph, x, dt):
    """Output of ``graph`` on one sample ``x`` of shape (n_steps, n_in); returns (n_steps, n_out)."""
    order = _order(graph)
    nodes = graph.nodes
    prev = {n: 0.0 for n in order}
    state = {n: {} for n in order}
    outputs = []
    for t in range(x.shape[0]):
        cur = {}
        for name in order:
            node = nodes[name]
            kind = type(node).__name__
            if kind == "Input":
                cur[name] = x[t].astype(np.float64)
                continue
            inp = 0.0
            for src, dst in graph.edges:
                if dst == name:
                    inp = inp + (cur[src] if src in cur else prev[src])
            st = state[name]
            if kind == "Output":
                out = inp
            elif kind == "Affine":
                out = node.weight @ inp + node.bias
            elif kind == "Linear":
                out = node.weight @ inp
            elif kind == "Scale":
                out = node.scale * inp
            elif kind == "Threshold":
                out = (inp > node.threshold).astype(np.float64)
            elif kind in ("LIF", "LI"):
                v = st.get("v", 0.0)
                v = v + dt / node.tau * (node.v_leak - v + node.r * inp)
                out = v
                if kind == "LIF":
                    out = (v > node.v_threshold).astype(np.float64)
                    v = np.where(out > 0, node.v_reset, v)
                st["v"] = v
            elif kind == "CubaLIF":
                i_syn = st.get("i", 0.0)
                i_syn = i_syn + dt / node.tau_syn * (-i_syn + node.w_in * inp)
                v = st.get("v", 0.0)
                v = v + dt / node.tau_mem * (node.v_leak - v + node.r * i_syn)
                out = (v > node.v_threshold).astype(np.float64)
                st["v"] = np.where(out > 0, node.v_reset, v)
                st["i"] = i_syn
            elif kind in ("IF", "I"):
                v = st.get("v", 0.0) + dt * node.r * inp
                out = v
                if kind == "IF":
                    out = (v > node.v_threshold).astype(np.float64)
                    v = np.where(out > 0, node.v_reset, v)
                st["v"] = v
            else:
                raise NotImplementedError(kind)
            cur[name] = out
        prev = cur
        outputs.append(np.asarray(cur[order[-1]] if type(nodes[order[-1]]).__name__ == "Output"
                                  else [cur[n] for n in order if type(nodes[n]).__name__ == "Output"][0]))
    return np.stack(outputs)
