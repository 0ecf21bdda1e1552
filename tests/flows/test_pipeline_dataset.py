"""A run whose problems come from a local GSM8K-style parquet file with a field mapping, through
every stage (fake teacher, tiny random student), so the `datasets` source is wired end to end."""

from __future__ import annotations

import json

import pandas as pd

from s2s1.config import load_config


def test_a_parquet_source_runs_through_all_stages(prefect_harness, tiny_model_dir, tmp_path):
    from s2s1.flows.pipeline import pipeline

    n = 12
    pd.DataFrame(
        {
            "problem": [f"What is {i} + {i + 1}?" for i in range(n)],
            "solution": [f"{i} + {i + 1} = {2 * i + 1}" for i in range(n)],
            "final": [str(2 * i + 1) for i in range(n)],  # the fake teacher boxes the gold verbatim
        }
    ).to_parquet(tmp_path / "gsm.parquet")
    (tmp_path / "c.yaml").write_text(
        "name: parquet\n"
        "problems:\n"
        "  sources: [{dataset: gsm.parquet, fields: {question: problem, answer: final}}]\n"
        "  eval_fraction: 0.3\n"
        f"generate: {{backend: fake, model: {tiny_model_dir}, shard_size: 4,"
        " sampling: {n: 4, max_tokens: 16}}\n"
        "verify: {workers: 1}\n"
        "train: {max_steps: 1, batch_size: 2}\n"
        "evaluate: {sampling: {n: 1, max_tokens: 8}}\n"
    )
    run_dir = tmp_path / "run"
    metrics = pipeline(load_config(tmp_path / "c.yaml"), run_dir=run_dir)
    traces = [
        json.loads(line) for p in sorted((run_dir / "verified").glob("shard-*.jsonl")) for line in p.open()
    ]
    assert traces and {t["problem"]["source"] for t in traces} == {str(tmp_path / "gsm.parquet")}
    assert all(t["problem"]["question"].startswith("What is") for t in traces)
    assert all(t["verdicts"]["math"]["outcome"] in ("correct", "incorrect", "unverifiable") for t in traces)
    assert metrics["verify"]["correct"] > 0 and (run_dir / "dataset").exists()
    assert all(
        t["problem"]["metadata"]["solution"].startswith(t["problem"]["question"][8:-1]) for t in traces
    )
    assert set(metrics) >= {"generate", "verify", "filter", "train", "evaluate"}
