"""Tuples, intervals, sets, lists, unions and matrices: compared in full, item by item.

`seq_equal(p, g, same, options)` compares an answer with a sequence gold, `matrix_equal` with a
matrix gold; `same(a, b)` is the comparison of two items (`s2s1.verifiers.math_compare.equal`).
Rules: sets, unordered lists and unions match one to one in any order, a set's repeated
members counted once (`\\{1, 1, 2\\}` is `\\{1, 2\\}`; a list `1, 1, 2` keeps its count, as roots
with multiplicity do); tuples and intervals in order with the same brackets; a row or column
matrix equals the tuple of its cells (and a vector gold a list or `[a, b]` of them, in order); a
one-variable inequality equals its interval or union (`s2s1.verifiers.math_interval`:
`|x - 1| < 2` is `(-1, 3)`), and a list of them (`x < 3 or x > 5`) the union; a bare list or a
brace set against a tuple gold per `MathOptions.tuple_vs_list`. A partial answer is never correct.

It does not parse (see `s2s1.verifiers.math_parse`) or decide what an item's equality is.

Example:
    >>> from s2s1.verifiers.math_compare import answers_match
    >>> answers_match(pred="x < 3 \\\\text{ or } x > 5", gold="(-\\\\infty, 3) \\\\cup (5, \\\\infty)")
    (True, 'union')
    >>> answers_match(pred="3, 4", gold="(3, 4)"), answers_match(pred="4, 3", gold="(3, 4)")
    ((True, 'tuple'), (False, 'tuple'))
"""

from __future__ import annotations

from collections.abc import Callable

from s2s1.verifiers.math_interval import as_interval
from s2s1.verifiers.math_options import MathOptions
from s2s1.verifiers.math_parse import Matrix, Rel, Seq, Value

__all__ = ["matrix_equal", "seq_equal"]

Same = Callable[[Value, Value], bool]
_UNORDERED = ("set", "list", "union")


def seq_equal(p: Value, g: Seq, same: Same, options: MathOptions) -> bool:
    """Whether the answer equals the sequence gold in full (see the module docstring)."""
    if isinstance(p, Matrix) and g.kind == "tuple":  # a column or row vector against a tuple
        cells = [c for row in p.rows for c in row]
        p = Seq("tuple", tuple(cells), g.brackets) if 1 in (len(p.rows), len(p.rows[0])) else p
    if isinstance(p, Rel) and g.kind in ("interval", "tuple", "union"):  # `x < 3`, `|x - 1| > 2`
        p = as_interval(p) or p
    if isinstance(p, Seq) and g.kind == "union" and p.kind == "list":  # `x < 3 or x > 5`
        intervals = [as_interval(i) if isinstance(i, Rel) else None for i in p.items]
        if all(intervals):
            p = Seq("union", tuple(i for i in intervals if i is not None))
    if not isinstance(p, Seq):
        return False
    if len(p.items) != len(g.items) and g.kind in _UNORDERED and p.kind in _UNORDERED:
        p, g = _distinct(p, same), _distinct(g, same)  # `\\{1, 1, 2\\}` is the set `\\{1, 2\\}`
    if len(p.items) != len(g.items):
        return False
    if g.kind in _UNORDERED and p.kind in _UNORDERED:
        return _matching(list(p.items), list(g.items), same)
    if g.kind == "tuple" and p.kind in ("list", "set") and options.tuple_vs_list == "in order":
        return all(same(a, b) for a, b in zip(p.items, g.items, strict=True))
    if g.kind in ("list", "set") and p.kind == "tuple" and options.tuple_vs_list == "in order":
        return _matching(list(p.items), list(g.items), same)  # the roots `-2, 1` written `(-2, 1)`
    if p.kind != g.kind or p.brackets != g.brackets:
        return False
    return all(same(a, b) for a, b in zip(p.items, g.items, strict=True))


def _distinct(s: Seq, same: Same) -> Seq:
    """A set without its repeated members; a list or a union stays as written (it may count them)."""
    if s.kind != "set":
        return s
    kept: list[Value] = []
    for item in s.items:
        if not any(same(item, k) for k in kept):
            kept.append(item)
    return Seq("set", tuple(kept), s.brackets)


def _matching(ps: list[Value], gs: list[Value], same: Same) -> bool:
    """Whether the answers can be paired one to one with equal golds (backtracking; lists are short)."""
    if not gs:
        return True
    for i, p in enumerate(ps):
        if same(p, gs[0]) and _matching(ps[:i] + ps[i + 1 :], gs[1:], same):
            return True
    return False


def matrix_equal(p: Value, g: Matrix, same: Same) -> bool:
    """Whether the answer is the same matrix (a tuple, list or `[a, b]` counts as a row or column
    vector, in order)."""
    vector = 1 in (len(g.rows), len(g.rows[0]))
    if isinstance(p, Seq) and vector and (p.kind in ("tuple", "list") or p.brackets == "[]"):  # `[1, 2]`
        p = Matrix(tuple((c,) for c in p.items)) if len(g.rows[0]) == 1 else Matrix((p.items,))
    if not isinstance(p, Matrix) or [len(r) for r in p.rows] != [len(r) for r in g.rows]:
        return False
    return all(same(a, b) for pr, gr in zip(p.rows, g.rows, strict=True) for a, b in zip(pr, gr, strict=True))
