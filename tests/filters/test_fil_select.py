"""Dedup and selection, decontamination with evidence, and how the stage runs them."""

from __future__ import annotations

import doctest

import pytest

import s2s1.filters.decontam
import s2s1.filters.dedup
from s2s1.config import FilterConfig
from s2s1.filters import build_filters, drop_counts, filter_records
from s2s1.filters.decontam import DecontamFilter
from s2s1.filters.dedup import DedupFilter, minhash, similarity
from s2s1.records import Problem, Record, Trace, Verdict

BASE = (
    "<think>We add the two numbers step by step, first the tens and then the ones, and check.</think>\n"
    "The tens give 30 and the ones give 7, so the total is \\boxed{37}."
)


def _record(pid: str, index: int, text: str, question: str = "What is 15 + 22?") -> Record:
    return Record(
        problem=Problem(id=pid, source="t", question=question, answer="37"),
        trace=Trace(problem_id=pid, index=index, teacher="m", prompt=[], response=text),
        verdicts={"math": Verdict(verifier="math", version="1", outcome="correct", score=1.0)},
    )


def test_minhash_estimates_jaccard():
    a = minhash(BASE)
    assert similarity(a, minhash(BASE)) == 1.0
    assert similarity(a, minhash(BASE.replace("check", "verify"))) > 0.6
    assert similarity(a, minhash("Completely different words about triangles and circles here.")) < 0.1


def test_dedup_drops_exact_and_near_duplicates_and_keeps_k():
    records = [
        _record("p", 0, BASE),
        _record("p", 1, "  " + BASE.upper()),  # same text after normalising
        _record("p", 2, BASE.replace("and check", "and check it")),  # near duplicate
        _record("p", 3, "Add 15 and 22: 15 + 22 = 37. \\boxed{37}"),
        _record("p", 4, "Twenty-two plus fifteen is thirty-seven, written \\boxed{37}."),
        _record("q", 0, BASE),  # another problem: never compared with p
    ]
    decisions = DedupFilter(per_problem=2, threshold=0.7).decide(records)
    codes = [[r.code for r in d.reasons] for d in decisions]
    assert codes == [[], ["duplicate"], ["near_duplicate"], [], ["over_per_problem"], []]
    assert "p#0" in decisions[2].reasons[0].detail and decisions[2].scores["similarity"] >= 0.7


def test_dedup_skips_what_earlier_filters_dropped():
    wrong = _record("p", 0, BASE).model_copy(
        update={"verdicts": {"math": Verdict(verifier="math", version="1", outcome="incorrect", score=0.0)}}
    )
    out = list(filter_records([wrong, _record("p", 1, BASE)], build_filters(["verified", "dedup"])))
    assert [r.kept for r in out] == [False, True]  # the correct copy is not a duplicate of a dropped one
    assert out[0].decisions["dedup"].keep


def test_decontam_names_the_set_the_problem_and_the_shared_words():
    leaked = Problem(
        id="gsm-7",
        source="gsm8k",
        question="Janet's ducks lay 16 eggs per day and she eats three for breakfast every morning.",
        answer="18",
    )
    f = DecontamFilter.from_sets([("gsm8k", [leaked])], n=8)
    clean = f(_record("p", 0, BASE))
    hit = f(_record("p", 1, "Recall: janet's ducks lay 16 eggs per day and she eats three. \\boxed{37}"))
    assert clean.keep and not hit.keep
    (reason,) = hit.reasons
    assert reason.code == "contaminated" and "gsm8k:gsm-7" in reason.detail
    assert "completion shares a word 8-gram, 'janet s ducks lay 16 eggs per day'," in reason.detail
    assert "word 8-grams" in f.method and "gsm8k (1 problems)" in f.method


def test_decontam_matches_short_questions_whole_only():
    short = Problem(id="e1", source="t", question="What is 3 + 4?", answer="7")
    f = DecontamFilter.from_sets([("held-out", [short])], n=13)
    assert not f(_record("p", 0, "\\boxed{7}", question="What is 3 + 4?")).keep
    assert f(_record("p", 0, "\\boxed{12}", question="What is 3 + 4 + 5?")).keep


def test_stage_reads_the_runs_held_out_problems(tmp_path):
    held = Problem(id="h1", source="t", question="What is 15 + 22?", answer="37")
    (tmp_path / "problems").mkdir()
    (tmp_path / "problems" / "eval.jsonl").write_text(held.model_dump_json() + "\n")
    cfg = FilterConfig(filters=["verified", "decontam", "dedup"], per_problem=1)
    out = list(filter_records([_record("p", 0, BASE), _record("p", 1, "Other: \\boxed{37}")],
                              build_filters(cfg.filters, cfg, run_dir=tmp_path)))  # fmt: skip
    assert drop_counts(out) == {"contaminated": 2}
    assert "held-out:h1" in out[0].decisions["decontam"].reasons[0].detail


def test_require_think_auto_follows_the_batch():
    thinking = [_record("p", i, BASE.replace("37", str(i))) for i in range(3)]
    plain = _record("p", 3, "Just \\boxed{37}.")
    out = list(filter_records([*thinking, plain], build_filters(["rules"], FilterConfig(require_think=None))))
    assert [r.kept for r in out] == [True, True, True, False]
    assert out[3].decisions["rules"].reasons[0].code == "broken_think"


@pytest.mark.parametrize("module", [s2s1.filters.dedup, s2s1.filters.decontam])
def test_docstring_examples(module):
    result = doctest.testmod(module)
    assert result.attempted > 0 and result.failed == 0
