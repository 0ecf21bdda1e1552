"""Stage time, peak memory and stage/CLI ratios of `s2s1 run` at growing trace counts (issue 25).

For each size N (traces), with the `fake` teacher (generation costs next to nothing), it runs

    python -m s2s1.flows run CONFIG --out RUN --stages generate,verify,filter,export

then, on the same rows, `s2s1 verify` (traces/ as flat rows) and `s2s1 filter` (verified/ as
flat rows), and records per-stage wall time (the run's timings.json), each command's wall time,
the peak RSS of its whole process tree (psutil, sampled every 0.2 s: the Prefect server and the
verifier workers included) and of its main process. `--baseline DIR` runs the same against an
older checkout (a `git worktree`), imported through a sitecustomize that maps the `s2s1`
packages to DIR, so both sides run in one invocation on the same machine and are reported as
ratios. Results go to OUT/results.jsonl; the table goes to stdout.

The filter CLI runs only the rules filter; the filter stage runs verified, rules, decontam and
dedup on every shard and then the diversity guard once over the run, so the table shows the
stage beside the CLI and the guard on its own line. Nothing here asserts a speed.

Example:
    python benchmarks/scale/run.py 2000 8000 --out /tmp/scale --baseline /tmp/s2s1-base
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import psutil

from benchmarks.scale.table import print_table

ROOT = Path(__file__).resolve().parents[2]
STAGES = "generate,verify,filter,export"
SAMPLES = 4  # n per problem
EVAL_FRACTION = 0.25


def config_text(size: int, embeddings: bool = True) -> str:
    """A quickstart-like config whose training problems × n is about `size` traces.

    `embeddings=False` turns off the guard's MiniLM embedding (the slowest part on a busy CPU),
    for memory-scaling runs at sizes the embedding makes too long; the table marks such rows.
    """
    problems = round(size / SAMPLES / (1 - EVAL_FRACTION))
    return f"""name: scale-{size}
problems:
  sources: [{{builtin: arithmetic, limit: {problems}}}]
  eval_fraction: {EVAL_FRACTION}
  seed: 0
generate:
  backend: fake
  model: fake-teacher
  sampling: {{n: {SAMPLES}, temperature: 0.7, top_p: 0.95, max_tokens: 96, seed: 0}}
  shard_size: 24
verify: {{verifiers: [math], timeout_s: 5, workers: 2}}
filter: {{filters: [verified, rules, decontam, dedup], diversity_embeddings: {str(embeddings).lower()}}}
export: {{mode: reasoning, max_per_problem: 4}}
"""


def measure(cmd: list[str], env: dict[str, str], log: Path) -> dict[str, float]:
    """Run `cmd`; its wall time and the peak RSS (MB) of its process tree and of its main process."""
    start = time.perf_counter()
    with log.open("w") as out:
        proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)
        main = psutil.Process(proc.pid)
        tree_peak = main_peak = 0
        while proc.poll() is None:
            try:
                procs = [main, *main.children(recursive=True)]
                rss = [p.memory_info().rss for p in procs if p.is_running()]
                tree_peak, main_peak = max(tree_peak, sum(rss)), max(main_peak, rss[0])
            except psutil.Error:
                pass
            time.sleep(0.2)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed (exit {proc.returncode}); see {log}")
    return {
        "wall_s": round(wall, 2),
        "tree_rss_mb": round(tree_peak / 2**20),
        "main_rss_mb": round(main_peak / 2**20),
    }


def as_rows(folder: Path, out: Path) -> int:
    """The stage folder's records as flat rows (`s2s1 verify`/`filter` input); how many."""
    count = 0
    with out.open("w") as f:
        for shard in sorted(folder.glob("shard-*.jsonl")):
            for line in shard.read_text().splitlines():
                r = json.loads(line)
                p, t = r["problem"], r["trace"]
                completion = (f"<think>{t['reasoning']}</think>" if t.get("reasoning") else "") + t[
                    "response"
                ]
                row = {"id": p["id"], "domain": p["domain"], "question": p["question"], "answer": p["answer"]}
                f.write(json.dumps({**row, "completion": completion}) + "\n")
                count += 1
    return count


