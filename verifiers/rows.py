"""Verify flat JSON rows made elsewhere (`s2s1 verify INPUT.jsonl -o OUT.jsonl`, design §5).

A row holds the Problem fields at the top level — `id`, `domain` (default `math`), `question`
(or MATH's `problem`; optional, since comparing an answer with a gold does not need it),
`answer` (a string or number; for maths, a GSM8K `… #### 72` or MATH solution with `\\boxed{}`
is read down to its final answer; `solution` stands in when `answer` is missing) or `tests` —
plus either

- `completion`: the model's full text, split at `<think>…</think>` into reasoning and response;
- `prediction`: an answer already extracted, compared as it is (for `math` rows it is handed to
  the verifier as `\\boxed{prediction}`, unless it still holds a final-answer marker — a box,
  "the answer is", `####` — when it is read like a completion; for `code` rows, bare code is
  put in a fenced block; for other domains as the whole response).

When a row has both, `prediction` wins. Each output row is the input row (extra fields kept)
with `verdict` added — the verdict of the first given verifier that handles the row's domain —
and, when more than one verifier handles it, `verdicts` by name. Rows come out in input order.
A bad row (no answer or tests, no completion or prediction, wrong types, a domain none of the
given verifiers handles, a `{"bad_line": why}` row standing for a line that is not UTF-8 or
JSON) gets an `unverifiable` verdict whose detail starts `FILE:LINE:`; the
other rows go on.

This module does not read or write files; the caller passes (line number, row) pairs such as
`s2s1.shards.read_jsonl` yields.

Example:
    >>> from s2s1.verifiers.registry import load_verifiers
    >>> rows = [(1, {"answer": 2, "prediction": "2"}), (2, {"answer": "3"})]
    >>> out = list(verify_rows(rows, load_verifiers(["math"]), path="in.jsonl", workers=1))
    >>> [(r["verdict"]["outcome"], r["verdict"]["detail"]) for r in out]
    [('correct', 'text match (boxed)'), ('unverifiable', 'in.jsonl:2: no completion or prediction')]
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from s2s1.errors import UserError
from s2s1.records import Problem, Trace, Verdict
from s2s1.verifiers.base import Verifier
from s2s1.verifiers.math_extract import extract_answer
from s2s1.verifiers.pool import Job, VerifierPool

__all__ = ["split_completion", "verify_rows"]


def verify_rows(
    rows: Iterable[tuple[int, dict[str, Any]]],
    verifiers: Sequence[Verifier],
    *,
    path: str | Path | None = None,
    timeout_s: float | None = None,
    workers: int = 2,
) -> Iterator[dict[str, Any]]:
    """Each row with `verdict` (and `verdicts` when several verifiers apply) added, in order.

    `timeout_s` as in `s2s1.verifiers.verify`: unset, each verifier's own limit applies.
    """
    verifiers = list(verifiers)
    if not verifiers:
        raise UserError("no verifiers given; name at least one (`s2s1 verifiers list` shows them)")
    where = str(path) if path is not None else "row"
    stem = Path(path).stem if path is not None else "row"
    pending: deque[tuple[dict[str, Any], list[int], Verdict | None]] = deque()

    def items() -> Iterator[list[Job]]:
        for n, row in rows:
            domain = row.get("domain", "math")
            chosen = [i for i, v in enumerate(verifiers) if isinstance(domain, str) and domain in v.domains]
            parsed = _parse(row, f"{stem}-{n}")
            if isinstance(parsed, str) or not chosen:
                names = ", ".join(f"{v.name} ({', '.join(sorted(v.domains))})" for v in verifiers)
                reason = parsed if isinstance(parsed, str) else f"no verifier handles domain {domain!r}; "
                reason += "" if isinstance(parsed, str) else f"given: {names} (`s2s1 verifiers list`)"
                v = verifiers[chosen[0] if chosen else 0]
                error = Verdict(
                    verifier=v.name,
                    version=v.version,
                    outcome="unverifiable",
                    score=0.0,
                    detail=f"{where}:{n}: {reason}",
                )
                pending.append((row, [], error))
                yield []
            else:
                pending.append((row, chosen, None))
                yield [(i, parsed[0], parsed[1]) for i in chosen]

    with VerifierPool(verifiers, workers=workers, timeout_s=timeout_s) as pool:
        for verdicts in pool.map(items()):
            row, chosen, error = pending.popleft()
            out = dict(row)
            out["verdict"] = (error or verdicts[0]).model_dump(mode="json")
            if len(chosen) > 1:
                pairs = zip(chosen, verdicts, strict=True)
                out["verdicts"] = {verifiers[i].name: v.model_dump(mode="json") for i, v in pairs}
            yield out


def split_completion(text: str) -> tuple[str, str]:
    """(reasoning, response): the text inside `<think>…</think>` and the text outside it.

    No tags: all of it is the response. An unclosed `<think>`: the rest is reasoning. A `</think>`
    without an opening tag closes reasoning that began at the start.

    Example:
        >>> split_completion("<think>2+2</think> \\\\boxed{4}"), split_completion("4")
        (('2+2', '\\\\boxed{4}'), ('', '4'))
    """
    start, end = text.find("<think>"), text.rfind("</think>")
    if end >= 0:
        reasoning = text[:end].replace("<think>", "", 1) if start < end else text[:end]
        return reasoning.strip(), text[end + len("</think>") :].strip()
    if start >= 0:
        return text[start + len("<think>") :].strip(), text[:start].strip()
    return "", text.strip()


def _needs_box(prediction: str) -> bool:
    """Whether a maths prediction is a bare answer (not text that says where its answer is)."""
    found = extract_answer(prediction)
    return found is None or found[1] not in ("boxed", "phrase", "####")


def _parse(row: dict[str, Any], default_id: str) -> tuple[Problem, Trace] | str:
    """(problem, trace) for a row, or what is wrong with it."""
    if set(row) == {"bad_line"}:  # a line the reader could not parse (flows/rows_output.read_rows)
        return str(row["bad_line"])
    question = row.get("question", row.get("problem"))
    if question is None:
        question = ""
    if not isinstance(question, str):
        return f"question must be a string, not {type(question).__name__}"
    domain = row.get("domain", "math")
    if not isinstance(domain, str):
        return f"domain must be a string, not {type(domain).__name__}"
    answer = row.get("answer")
    if answer is None and domain == "math" and isinstance(row.get("solution"), str):
        answer = row["solution"]
    if isinstance(answer, bool) or not isinstance(answer, str | int | float | type(None)):
        return f"answer must be a string or number, not {type(answer).__name__}"
    if answer is None and row.get("tests") is None:
        return "no answer or tests"
    prediction, completion = row.get("prediction"), row.get("completion")
    if prediction is not None:
        if isinstance(prediction, bool) or not isinstance(prediction, str | int | float):
            return f"prediction must be a string or number, not {type(prediction).__name__}"
        reasoning, response = "", str(prediction)
        if domain == "math" and _needs_box(response):
            response = f"\\boxed{{{response}}}"
        elif domain == "code" and "```" not in response:
            response = f"```python\n{response}\n```"
    elif completion is not None:
        if not isinstance(completion, str):
            return f"completion must be a string, not {type(completion).__name__}"
        reasoning, response = split_completion(completion)
    else:
        return "no completion or prediction"
    try:
        problem = Problem(
            id=str(row.get("id", default_id)),
            source=str(row.get("source", "rows")),
            domain=domain,
            question=question,
            answer=None if answer is None else str(answer),
            tests=row.get("tests"),
        )
        trace = Trace(
            problem_id=problem.id,
            index=0,
            teacher=str(row.get("teacher", "unknown")),
            prompt=[],
            reasoning=reasoning,
            response=response,
        )
    except ValidationError as e:
        err = e.errors()[0]
        return f"{'.'.join(map(str, err['loc'])) or 'row'}: {err['msg']}"
    return problem, trace
