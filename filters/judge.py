"""The constitution judge: a model reads each kept trace against each principle and says why.

Each (trace, principle) prompt (`s2s1.constitution`) goes to the judge's engine
(filters/judge_engines.py); the reply begins `Answer:` (with `reason_first`, `Reasoning:` first),
and P(Yes), P(No) of the next token make the verdict (filters/judge_verdict.py). The prompt asks
whether the text *follows* the principle, so No (`JUDGE_BREAKS`) is the violation; its share is
calibrated against a content-free text, so a judge that says the same to everything scores ~0.5.
Without probabilities only an anchored `Answer: Yes|No` line counts; `votes: k` samples k
reasonings, a tie abstains. `yes` drops the record, naming the principle, the quoted span and the
judge's reason; `abstain` KEEPS it with a `judge_abstain` reason, counted apart.

The cache (keyed by trace hash, prompt as sent, model, mode) holds raw measurements: an edited
principle re-judges only itself; thresholds re-judge nothing. A `Check:` principle needs no model
(principle_checks). Dropped records and the judge model's quality are not checked here.

Example:
    >>> JudgeFilter.name
    'judge'
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, ClassVar

from s2s1.config import JudgeConfig
from s2s1.constitution import JUDGE_BREAKS, JUDGE_SYSTEM, Constitution, Principle, judge_prompt
from s2s1.filters.judge_engines import answer_tokens
from s2s1.filters.judge_verdict import (
    Vote,
    break_keep,
    majority,
    parse_explanation,
    parse_verdict,
    vote,
    yes_no_mass,
)
from s2s1.filters.principle_checks import violates
from s2s1.generators.backend import Request, sample_seed
from s2s1.records import Decision, Reason, Record, Sampling

__all__ = ["JudgeFilter"]

_GREEDY = Sampling(n=1, temperature=0.0, max_tokens=64)
Pair = tuple[str, Principle]  # (text, principle)
_BREAKS = JUDGE_BREAKS.lower()


class JudgeFilter:
    """Drops a record when the judge finds it breaks a principle of the constitution.

    Example:
        >>> from s2s1.constitution import load_constitution
        >>> judge = JudgeFilter(load_constitution(), object(), cache=Path("/tmp/judge-cache.jsonl"))
        >>> judge.config.votes, judge.mode
        (1, 'direct')
    """

    name: ClassVar[str] = "judge"

    def __init__(
        self, constitution: Constitution, generator: Any, *, cache: Path, config: JudgeConfig | None = None
    ) -> None:
        self.constitution = constitution
        self.generator = generator
        self.config = config or JudgeConfig()
        self.model = str(getattr(generator, "teacher", type(generator).__name__))
        c = self.config
        self.mode = f"reason-v{c.votes}-t{c.temperature:g}-m{c.max_tokens}" if c.reason_first else "direct"
        self.cache_path = Path(cache)
        self._cache: dict[str, dict[str, Any]] = {}
        self._prompts: dict[Principle, str] = {}
        if self.cache_path.exists():
            for line in self.cache_path.read_text(encoding="utf-8").splitlines():
                entry = json.loads(line)
                self._cache[entry["key"]] = entry

    def _key(self, text: str, principle: Principle) -> str:
        """Keyed by the prompt as sent (for an empty text), so a reworded prompt re-judges."""
        if principle not in self._prompts:
            asked = judge_prompt(principle, "", reason_first=self.config.reason_first)
            self._prompts[principle] = hashlib.sha256(f"{JUDGE_SYSTEM}|{asked}".encode()).hexdigest()[:16]
        trace = hashlib.sha256(text.encode()).hexdigest()[:16]
        prompt = self._prompts[principle]
        return hashlib.sha256(f"{trace}|{prompt}|{self.model}|{self.mode}".encode()).hexdigest()[:24]

    def decide(self, records: Sequence[Record]) -> list[Decision]:
        """One decision per record, in order; new judgements are appended to the cache."""
        todo = {self._key(r.trace.completion, p): (r.trace.completion, p) for r in records if r.kept
                for p in self.constitution.principles if not p.check}  # fmt: skip
        self.judge([pair for key, pair in todo.items() if key not in self._cache])
        return [self._decision(r) if r.kept else Decision(filter=self.name, keep=True) for r in records]

    def judge(self, pairs: Sequence[Pair]) -> list[dict[str, Any]]:
        """Judge (text, principle) pairs not yet cached; their cache entries, in order."""
        pairs = [pr for pr in pairs if self._key(*pr) not in self._cache]
        if not pairs:
            return []
        measured = self._measure(pairs, self.config.votes)
        scored = any("p_yes" in raw for votes in measured for raw, _ in votes)
        baselines = self._baselines(list({p.number: p for _, p in pairs}.values())) if scored else {}
        entries = [self._entry(text, p, baselines.get(p.number)) for text, p in pairs]
        for entry, votes in zip(entries, measured, strict=True):
            entry["votes"] = [v for v, _ in votes]
        yes = [(e, pr, votes) for e, pr, votes in zip(entries, pairs, measured, strict=True)
               if self.verdict(e)[0] == "yes"]  # fmt: skip
        self._explain(yes)
        self.cache_path.parent.mkdir(parents=True, exist_ok=True)
        with self.cache_path.open("a", encoding="utf-8") as f:
            for entry in entries:
                self._cache[entry["key"]] = entry
                f.write(json.dumps(entry, ensure_ascii=False) + "\n")
        return entries

    def _entry(self, text: str, p: Principle, baseline: float | None) -> dict[str, Any]:
        key = self._key(text, p)
        return {
            "key": key,
            "principle": p.number,
            "model": self.model,
            "mode": self.mode,
            "baseline": baseline,
        }

    def _baselines(self, principles: list[Principle]) -> dict[int, float]:
        """The judge's calibrated-out leaning per principle: its P(breaks) share on a content-free text."""
        out = {}
        for p, votes in zip(principles, self._measure([("N/A", p) for p in principles], 1), strict=True):
            (raw, _), = votes  # fmt: skip
            if "p_yes" in raw and raw["p_yes"] + raw["p_no"] > 0:
                p_break, p_keep = break_keep(raw)
                out[p.number] = p_break / (p_break + p_keep)
        return out

    def _measure(self, pairs: Sequence[Pair], k: int) -> list[list[tuple[dict[str, Any], Request]]]:
        """Per pair, k votes: ({p_yes, p_no} or {text}, the request whose prefix ends in `Answer:`)."""
        c = self.config
        reqs = [self._request(text, p, i) for text, p in pairs for i in range(k)]
        if c.reason_first:  # the reasoning first, up to the verdict line
            sampling = Sampling(n=1, temperature=c.temperature if k > 1 else 0.0, max_tokens=c.max_tokens)
            asks = [replace(r, prefix="Reasoning:", stop=("Answer:",), max_tokens=c.max_tokens) for r in reqs]
            done = {
                (x.request.problem.id, x.request.index): x.text
                for x in self.generator.complete(asks, sampling)
            }
            reqs = [
                replace(r, prefix=f"Reasoning: {done[(r.problem.id, r.index)].strip()}\nAnswer:")
                for r in reqs
            ]
        else:
            reqs = [replace(r, prefix="Answer:") for r in reqs]
        tops = answer_tokens(self.generator, reqs)
        if tops is None:  # an engine without probabilities: the whole reply, read by its anchored line
            raws = self._replies(reqs)
        else:
            raws = [dict(zip(("p_yes", "p_no"), yes_no_mass(t), strict=True)) if t else {"error": True}
                    for t in tops]  # fmt: skip
        return [list(zip(raws[i * k : (i + 1) * k], reqs[i * k : (i + 1) * k], strict=True))
                for i in range(len(pairs))]  # fmt: skip

    def _replies(self, reqs: Sequence[Request]) -> list[dict[str, Any]]:
        """Replies without a forced verdict (prefix cut back to the reasoning), as {text}."""
        asks = [replace(r, prefix=r.prefix.removesuffix("Answer:"), max_tokens=64 + self.config.max_tokens)
                for r in reqs]  # fmt: skip
        by = {(x.request.problem.id, x.request.index): x for x in self.generator.complete(asks, _GREEDY)}
        return [{"text": (r.prefix + by[(r.problem.id, r.index)].text)[-2000:]} for r in asks]

    def _request(self, text: str, p: Principle, index: int) -> Request:
        from s2s1.records import Problem

        question = judge_prompt(p, text, reason_first=self.config.reason_first)
        problem = Problem(id=f"judge-{self._key(text, p)}", source="judge", question=question)
        messages = [{"role": "system", "content": JUDGE_SYSTEM}, {"role": "user", "content": question}]
        seed = sample_seed(0, problem.id, index)
        return Request(problem=problem, index=index, messages=messages, seed=seed, max_tokens=1)

    def _explain(
        self, flagged: list[tuple[dict[str, Any], Pair, list[tuple[dict[str, Any], Request]]]]
    ) -> None:
        """Ask a flagged pair's judge for the quote and reason after its `Answer: No` (it breaks)."""
        asks = []
        for entry, _, votes in flagged:
            if "text" in votes[0][0]:  # the reply already holds them
                entry["quote"], entry["reason"] = parse_explanation(votes[0][0]["text"])
                continue
            broke = ((v, r) for v, r in votes if "p_yes" in v and break_keep(v)[0] > break_keep(v)[1])
            raw, req = next(broke, votes[0])
            asks.append(replace(req, prefix=f"{req.prefix} {JUDGE_BREAKS}\nQuote:", max_tokens=64))
        replies = (
            {x.request.problem.id: x.text for x in self.generator.complete(asks, _GREEDY)} if asks else {}
        )
        for entry, _, _ in flagged:
            if f"judge-{entry['key']}" in replies:
                text = "Quote:" + replies[f"judge-{entry['key']}"]
                entry["quote"], entry["reason"] = parse_explanation(text)

    def verdict(self, entry: dict[str, Any]) -> tuple[str, float, str]:
        """(verdict, mean score, why it abstained) of a cache entry under this judge's settings."""
        c, votes = self.config, []
        for raw in entry["votes"]:
            if "text" in raw:
                said = parse_verdict(raw["text"])  # the word said: No breaks the principle
                v = "abstain" if said == "abstain" else "yes" if said == _BREAKS else "no"
                votes.append(Vote(v, {"yes": 1.0, "no": 0.0}.get(v), "" if v != "abstain" else
                                  "no single anchored 'Answer: Yes|No' line in the reply"))  # fmt: skip
            elif "error" in raw:
                votes.append(Vote("abstain", None, "the engine returned no answer-token probabilities"))
            else:
                base = entry["baseline"] if entry["baseline"] is not None else 0.5
                votes.append(vote(*break_keep(raw), base, threshold=c.threshold,
                                  margin=c.abstain_margin, min_mass=c.min_mass))  # fmt: skip
        final = majority([v.verdict for v in votes])
        scores = [v.score for v in votes if v.score is not None]
        why = next((v.why for v in votes if v.verdict == "abstain"), "")
        if final == "abstain" and len(votes) > 1:
            why = f"votes {[v.verdict for v in votes]} have no majority" + (f"; {why}" if why else "")
        return final, round(sum(scores) / len(scores), 4) if scores else 0.5, why

    def _decision(self, record: Record) -> Decision:
        reasons, scores = [], {}
        text = record.trace.completion
        for p in self.constitution.principles:
            label = f"principle {p.number} ({p.title})"
            if p.check:
                broken = violates(p.check, text)
                scores[f"principle_{p.number}"] = float(broken)
                if broken:
                    reasons.append(Reason(code=f"constitution_{p.number}",
                                          detail=f"{label}: fails its check '{p.check}'"))  # fmt: skip
                continue
            entry = self._cache[self._key(text, p)]
            verdict, scores[f"principle_{p.number}"], why = self.verdict(entry)
            if verdict == "abstain":
                reasons.append(
                    Reason(code="judge_abstain", detail=f"{label}: the judge abstained ({why}); kept")
                )
            elif verdict == "yes":
                quote = entry.get("quote", "")
                start = text.find(quote) if quote else -1
                span = (start, start + len(quote)) if start >= 0 else None
                detail = f"{label}: {entry.get('reason') or 'no reason given'}"
                if quote:
                    detail += f' — quote: "{quote[:120]}"'
                reasons.append(Reason(code=f"constitution_{p.number}", detail=detail, span=span))
        keep = all(r.code == "judge_abstain" for r in reasons)
        return Decision(filter=self.name, keep=keep, reasons=reasons, scores=scores)
