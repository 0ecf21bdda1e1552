"""`s2s1 probe train|score`: activation probes on a run's traces (`s2s1.filters.probe`).

`train` reads a run's records with the scoring model (default: the run's teacher), fits a
logistic-regression probe at one layer on a label the run already has, and saves a probe folder
(weights + card.json with the AUROC on held-out problems). `score` scores every record of a run
with a probe folder into RUN_DIR/probe/scores-<label>.jsonl and prints the AUROC where the run
has the label (on all rows, which include the probe's own training rows when it is the same
run, and on the held-out half). Bad input is one line and exit 2. `flows/cli.py` registers
`app` as the `probe` command group. These commands do not change the run's shards.

Example:
    $ s2s1 probe train runs/quickstart --layer 27 --label verified --out runs/quickstart/probe/verified
    $ s2s1 probe score runs/quickstart --probe runs/quickstart/probe/verified
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from s2s1.errors import UserError
from s2s1.flows.cli_errors import user_errors as _user_errors

__all__ = ["app", "score", "train"]

app = typer.Typer(help="Activation probes on the teacher's hidden states.", no_args_is_help=True)


@app.command("train")
@_user_errors
def train(
    run_dir: Annotated[Path, typer.Argument(help="A run folder with verified/ or filtered/ shards.")],
    layer: Annotated[int, typer.Option(help="Hidden-state layer: 0 embeddings … N the last decoder layer.")],
    label: Annotated[
        str, typer.Option(help="verified (P(wrong answer)), rules or judge (P(dropped)).")
    ] = "verified",
    out: Annotated[
        Path | None, typer.Option(help="Probe folder (default RUN_DIR/probe/LABEL-L<layer>).")
    ] = None,
    model: Annotated[str | None, typer.Option(help="Scoring model (default: the run's teacher).")] = None,
    pool: Annotated[
        str, typer.Option(help="last (completion token) or mean (over completion tokens).")
    ] = "last",
    batch_size: Annotated[int, typer.Option(help="Records per forward pass.")] = 8,
) -> None:
    """Fit a probe on RUN_DIR's traces and save it with its card."""
    from s2s1.filters.probe_train import LABELS, train_probe

    if label not in LABELS:
        raise UserError(f"--label {label!r}: choose one of {', '.join(LABELS)}")
    if pool not in ("mean", "last"):
        raise UserError(f"--pool {pool!r}: choose mean or last")
    if not Path(run_dir).is_dir():
        raise UserError(f"{run_dir}: no such run folder; give a folder written by `s2s1 run`")
    out = out or Path(run_dir) / "probe" / f"{label}-L{layer}"
    card = train_probe(run_dir, layer=layer, label=label, out=out, model=model, pool=pool,  # type: ignore[arg-type]
                       batch_size=batch_size)  # fmt: skip
    low, high = card["auroc_ci95"]
    typer.echo(
        f"probe {label} at layer {layer}: {card['training_rows']} training rows, "
        f"AUROC {card['auroc_held_out']} [{low}, {high}] on {card['held_out_rows']} rows of "
        f"{card['held_out_problems']} held-out problems → {out}"
    )


@app.command("score")
@_user_errors
def score(
    run_dir: Annotated[Path, typer.Argument(help="A run folder with verified/ or filtered/ shards.")],
    probe: Annotated[Path, typer.Option(help="A probe folder from `s2s1 probe train`.")],
    model: Annotated[str | None, typer.Option(help="Scoring model (default: the probe card's).")] = None,
    threshold: Annotated[float | None, typer.Option(help="Count records scoring above this.")] = None,
    out: Annotated[
        Path | None, typer.Option(help="Scores file (default RUN_DIR/probe/scores-LABEL.jsonl).")
    ] = None,
) -> None:
    """Score every record of RUN_DIR with a probe; print the AUROC where the run has the label."""
    from s2s1.filters.probe import ProbeFilter
    from s2s1.filters.probe_train import auroc, held_out, labelled, run_records
    from s2s1.shards import write_jsonl

    scorer = ProbeFilter(probe, threshold=threshold, model=model)  # bad probe folders fail here
    records = run_records(run_dir)
    label = scorer.probe.card["label"]
    scores = scorer.scores(records)
    with_label, y = labelled(records, label)
    known = dict(zip((r.key for r in with_label), y, strict=True))
    out = out or Path(run_dir) / "probe" / f"scores-{label}.jsonl"
    write_jsonl(out, ({"key": r.key, "problem_id": r.problem.id, scorer.key: s, "label": known.get(r.key)}
                      for r, s in zip(records, scores, strict=True)))  # fmt: skip
    typer.echo(f"{len(records)} records scored ({scorer.states.tokens} tokens read) → {out}")
    if threshold is not None:
        typer.echo(f"  above {threshold}: {sum(s > threshold for s in scores)}")
    by_key = dict(zip((r.key for r in records), scores, strict=True))
    rows = [(by_key[r.key], label_, held_out(r.problem.id)) for r, label_ in zip(with_label, y, strict=True)]
    for name, part in (("all rows", rows), ("held-out problems", [t for t in rows if t[2]])):
        value = auroc([s for s, _, _ in part], [t for _, t, _ in part])
        typer.echo(f"  AUROC on {name} ({len(part)}): {value:.3f}")
