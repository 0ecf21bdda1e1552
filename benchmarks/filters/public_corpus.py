"""Build `data/public_corpus.jsonl`: two more public sets of real model answers, labelled, split
by source before any filter result was looked at.

Sources (both MIT, shipped with attribution in `data/README.md`):

- `coconot`: CoCoNot's preference set (Brahman et al., "The Art of Saying No", NeurIPS 2024
  D&B; https://github.com/allenai/noncompliance, `data/coconot_pref.jsonl`, MIT): GPT-4's
  `chosen` answers to 927 contrast prompts, benign requests that look sensitive ("How can I kill
  time during a long flight?"), picked by the authors as the compliant answer → clean, unless the
  text stops mid-sentence (`truncated`), holds one of XSTest's `BOILERPLATE` strings
  (`boilerplate`) or a knowledge-cutoff remark of `CUTOFF` (`cutoff`; issue 24 counts these as
  defects) → hard defect. The `rejected` answers are left out: they are a mix of over-refusals
  and merely worse answers, with no per-row label saying which.
- `jbb`: JailbreakBench's attack artifacts (Chao et al. 2024; https://github.com/JailbreakBench/
  artifacts, `attack-artifacts/<method>/<kind>/<model>.json`, MIT): answers of four chat models
  to the 100 JBB-Behaviors under five attacks, cut at 150 tokens, each judged by the benchmark's
  Llama-3-70B judge (`jailbroken`) and by Llama Guard (`jailbroken_llama_guard1`). An answer both
  judges call not jailbroken → hard defect `refusal` (a model declining; the judges are automatic,
  and some such answers deflect rather than decline: see the audit in README.md); a jailbroken
  answer is left out (whether harmful compliance is "clean" is the judge's business, as for
  XSTest's contrast prompts); a missing answer is left out.

Split, fixed here before any filter ran on these rows: `coconot` by prompt (XSTest's
`prompt_half`: first byte of the prompt's SHA-256, odd → test); `jbb` by target model (tune:
llama-2-7b-chat-hf, gpt-3.5-turbo-1106; test: vicuna-13b-v1.5, gpt-4-0125-preview) AND by
behaviour (`prompt_half` of the JBB goal), rows whose two halves differ left out, so no model and
no behaviour is in both halves. An answer a source gives twice word for word ("I'm sorry, but I
can't fulfill this request.") is kept once.

    $ python benchmarks/filters/public_corpus.py /path/to/noncompliance /path/to/artifacts

Each path is a checkout (or a git directory: files are read with `git show HEAD:<path>`).
No rule of s2s1 labels a row.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from screen_corpus import _ENDED, BOILERPLATE, prompt_half  # noqa: E402

OUT = Path(__file__).resolve().parent / "data" / "public_corpus.jsonl"
JBB_MODELS = {
    "llama-2-7b-chat-hf": "tune",
    "gpt-3.5-turbo-1106": "tune",
    "vicuna-13b-v1.5": "test",
    "gpt-4-0125-preview": "test",
}
CUTOFF = (
    "as of my last update",
    "as of my last knowledge update",
    "as of my latest update",
    "as of my latest knowledge update",
    "as of my most recent update",
    "as of my knowledge cutoff",
    "my knowledge cutoff",
    "as of my last training",
    "my training data only goes",
    "i don't have real-time",
    "i do not have real-time",
)


def _read(repo: Path, path: str) -> str:
    if (repo / path).is_file():
        return (repo / path).read_text(encoding="utf-8")
    git = ["git", "-C", str(repo), "show", f"HEAD:{path}"]
    return subprocess.run(git, capture_output=True, text=True, check=True).stdout


def _files(repo: Path, under: str) -> list[str]:
    git = ["git", "-C", str(repo), "ls-tree", "-r", "--name-only", "HEAD", under]
    return sorted(subprocess.run(git, capture_output=True, text=True, check=True).stdout.split())


def compliant_label(text: str) -> tuple[str, str, bool]:
    """(label, kind, hard) of an answer its source calls compliant."""
    low = text.lower().replace("\u2019", "'")
    if not _ENDED.search(text.rstrip()):
        return "defect", "truncated", True
    if any(s in low for s in BOILERPLATE):
        return "defect", "boilerplate", True
    if any(s in low for s in CUTOFF):
        return "defect", "cutoff", True
    return "clean", "clean", False


def _row(rid: str, source: str, half: str, lab: tuple, question: str, text: str, why: str) -> dict:
    return {
        "id": rid,
        "source": source,
        "split": half,
        "label": lab[0],
        "kind": lab[1],
        "hard": lab[2],
        "question": question,
        "text": text.strip(),
        "finish_reason": "stop",
        "why": why,
    }


def coconot(repo: Path) -> list[dict]:
    rows = []
    for line in _read(repo, "data/coconot_pref.jsonl").splitlines():
        r = json.loads(line)
        if r["chosen"].strip():
            lab = compliant_label(r["chosen"])
            why = f"{r['category']} / {r['subcategory']}"
            half = prompt_half(r["prompt"])
            rows.append(_row(f"coconot-{r['id']}", "coconot:gpt-4", half, lab, r["prompt"], r["chosen"], why))
    return rows


def jbb(repo: Path) -> list[dict]:
    rows = []
    for path in _files(repo, "attack-artifacts"):
        if "test-artifact" in path or path.count("/") != 3:
            continue
        data = json.loads(_read(repo, path))
        model, method = data["parameters"]["model"], data["parameters"]["method"]
        for j in data["jailbreaks"]:
            text = j["response"] or ""
            half = JBB_MODELS.get(model)
            if not text.strip() or j["jailbroken"] or j.get("jailbroken_llama_guard1"):
                continue
            if half is None or prompt_half(j["goal"]) != half:
                continue
            lab = ("defect", "refusal", True)
            rid = f"jbb-{method}-{model}-{j['index']}"
            rows.append(_row(rid, f"jbb:{model}", half, lab, j["prompt"] or j["goal"], text, method))
    return rows


def main(noncompliance: Path, artifacts: Path) -> None:
    rows, seen = [], set()
    for r in coconot(noncompliance) + jbb(artifacts):
        if (r["source"], r["text"]) not in seen:  # the same answer twice measures nothing new
            seen.add((r["source"], r["text"]))
            rows.append(r)
    tmp = OUT.with_suffix(".tmp")
    tmp.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    tmp.replace(OUT)
    print(f"{len(rows)} rows → {OUT}")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
