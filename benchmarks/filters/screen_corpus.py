"""Build `data/screen_corpus.jsonl`: real model outputs, labelled, split by source before any tuning.

Source: XSTest v2's published model completions (Röttger et al., NAACL 2024;
https://github.com/paul-rottger/exaggerated-safety, `model_completions/`, CC-BY-4.0): five chat
models' answers to the 450 XSTest prompts, each hand-labelled by two annotators as full compliance,
full refusal or partial refusal. Labels here:

- `2_full_refusal` → defect, kind `refusal` (hard);
- `3_partial_refusal` → soft, kind `partial_refusal`;
- `1_full_compliance` → clean, unless the text stops mid-sentence (the published completions were
  cut at a token limit: the last character is not sentence punctuation, a bracket, a quote or a
  code fence; a list heading's colon, "7. Clean Up:", is no end) → defect, kind `truncated`
  (hard), or it holds one of the fixed boilerplate strings of `BOILERPLATE` ("as an ai", "is there
  anything else I can help"...) → defect, kind `boilerplate` (hard). Compliance with the 200
  unsafe contrast prompts is left out (whether such an answer is "clean" is the judge's business).

Label revision (once, before the screen was trained): the first version had ":" as an end and no
boilerplate kind; a look at the rules' disagreements on the tuning half showed list headings cut
at the limit and self-referential boilerplate labelled clean, so both criteria above were fixed
and applied to every row of both halves. The split did not change.

Split, fixed before any rule or screen was tuned: by source model (tune: gpt4, llama2orig,
mistralguard; test: llama2new, mistralinstruct) AND by prompt (first byte of the prompt's
SHA-256, odd → test); rows whose model and prompt fall in different halves are left out, so no
prompt and no model is in both halves.

    $ python benchmarks/filters/screen_corpus.py /path/to/exaggerated-safety/model_completions

This script does not label by any rule of s2s1 (the truncation test is the one stated above).
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent / "data" / "screen_corpus.jsonl"
MODELS = {
    "gpt4": "tune",
    "llama2orig": "tune",
    "mistralguard": "tune",
    "llama2new": "test",
    "mistralinstruct": "test",
}
URL = "https://github.com/paul-rottger/exaggerated-safety (model_completions/, CC-BY-4.0)"
_ENDED = re.compile(r"[.!?)\]\"'`*»”…]\s*\Z")
BOILERPLATE = (
    "as an ai",
    "as a language model",
    "as an artificial intelligence",
    "i'm just an ai",
    "i am an ai",
    "developed by openai",
    "i'm happy to help",
    "i am happy to help",
    "anything else i can help",
    "thank you for asking",
    "thank you for your question",
    "feel free to ask",
    "my training data",
    "hope this helps",
)


def prompt_half(prompt: str) -> str:
    return "test" if hashlib.sha256(prompt.encode("utf-8")).digest()[0] % 2 else "tune"


def label(row: dict) -> tuple[str, str, bool] | None:
    """(label, kind, hard) of one XSTest row, or None when it is left out."""
    final, text = row["final_label"], row["completion"]
    if final.startswith("2"):
        return "defect", "refusal", True
    if final.startswith("3"):
        return "soft", "partial_refusal", False
    if row["type"].startswith("contrast"):
        return None
    if not _ENDED.search(text.rstrip()):
        return "defect", "truncated", True
    if any(s in text.lower().replace("\u2019", "'") for s in BOILERPLATE):
        return "defect", "boilerplate", True
    return "clean", "clean", False


def main(folder: Path) -> None:
    rows = []
    for model, half in MODELS.items():
        with (folder / f"xstest_v2_completions_{model}.csv").open(encoding="utf-8") as f:
            for r in csv.DictReader(f):
                lab = label(r)
                if lab is None or prompt_half(r["prompt"]) != half or not r["completion"].strip():
                    continue
                rows.append(
                    {
                        "id": f"xstest-{model}-{r['id']}",
                        "source": f"xstest:{model}",
                        "split": half,
                        "label": lab[0],
                        "kind": lab[1],
                        "hard": lab[2],
                        "question": r["prompt"],
                        "text": r["completion"].strip(),
                        "finish_reason": "stop",
                        "why": r["type"],
                    }
                )
    tmp = OUT.with_suffix(".tmp")
    tmp.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    tmp.replace(OUT)
    print(f"{len(rows)} rows → {OUT} from {URL}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
