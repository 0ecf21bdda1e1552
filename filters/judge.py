"""The constitution judge: a model reads each kept trace against each principle and says why.

For every (trace, principle) pair the judge prompt (`s2s1.filters.constitution`) goes through a
generator backend. Where the backend gives token probabilities (`yes_probability`, the
transformers backend has it), the score is P(Yes) / (P(Yes) + P(No)) for the first token of the
answer, contextually calibrated (Zhao et al., 2021): divided, in odds, by the same probability for
a content-free text ("N/A"), so a judge that says Yes to everything scores about 0.5, not 1;
otherwise the score is 1.0 or 0.0 from the answer's first word. A score above the
threshold is a violation: the decision records the principle, the quoted span (located in the
trace when the quote is found there), and the judge's short reason. Judgements are cached in a
JSON-lines file keyed by (trace hash, principle hash, judge model), so editing one principle
re-judges only that principle. A principle with a `Check:` line is decided by that check, with no
model call and no cache entry (`s2s1.filters.principle_checks`). Records that an earlier filter dropped
are not judged. This module does not check that the judge model is any good: a 135M model is a
weak judge.

Example:
    >>> parse_reply("Answer: Yes\\nQuote: As an AI\\nReason: self-reference.")
    (1.0, 'As an AI', 'self-reference.')
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any, ClassVar

from s2s1.filters.constitution import Constitution, Principle, judge_prompt
from s2s1.filters.principle_checks import violates
from s2s1.records import Decision, Problem, Reason, Record, Sampling

__all__ = ["JudgeFilter", "parse_reply"]

_SAMPLING = Sampling(n=1, temperature=0.0, max_tokens=64)


def _calibrate(p: float, baseline: float) -> float:
    """P(Yes) with the judge's content-free leaning divided out, in odds."""
    p, b = min(max(p, 1e-6), 1 - 1e-6), min(max(baseline, 1e-6), 1 - 1e-6)
    odds = (p / (1 - p)) / (b / (1 - b))
    return odds / (1 + odds)


def parse_reply(reply: str) -> tuple[float, str, str]:
    """(score from the answer's first word, quote, reason) from the judge's three lines."""
    answer = re.search(r"answer\s*:\s*(\w+)", reply, re.IGNORECASE)
    first = (answer.group(1) if answer else (reply.split() or [""])[0]).lower()
    quote = re.search(r"quote\s*:\s*(.+)", reply, re.IGNORECASE)
    reason = re.search(r"reason\s*:\s*(.+)", reply, re.IGNORECASE)
    q = quote.group(1).strip().strip("\"'“”") if quote else ""
    return (
        1.0 if first.startswith("yes") else 0.0,
        "" if q.lower() == "none" else q,
        reason.group(1).strip() if reason else "",
    )


class JudgeFilter:
    """Drops a record when the judge finds it breaks a principle of the constitution.

    Example:
        >>> JudgeFilter.name
        'judge'
    """

    name: ClassVar[str] = "judge"

    def __init__(
        self, constitution: Constitution, generator: Any, *, cache: Path, threshold: float = 0.5
    ) -> None:
        self.constitution = constitution
        self.generator = generator
        self.model = str(getattr(generator, "teacher", type(generator).__name__))
        self.cache_path = Path(cache)
        self.threshold = threshold
        self._cache: dict[str, dict[str, Any]] = {}
        self._baselines: dict[int, float] = {}
        if self.cache_path.exists():
            for line in self.cache_path.read_text(encoding="utf-8").splitlines():
                entry = json.loads(line)
                self._cache[entry["key"]] = entry

    def _key(self, record: Record, principle: Principle) -> str:
        trace = hashlib.sha256(record.trace.completion.encode()).hexdigest()[:16]
        return hashlib.sha256(f"{trace}|{principle.hash}|{self.model}".encode()).hexdigest()[:24]

    def decide(self, records: Sequence[Record]) -> list[Decision]:
        """One decision per record, in order; new judgements are appended to the cache."""
        todo = [(r, p) for r in records if r.kept for p in self.constitution.principles
                if not p.check and self._key(r, p) not in self._cache]  # fmt: skip
        self._judge(todo)
        return [self._decision(r) if r.kept else Decision(filter=self.name, keep=True) for r in records]

    def _judge(self, pairs: list[tuple[Record, Principle]]) -> None:
        if not pairs:
            return
        problems = [Problem(id=f"judge-{i}", source="judge", question=judge_prompt(p, r.trace.completion))
                    for i, (r, p) in enumerate(pairs)]  # fmt: skip
        scores: list[float | None] = [None] * len(pairs)
        if hasattr(self.generator, "yes_probability"):  # explain only what the probabilities flag
            raw = self.generator.yes_probability(problems, prefix="Answer:")
            scores = [
                _calibrate(p, self._baseline(principle)) for p, (_, principle) in zip(raw, pairs, strict=True)
            ]
            explain = [
                q for q, s in zip(problems, scores, strict=True) if s is not None and s > self.threshold
            ]
        else:
            explain = problems
        replies = {t.problem_id: t.response for t in self.generator.generate(explain, _SAMPLING)}
        self.cache_path.parent.mkdir(parents=True, exist_ok=True)
        with self.cache_path.open("a", encoding="utf-8") as f:
            for i, (record, principle) in enumerate(pairs):
                parsed, quote, reason = parse_reply(replies.get(f"judge-{i}", ""))
                score = parsed if scores[i] is None else float(scores[i])
                entry = {"key": self._key(record, principle), "principle": principle.number}
                entry |= {"score": round(score, 4), "quote": quote, "reason": reason, "model": self.model}
                self._cache[entry["key"]] = entry
                f.write(json.dumps(entry, ensure_ascii=False) + "\n")

    def _baseline(self, principle: Principle) -> float:
        """P(Yes) for a content-free text: the judge's own leaning on this principle."""
        if principle.number not in self._baselines:
            empty = Problem(id="judge-baseline", source="judge", question=judge_prompt(principle, "N/A"))
            self._baselines[principle.number] = self.generator.yes_probability([empty], prefix="Answer:")[0]
        return self._baselines[principle.number]

    def _decision(self, record: Record) -> Decision:
        reasons, scores = [], {}
        text = record.trace.completion
        for p in self.constitution.principles:
            if p.check:
                broken = violates(p.check, text)
                scores[f"principle_{p.number}"] = float(broken)
                if broken:
                    detail = f"principle {p.number} ({p.title}): fails its check '{p.check}'"
                    reasons.append(Reason(code=f"constitution_{p.number}", detail=detail))
                continue
            entry = self._cache[self._key(record, p)]
            scores[f"principle_{p.number}"] = entry["score"]
            if entry["score"] > self.threshold:
                start = text.find(entry["quote"]) if entry["quote"] else -1
                span = (start, start + len(entry["quote"])) if start >= 0 else None
                detail = f"principle {p.number} ({p.title}): {entry['reason'] or 'no reason given'}"
                if entry["quote"]:
                    detail += f' — quote: "{entry["quote"][:120]}"'
                reasons.append(Reason(code=f"constitution_{p.number}", detail=detail, span=span))
        return Decision(filter=self.name, keep=not reasons, reasons=reasons, scores=scores)
