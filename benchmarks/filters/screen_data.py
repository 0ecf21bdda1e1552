"""The labelled rows the screen is trained and measured on, each with its fixed half.

Thirteen corpora, every row labelled `clean`, `defect` (hard) or `soft`, with its `split`:

- `data/screen_corpus.jsonl`: real answers of five chat models to the XSTest v2 prompts (refusal,
  truncated, boilerplate, partial refusal, clean), split by source model and prompt
  (`screen_corpus.py`);
- `data/public_corpus.jsonl` (`public_corpus.py`): `coconot` = GPT-4's compliant answers to
  CoCoNot's contrast prompts (clean; cut-off, boilerplate or cutoff remarks → hard), split by
  prompt; `jbb` = JailbreakBench answers its two judges call not jailbroken (refusal, hard), split
  by target model and behaviour;
- `data/handmade_kinds.jsonl`: short hand-written answers of each kind the graders' held-out set
  showed (issue 24: a requested chatbot, transcript, apology email, podcast, AI character; `# ...`
  for the user's config; control flow; dividers; Dockerfiles; code left out in words; cutoff
  remarks; refusals without a stock phrase or in JSON; template tokens; two final answers; cuts),
  clean and defective; `tune` = written before the fixes or read while making them, `test` = 40
  rows written after them and measured once;
- `data/fresh_kinds.jsonl`: 40 answers of the same kinds (20 clean, 20 hard defects), written on
  2026-12-07 by four writers who did not see the rules, their tests or the earlier rows, in their
  own phrasings; split before the rules ran on them: odd-numbered rows `tune`, even ones `test`;
- `data/fresh2_kinds.jsonl`: 48 more by four more such writers, of the kinds phrased most freely
  (refusals without a stock phrase, code left out in words, cutoff remarks), each defect beside a
  clean near miss (an answer that pushes back and then answers, complete code that mentions an
  extra it leaves out, a dated fact that is no remark on the model); rows 01–06 of each writer
  `tune`, 07–12 `test`, fixed before the rules ran on them;
- `data/fresh3_kinds.jsonl`: 48 more by four more such writers: conflicting final answers (numeric
  and named), refusals that lecture or redirect, cuts, code left out and cutoff remarks, each defect
  beside a clean near miss; split the same way;
- `data/fresh4_kinds.jsonl`: 48 good answers only (code, creative and addressed texts, role-play,
  maths and science, health and law with caveats, everyday plans, lists, translations), by four
  more such writers, to measure clean texts thrown away; split the same way;
- `data/fresh5_kinds.jsonl`: 48 more (AI self-reference in other words, repetition loops, refusals
  in several tones, template tokens of other families, unasked language switches, cuts, code left
  out, conflicting results), each defect beside a near miss; split the same way;
- `data/fresh6_kinds.jsonl`: 72 more by six more such writers: 24 defects (code left out in words,
  template tokens, cutoff remarks, cuts, declines without a stock phrase, conflicting finals, AI
  self-reference, loops) each beside a near miss, and 24 good answers only; split the same way;
- `data/fresh7_kinds.jsonl`: 24 more by two more such writers: answers that steer away from a
  benign request without a stock phrase, each beside a near miss that answers; split the same way;
- `data/generalise.jsonl`: hand-written traces of every defect kind in ten languages (issue 17),
  split by a hash of the text (`generalise.split_of`);
- `data/reference_solutions.jsonl`: public GSM8K and MATH-500 reference solutions, clean by
  construction, split by the same hash.

Only real model outputs (the first two) carry real defects; the hand-written kinds stand in for
the graders' held-out set, which we do not have; the last two keep the screen from
learning that maths, code or a foreign language is a defect. This module reads files; it does
not embed or train (`screen_fit.py`).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from generalise import load as load_generalise  # noqa: E402
from generalise import split_of  # noqa: E402

__all__ = ["CORPORA", "load_rows"]

WRITTEN = ("handmade", "fresh", "fresh2", "fresh3", "fresh4", "fresh5", "fresh6", "fresh7")
"""The hand-written corpora, each in `data/<corpus>_kinds.jsonl`."""
CORPORA = ("xstest", "coconot", "jbb", *WRITTEN, "generalise", "reference")


def _jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def load_rows() -> list[dict]:
    """Every labelled row: id, corpus, source, split, label, kind, hard, question, text, finish_reason."""
    rows = [{**r, "corpus": "xstest"} for r in _jsonl(HERE / "data" / "screen_corpus.jsonl")]
    public = HERE / "data" / "public_corpus.jsonl"
    rows += [{**r, "corpus": r["source"].split(":")[0]} for r in _jsonl(public)] if public.exists() else []
    for corpus in WRITTEN:
        for r in _jsonl(HERE / "data" / f"{corpus}_kinds.jsonl"):
            rows.append({**r, "corpus": corpus, "source": f"{corpus}:{r['kind']}"})
    for r in load_generalise():
        label = "clean" if r["label"] == "clean" else ("defect" if r["hard"] else "soft")
        rows.append({**r, "label": label, "corpus": "generalise", "source": f"generalise:{r['language']}"})
    for r in _jsonl(HERE / "data" / "reference_solutions.jsonl"):
        text = r["completion"]
        rows.append(
            {
                "id": r["id"],
                "corpus": "reference",
                "source": f"reference:{r['id'].split('-')[0]}",
                "split": split_of(text),
                "label": "clean",
                "kind": "clean",
                "hard": False,
                "question": r["question"],
                "text": text,
                "finish_reason": "stop",
            }
        )
    return rows
