"""Activation probes on the embedded teacher: held-out AUROC with a CI, and compute vs the judge.

Reads a run folder (default `runs/probe-bench`, made by `s2s1 run benchmarks/probe/config.yaml
--stages generate,verify,filter`), reads every trace once with the run's teacher (all layers in
one teacher-forced pass), and:

1. chooses the layer and pooling on the **tuning half** of the problems only (3-fold CV by
   problem inside it), for the `verified` label (1 = the verifier said incorrect);
2. fits that probe on the tuning half and reports AUROC on the **held-out half** (problems split
   by `s2s1.filters.probe_train.held_out`, a hash of the id), with a 95% bootstrap CI over
   held-out problems; beside it two probe-free baselines on the same rows: the trace's generated
   token count, and `finish_reason == "length"`; the `rules` label likewise;
3. counts forward tokens: the probe's (prompt + completion, once per trace) against the
   constitution judge's (one prompt per trace and model-judged principle of the default
   constitution, with the `Answer:` prefix, as `JudgeFilter` sends them; the judge's explanation
   generation for flagged pairs and its per-principle content-free baseline are not counted, so
   the judge's figure is a floor); and times both on the first `--time N` traces in this process
   (judge: `TransformersGenerator.yes_probability`, the judge's own scoring call; probe:
   `HiddenStates.features`), batch 8 each.

    $ .venv/bin/python benchmarks/probe/run.py [RUN_DIR] [--time 48]

It does not retrain the teacher or change the run; it prints tables (README.md has them).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import torch

from s2s1.constitution import JUDGE_SYSTEM, judge_prompt, load_constitution
from s2s1.filters.hidden import HiddenStates
from s2s1.filters.probe_train import (
    _cv_auroc,
    auroc,
    bootstrap_auroc,
    choose_l2,
    fit_probe,
    held_out,
    labelled,
    run_model,
    run_records,
)  # fmt: skip
from s2s1.generators.prompts import build_messages
from s2s1.generators.transformers_backend import TransformersGenerator
from s2s1.records import Problem, Record


def _row(name: str, scores: list[float], y: list[int], groups: list[str]) -> str:
    low, high = bootstrap_auroc(scores, y, groups)
    return f"| {name} | {auroc(scores, y):.3f} | [{low:.3f}, {high:.3f}] |"


def main(run_dir: Path, n_time: int) -> None:
    model = run_model(run_dir)
    records = run_records(run_dir)
    states = HiddenStates(model, batch_size=8)
    layers = list(range(states.num_layers + 1))
    feats = states.pooled(records, layers, ("mean", "last"))
    probe_tokens = states.tokens  # one pass gives both poolings; one pass is what a probe costs
    keys = {r.key: i for i, r in enumerate(records)}
    pool, layer = "last", states.num_layers  # timed below when no label chooses them

    for label in ("verified", "rules"):
        rows, y = labelled(records, label)
        if len(set(y)) < 2:  # e.g. `rules` before the filter stage ran
            print(f"\n## label {label}: {len(y)} rows ({sum(y)} positive): not measured, needs both classes")
            continue
        idx = torch.tensor([keys[r.key] for r in rows])
        groups = [r.problem.id for r in rows]
        tune = torch.tensor([not held_out(g) for g in groups])
        tune_groups = [g for g, t in zip(groups, tune.tolist(), strict=True) if t]
        yt = torch.tensor(y)[tune]
        n_test = len(y) - int(tune.sum())
        print(f"\n## label {label}: {len(y)} rows ({sum(y)} positive), held-out {n_test} rows of "
              f"{len(set(groups) - set(tune_groups))} problems\n")  # fmt: skip
        cv = {}
        for pool in ("mean", "last"):
            for layer in layers[::3] if label == "verified" else []:
                x = feats[pool][layer, idx][tune]
                cv[(pool, layer)] = _cv_auroc(x, yt, tune_groups, choose_l2(x, yt, tune_groups))
        if cv:
            print("tuning-half CV AUROC by layer:", " ".join(
                f"{p}/L{layer}={a:.3f}" for (p, layer), a in sorted(cv.items())))  # fmt: skip
            pool, layer = max(cv, key=lambda k: cv[k])
        print(f"chosen on the tuning half: pool={pool}, layer={layer}\n")
        print("| scorer | AUROC (held-out problems) | 95% CI |\n|---|---|---|")
        probe = fit_probe(feats[pool][layer, idx], y, groups, {"label": label})
        card = probe.card
        test = [i for i, t in enumerate(tune.tolist()) if not t]
        ty, tg = [y[i] for i in test], [groups[i] for i in test]
        low, high = card["auroc_ci95"]
        print(f"| probe {pool}/L{layer} ({card['training_rows']} training rows) "
              f"| {card['auroc_held_out']:.3f} | [{low:.3f}, {high:.3f}] |")  # fmt: skip
        print(_row("generated tokens (no probe)", [rows[i].trace.num_tokens for i in test], ty, tg))
        print(
            _row(
                "finish_reason = length",
                [float(rows[i].trace.finish_reason == "length") for i in test],
                ty,
                tg,
            )
        )
        print(f"(tuning-half AUROC of the same probe, in-sample: "
              f"{auroc(probe.score(feats[pool][layer, idx][tune]).tolist(), yt.tolist()):.3f})")  # fmt: skip

    principles = [p for p in load_constitution().principles if not p.check]
    judge = TransformersGenerator(model, system_prompt=JUDGE_SYSTEM, few_shot=False, batch_size=8)
    judge._load()
    tok = judge._tok

    def judge_problems(rs: list[Record]) -> list[Problem]:
        return [Problem(id=f"j{i}", source="judge", question=judge_prompt(p, r.trace.completion))
                for i, r in enumerate(rs) for p in principles]  # fmt: skip

    def n_tokens(p: Problem) -> int:
        text = tok.apply_chat_template(build_messages(p, JUDGE_SYSTEM, False), add_generation_prompt=True,
                                       tokenize=False) + "Answer:"  # fmt: skip
        return len(tok(text, add_special_tokens=False)["input_ids"])

    judge_tokens = sum(n_tokens(p) for p in judge_problems(records))
    print(f"\n## compute over {len(records)} traces, {len(principles)} model-judged principles\n")
    print("| scorer | forward passes | forward tokens | ratio |\n|---|---|---|---|")
    n_judge = len(records) * len(principles)
    print(f"| judge (answer token, no explanations) | {n_judge} | {judge_tokens} | 1.00 |")
    print(f"| probe (one layer read) | {len(records)} | {probe_tokens} | {probe_tokens / judge_tokens:.3f} |")
    subset = records[:n_time]
    t0 = time.perf_counter()
    judge.yes_probability(judge_problems(subset), prefix="Answer:")
    t_judge = time.perf_counter() - t0
    t0 = time.perf_counter()
    states.features(subset, [layer], pool)
    t_probe = time.perf_counter() - t0
    print(f"\ntimed on {len(subset)} traces, this process: judge {t_judge:.1f} s, probe {t_probe:.1f} s, "
          f"probe/judge {t_probe / t_judge:.3f}")  # fmt: skip


if __name__ == "__main__":
    args = sys.argv[1:]
    n = int(args[args.index("--time") + 1]) if "--time" in args else 48
    rest = [a for i, a in enumerate(args) if a != "--time" and (i == 0 or args[i - 1] != "--time")]
    main(Path(rest[0]) if rest else Path("runs/probe-bench"), n)
