"""The issue-18 corpus: cases none of the verifier's own tests were written from, in two fixed halves.

Hand-written pairs (`corpus/tune.jsonl`, `corpus/test.jsonl`): (kind, gold, output, expected,
source), transcribed or adapted from other graders' test suites and issue trackers
(huggingface/Math-Verify's tests and issues, Qwen2.5-Math's grader tests, PRM800K's grader,
lm-eval's minerva_math reports) and written for the kinds of misses issue 18 names. They were
split before the verifier was changed, by the first byte of sha1(gold NUL output) (even: tune),
and the files are the split: a new case goes into the half its hash names.

Derived cases, rebuilt from shipped data on every run (the half is named by sha1 of the row id):
- GSM8K held-out (`data/gsm8k_heldout.jsonl`, the 519 rows of the GSM8K test slice that
  neither `data/gsm8k.jsonl` nor the package data use): each reference solution ends in one of
  six answer styles (`#### 1234`, "The answer is 1,234.", `\\boxed{1,234}`, `Final Answer: $1,234`,
  "**Answer:** 1234", "La réponse finale est 1234."), against its own gold (must be correct) and
  the next row's different gold (must be incorrect);
- MATH-500 restyled (`data/math500.jsonl`): the solution with its last box unwrapped and a
  final-answer line appended in one of three styles (Minerva's "Final Answer: The final answer
  is $X$. I hope it is correct.", French, `**Final Answer** \\[\\boxed{X}\\]`) against its own gold
  and the next different gold; and the original solution against its gold written as `$\\boxed{gold}$`.

It does not run anything; `run.py` does.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

HERE = Path(__file__).parent
Case = tuple[str, str, str, str, str]  # (half, category, gold, output, expected)
_GSM_STYLES = (
    "#### {a}",
    "The answer is {c}.",
    "\\boxed{{{c}}}",
    "Final Answer: ${c}",
    "**Answer:** {a}",
    "La réponse finale est {a}.",
)
_MATH_STYLES = (
    "\nFinal Answer: The final answer is ${x}$. I hope it is correct.",
    "\nLa réponse finale est donc $ {x} $.",
    "\n\n**Final Answer**\n\\[\\boxed{{{x}}}\\]",
)


def half_of(key: str) -> str:
    """'tune' or 'test', fixed by the key's hash."""
    return "tune" if hashlib.sha1(key.encode()).digest()[0] % 2 == 0 else "test"


def hand_cases(folder: str = "corpus", kind: str = "kind") -> list[Case]:
    """The labelled pairs of `folder`'s tune and test halves; `kind` names the row's category field."""
    out: list[Case] = []
    for half in ("tune", "test"):
        for line in (HERE / folder / f"{half}.jsonl").open(encoding="utf-8"):
            r = json.loads(line)
            out.append((half, r[kind], r["gold"], r["output"], r["expected"]))
    return out


def gsm8k_cases(limit: int) -> list[Case]:
    rows = [json.loads(line) for line in (HERE / "data" / "gsm8k_heldout.jsonl").open()][:limit]
    out: list[Case] = []
    for i, r in enumerate(rows):
        pick = hashlib.sha1(r["id"].encode()).digest()[1] % len(_GSM_STYLES)
        a = r["answer"]
        line = _GSM_STYLES[pick].format(a=a, c=f"{int(a):,}")
        text = f"{r['solution']}\n{line}"
        half = half_of(r["id"])
        other = next(o for o in rows[i + 1 :] + rows[:i] if int(o["answer"]) != int(a))
        out.append((half, "GSM8K held-out own gold", a, text, "correct"))
        out.append((half, "GSM8K held-out other gold", other["answer"], text, "incorrect"))
    return out


def math500_cases(limit: int) -> list[Case]:
    rows = [json.loads(line) for line in (HERE / "data" / "math500.jsonl").open()][:limit]
    out: list[Case] = []
    for i, r in enumerate(rows):
        restyled = _restyle(r["solution"], hashlib.sha1(r["id"].encode()).digest()[1] % len(_MATH_STYLES))
        half = half_of(r["id"])
        key = _key(r["answer"])
        other = next(o for o in rows[i + 1 :] + rows[:i] if _key(o["answer"]) != key)
        out.append((half, "MATH-500 restyled own gold", r["answer"], restyled, "correct"))
        out.append((half, "MATH-500 restyled other gold", other["answer"], restyled, "incorrect"))
        boxed = f"$\\boxed{{{r['answer']}}}$"
        out.append((half, "MATH-500 gold in \\boxed{}", boxed, r["solution"], "correct"))
    return out


def _restyle(solution: str, style: int) -> str:
    """The solution with its last `\\boxed{X}` unwrapped to X and a final-answer line naming X."""
    start = solution.rfind("\\boxed{")
    depth, j = 0, start + len("\\boxed")
    for j in range(start + len("\\boxed"), len(solution)):
        depth += {"{": 1, "}": -1}.get(solution[j], 0)
        if depth == 0:
            break
    x = solution[start + len("\\boxed{") : j]
    body = solution[:start] + x + solution[j + 1 :]
    return body + _MATH_STYLES[style].format(x=x)


def _key(s: str) -> str:
    return re.sub(r"^[a-z]=|\\left|\\right|\\!|\\,|\s|\\dfrac|\\frac", "", s)  # `x=5` is the same gold as `5`


def all_cases(limit: int = 10_000) -> list[Case]:
    return hand_cases() + gsm8k_cases(limit) + math500_cases(limit)
