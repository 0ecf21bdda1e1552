"""Inference-time strategies and the in-shard resume (generators/strategies.py, budget.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest

from s2s1.config import BudgetForcing, GenerateConfig, Strategy
from s2s1.generators import generate_shard_file
from s2s1.generators.backend import Backend, Completion, Request, requests_for, to_trace
from s2s1.generators.budget import ANSWER, WAIT, budget_forced
from s2s1.generators.fake import FakeGeneratorForTests
from s2s1.generators.strategies import run_strategy
from s2s1.journal import Journal
from s2s1.records import Problem, Record, Sampling, Verdict
from s2s1.verifiers.math_vote import majority_answer


class ScriptedBackendForTests(Backend):
    """A fake backend: `reply(request)` gives (text, tokens, finish reason); every request is logged."""

    def __init__(self, reply: Callable[[Request], tuple[str, int, str]]) -> None:
        self.teacher, self.reply, self.requests = "scripted", reply, []

    def complete(self, requests: Sequence[Request], sampling: Sampling) -> Iterator[Completion]:
        for r in reversed(requests):  # finish out of order, as streaming backends do
            self.requests.append(r)
            text, tokens, reason = self.reply(r)
            yield Completion(r, text=text, num_tokens=tokens, finish_reason=reason)


def problems(k: int, answer: str | None = "4") -> list[Problem]:
    return [Problem(id=f"p{i}", source="demo", question=f"q{i}", answer=answer) for i in range(k)]


def fake_check(records: list[Record]) -> list[Record]:
    """Correct when the response boxes the gold answer (the fake's index % 4 == 0 and 2 samples)."""
    out = []
    for r in records:
        ok = f"\\boxed{{{r.problem.answer}}}" in r.trace.response
        v = Verdict(verifier="t", version="0", outcome="correct" if ok else "incorrect", score=float(ok))
        out.append(r.model_copy(update={"verdicts": {"t": v}}))
    return out


def test_fixed_draws_n_per_problem_in_order(tmp_path: Path) -> None:
    cfg = GenerateConfig(backend="fake", sampling=Sampling(n=3))
    records = run_strategy(problems(2), FakeGeneratorForTests(), cfg, Journal(tmp_path / "j"))
    assert [r.key for r in records] == ["p0#0", "p0#1", "p0#2", "p1#0", "p1#1", "p1#2"]
    assert {r.trace.strategy["name"] for r in records} == {"fixed"}


def test_journaled_samples_are_not_drawn_again(tmp_path: Path) -> None:
    cfg = GenerateConfig(sampling=Sampling(n=2))
    path = tmp_path / "shard-00000.jsonl"
    first = ScriptedBackendForTests(lambda r: ("first run", 2, "stop"))
    with Journal(path.with_name(path.name + ".partial")) as j:  # a run that died after 3 of 4
        for c in list(first.complete(requests_for(problems(2), range(2), cfg.sampling), cfg.sampling))[:3]:
            j.append(Record(problem=c.request.problem, trace=to_trace(c, "scripted", cfg.sampling)))
    second = ScriptedBackendForTests(lambda r: ("second run", 2, "stop"))
    records = generate_shard_file(path, problems(2), second, cfg)
    assert len(second.requests) == 1
    assert [r.key for r in records] == ["p0#0", "p0#1", "p1#0", "p1#1"]
    assert sorted(r.trace.response for r in records).count("first run") == 3
    assert path.exists() and not path.with_name(path.name + ".partial").exists()


def test_adaptive_stops_a_problem_at_k_correct_and_spends_the_budget_on_the_rest(tmp_path: Path) -> None:
    easy, hard = (
        Problem(id="easy", source="d", question="q", answer="4"),
        Problem(id="hard", source="d", question="q", answer="4"),
    )
    # easy: every sample right; hard: right only at index 6
    backend = ScriptedBackendForTests(
        lambda r: ("\\boxed{4}" if r.problem.id == "easy" or r.index == 6 else "\\boxed{5}", 3, "stop")
    )
    cfg = GenerateConfig(sampling=Sampling(n=2), strategy=Strategy(name="adaptive", k=2, max_samples=10))
    records = run_strategy([easy, hard], backend, cfg, Journal(tmp_path / "j"), check=fake_check)
    per = {pid: sorted(r.trace.index for r in records if r.problem.id == pid) for pid in ("easy", "hard")}
    assert per["easy"] == [0, 1]  # 2 correct after round 0
    assert per["hard"] == list(range(10))  # only 1 correct: the whole budget
    rounds = {r.trace.index: r.trace.strategy["round"] for r in records if r.problem.id == "hard"}
    assert rounds[0] == 0 and rounds[9] == 4


def test_adaptive_resume_replays_rounds_without_redrawing(tmp_path: Path) -> None:
    cfg = GenerateConfig(sampling=Sampling(n=2), strategy=Strategy(name="adaptive", k=1, max_samples=8))
    fake = FakeGeneratorForTests()  # index 0 and 2 are right: every problem stops after round 0
    first = run_strategy(problems(3), fake, cfg, Journal(tmp_path / "j"), check=fake_check)
    assert len(first) == 6
    again = ScriptedBackendForTests(lambda r: ("never", 1, "stop"))
    second = run_strategy(problems(3), again, cfg, Journal(tmp_path / "j"), check=fake_check)
    assert again.requests == [] and [r.key for r in second] == [r.key for r in first]


def test_adaptive_without_a_check_is_refused(tmp_path: Path) -> None:
    cfg = GenerateConfig(strategy=Strategy(name="adaptive"))
    with pytest.raises(ValueError, match="check"):
        run_strategy(problems(1), FakeGeneratorForTests(), cfg, Journal(tmp_path / "j"))


def test_majority_labels_goldless_problems_above_the_agreement_threshold(tmp_path: Path) -> None:
    answers = {
        "p0": ["\\boxed{7}", "\\boxed{7.0}", "\\boxed{7}", "\\boxed{8}"],
        "p1": ["\\boxed{1}", "\\boxed{2}"] * 2,
    }
    backend = ScriptedBackendForTests(lambda r: (answers[r.problem.id][r.index], 2, "stop"))
    cfg = GenerateConfig(sampling=Sampling(n=4), strategy=Strategy(name="majority", min_agreement=0.6))
    records = run_strategy(
        problems(2, answer=None), backend, cfg, Journal(tmp_path / "j"), vote=majority_answer
    )
    by = {r.problem.id: r.problem for r in records}
    assert by["p0"].answer == "7" and by["p0"].metadata["majority"] == {"answer": "7", "agreement": 0.75}
    assert by["p1"].answer is None and by["p1"].metadata["majority"]["agreement"] == 0.5
    assert {r.trace.strategy["name"] for r in records} == {"majority"}


def test_majority_keeps_a_gold_answer(tmp_path: Path) -> None:
    backend = ScriptedBackendForTests(lambda r: ("\\boxed{9}", 2, "stop"))
    cfg = GenerateConfig(sampling=Sampling(n=2), strategy=Strategy(name="majority"))
    records = run_strategy(problems(1, "4"), backend, cfg, Journal(tmp_path / "j"), vote=majority_answer)
    assert {r.problem.answer for r in records} == {"4"}


def test_budget_forcing_adds_wait_to_short_thinking() -> None:
    # pass 1 stops after 5 tokens (< min 20); pass 2 (after "Wait,") writes 30 more
    backend = ScriptedBackendForTests(
        lambda r: (" checked: 4." if WAIT in r.prefix else "2+2=4.", 30 if WAIT in r.prefix else 5, "stop")
    )
    s = Sampling(n=1, max_tokens=100)
    [c] = budget_forced(backend, requests_for(problems(1), [0], s), s, BudgetForcing(min_tokens=20))
    assert c.text == "2+2=4.\nWait, checked: 4." and c.num_tokens == 35 and c.finish_reason == "stop"
    assert c.request.strategy["budget_forcing"] == {"waits": 1, "forced_answer": False}
    assert backend.requests[1].max_tokens == 95  # the thinking budget left


def test_budget_forcing_forces_an_answer_at_the_budget() -> None:
    def reply(r: Request) -> tuple[str, int, str]:
        return ("4}$.", 3, "stop") if r.prefix.endswith(ANSWER) else ("<think>long thoughts", 50, "length")

    backend = ScriptedBackendForTests(reply)
    s = Sampling(n=1, max_tokens=50)
    [c] = budget_forced(
        backend, requests_for(problems(1), [0], s), s, BudgetForcing(min_tokens=10, answer_tokens=8)
    )
    assert c.text == "<think>long thoughts\n</think>\n\n" + ANSWER + "4}$."
    assert c.request.strategy["budget_forcing"] == {"waits": 0, "forced_answer": True}
    assert backend.requests[1].max_tokens == 8 and c.num_tokens == 53


def test_budget_forcing_lets_a_closed_think_block_write_its_answer() -> None:
    def reply(r: Request) -> tuple[str, int, str]:
        if r.prefix.endswith("</think>\n"):
            return ("The answer is $\\boxed{4}$.", 9, "stop")
        return ("<think>enough thinking here", 40, "stop")  # stopped at the </think> stop string

    backend = ScriptedBackendForTests(reply)
    s = Sampling(n=1, max_tokens=100)
    [c] = budget_forced(backend, requests_for(problems(1), [0], s), s, BudgetForcing(min_tokens=10))
    assert backend.requests[0].stop == ("</think>",)
    assert c.text.endswith("</think>\nThe answer is $\\boxed{4}$.") and c.num_tokens == 49


def test_budget_forcing_through_the_shard_records_it_on_each_trace(tmp_path: Path) -> None:
    backend = ScriptedBackendForTests(lambda r: ("\\boxed{4}", 30, "stop"))
    cfg = GenerateConfig(sampling=Sampling(n=2, max_tokens=64), budget_forcing=BudgetForcing(min_tokens=8))
    records = generate_shard_file(tmp_path / "shard-00000.jsonl", problems(1), backend, cfg)
    assert [r.trace.strategy for r in records] == [
        {"name": "fixed", "budget_forcing": {"waits": 0, "forced_answer": False}}
    ] * 2


def test_a_missing_vllm_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    from s2s1.errors import UserError
    from s2s1.generators.vllm_backend import VLLMGenerator

    monkeypatch.setitem(sys.modules, "vllm", None)  # as where vLLM is not installed
    with pytest.raises(UserError, match=r"pip install 's2s1\[vllm\]'"):
        _ = VLLMGenerator("embedded").llm
