"""The in-repo benchmark sets of earlier versions (the data the verifier was first tuned on).

- every MATH-500 and GSM8K reference solution in `data/` against its own gold (must be correct;
  a GSM8K solution gets its original `#### answer` line back);
- the same solutions against another problem's gold, the next one whose gold differs as text
  (GSM8K: as a number) (must be incorrect);
- the regression table of `tests/verifiers/test_ver_math_table.py`.

Every case is in the half "in-repo" (reported with the tuning half: it is not held out).
"""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

from corpus import Case

from s2s1.verifiers.math_latex import normalize

HERE = Path(__file__).parent


def in_repo_cases(limit: int) -> list[Case]:
    math = [json.loads(line) for line in (HERE / "data" / "math500.jsonl").open()][:limit]
    gsm = [json.loads(line) for line in (HERE / "data" / "gsm8k.jsonl").open()][:limit]
    out: list[Case] = []
    for r in math:
        out.append(("in-repo", "in-repo MATH-500 own gold", r["answer"], r["solution"], "correct"))
    for r in gsm:
        text = f"{r['solution']}\n#### {r['answer']}"
        out.append(("in-repo", "in-repo GSM8K own gold", r["answer"], text, "correct"))
    for rows, name, key in ((math, "MATH-500", _text_key), (gsm, "GSM8K", _int_key)):
        for i, r in enumerate(rows):
            other = next(o for o in rows[i + 1 :] + rows[:i] if key(o["answer"]) != key(r["answer"]))
            solution = r["solution"] if name == "MATH-500" else f"{r['solution']}\n#### {r['answer']}"
            out.append(("in-repo", f"in-repo {name} other gold", other["answer"], solution, "incorrect"))
    spec = importlib.util.spec_from_file_location(
        "table", HERE.parents[1] / "tests/verifiers/test_ver_math_table.py"
    )
    assert spec and spec.loader
    table = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(table)
    out += [("in-repo", "in-repo table", g or "", o, e) for _, g, o, e in table.TABLE]
    return out


def _text_key(s: str) -> str:
    return re.sub(r"^[a-z]=", "", normalize(s).replace(" ", ""))  # `x=5` is the same gold as `5`


def _int_key(s: str) -> int:
    return int(s.replace(",", ""))
