"""Self-consistency for maths: the most common final answer among samples, and how many agree.

`majority_answer(texts)` extracts each text's final answer (as the math verifier does: `\\boxed{}`,
"the final answer is", `####`), groups answers that the math verifier counts as equal (`1/2`,
`0.5` and `\\frac{1}{2}` are one answer), and returns the largest group's first answer with the
share of *all* texts that gave it — texts without an answer count against agreement. Ties go to
the group seen first.

It does not decide whether the answer is right: a confident majority can be wrong, which is why
the generate stage keeps the agreement as a confidence and labels only above a threshold.

Example:
    >>> majority_answer(["so $\\\\boxed{0.5}$", "$\\\\boxed{1/2}$", "$\\\\boxed{3}$", "no idea"])
    ('0.5', 0.5)
    >>> majority_answer(["no idea"])
    (None, 0.0)
"""

from __future__ import annotations

from collections.abc import Sequence

from s2s1.verifiers.math_compare import answers_match
from s2s1.verifiers.math_extract import extract_answer

__all__ = ["majority_answer"]


def majority_answer(texts: Sequence[str]) -> tuple[str | None, float]:
    """(most common answer or None, share of texts that gave it)."""
    groups: list[list[str]] = []
    for text in texts:
        found = extract_answer(text)
        if found is None:
            continue
        answer = found[0]
        for group in groups:
            if _same(answer, group[0]):
                group.append(answer)
                break
        else:
            groups.append([answer])
    if not groups:
        return None, 0.0
    best = max(groups, key=len)  # max keeps the first of equal lengths
    return best[0], len(best) / len(texts)


def _same(a: str, b: str) -> bool:
    """Equal either way round (the comparison reads its gold side more strictly)."""
    try:
        return answers_match(pred=a, gold=b)[0] or answers_match(pred=b, gold=a)[0]
    except Exception:  # an unparseable answer equals only its own text
        return a.strip() == b.strip()