def bench(size: int, label: str, checkout: Path | None, out: Path, embeddings: bool = True) -> dict[str, Any]:
    """One size on one side (this checkout, or `checkout` as the baseline)."""
    label = label if embeddings else f"{label} (no embedding)"
    work = out / f"{label.split()[0]}-{size}{'' if embeddings else '-noemb'}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    env = {**os.environ, "PREFECT_HOME": str(out / f"prefect-{label.split()[0]}"), "PYTHONUNBUFFERED": "1"}
    env.setdefault(
        "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "300"
    )  # a busy machine: old main's 20 s fails
    if checkout is not None:
        env["PYTHONPATH"] = str(baseline_site(checkout, out))
    (work / "config.yaml").write_text(config_text(size, embeddings))
    cli = [sys.executable, "-m", "s2s1.flows"]
    result: dict[str, Any] = {"label": label, "size": size}
    result["run"] = measure(
        [*cli, "run", str(work / "config.yaml"), "--out", str(work / "run"), "--stages", STAGES],
        env,
        work / "run.log",
    )
    result["stages_s"] = json.loads((work / "run" / "timings.json").read_text())
    result["traces"] = as_rows(work / "run" / "traces", work / "traces.jsonl")
    as_rows(work / "run" / "verified", work / "verified.jsonl")
    result["cli_verify"] = measure(
        [*cli, "verify", str(work / "traces.jsonl"), "-o", str(work / "v.out.jsonl"), "--workers", "2"],
        env,
        work / "verify.log",
    )
    result["cli_filter"] = measure(
        [*cli, "filter", str(work / "verified.jsonl"), "-o", str(work / "f.out.jsonl")],
        env,
        work / "filter.log",
    )
    result["rerun"] = measure(
        [*cli, "run", str(work / "config.yaml"), "--out", str(work / "run"), "--stages", STAGES],
        env,
        work / "rerun.log",
    )
    diversity = work / "run" / "diversity.json"
    result["diversity"] = json.loads(diversity.read_text()) if diversity.exists() else None
    for name in ("traces", "verified", "filtered", "rejected"):  # keep the numbers, not the GBs
        shutil.rmtree(work / "run" / name, ignore_errors=True)
    for rows in work.glob("*.jsonl"):
        rows.unlink()
    return result


def baseline_site(checkout: Path, out: Path) -> Path:
    """A PYTHONPATH folder whose sitecustomize imports the `s2s1` packages from `checkout`."""
    import importlib.util

    site = out / "baseline-site"
    site.mkdir(parents=True, exist_ok=True)
    spec = importlib.util.find_spec("__editable___s2s1_0_1_0_finder")
    if spec is None or spec.origin is None:
        raise SystemExit("--baseline needs s2s1 installed editable (pip install -e .)")
    text = Path(spec.origin).read_text().replace(f"'{ROOT}/", f"'{checkout.resolve()}/")
    (site / "s2s1_base_finder.py").write_text(text)
    (site / "sitecustomize.py").write_text(
        "import sys\nimport s2s1_base_finder\nsys.meta_path.insert(0, s2s1_base_finder._EditableFinder)\n"
    )
    return site


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sizes", nargs="*", type=int, help="trace counts, e.g. 2000 8000 32000 128000")
    parser.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "s2s1-scale")
    parser.add_argument(
        "--baseline", type=Path, help="an older checkout (git worktree) to run beside this one"
    )
    parser.add_argument("--only", choices=["new", "baseline"], help="run one side only")
    parser.add_argument("--no-embeddings", action="store_true", help="guard without MiniLM (memory runs)")
    parser.add_argument("--table", action="store_true", help="print the table of OUT/results.jsonl and exit")
    args = parser.parse_args()
    if not args.sizes and not args.table:
        parser.error("give the trace counts to run (e.g. 2000 8000), or --table")
    results = args.out / "results.jsonl"
    if not args.table:
        args.out.mkdir(parents=True, exist_ok=True)
        sides = [("new", None)] + ([("baseline", args.baseline)] if args.baseline else [])
        for size in args.sizes:
            for label, checkout in sides:
                if args.only in (None, label):
                    row = bench(size, label, checkout, args.out, embeddings=not args.no_embeddings)
                    with results.open("a") as f:
                        f.write(json.dumps(row) + "\n")
                    print(
                        f"{label} {size}: run {row['run']['wall_s']} s, {row['run']['tree_rss_mb']} MB",
                        flush=True,
                    )
    print_table([json.loads(line) for line in results.read_text().splitlines()])


if __name__ == "__main__":
    main()
