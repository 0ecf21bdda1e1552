"""`s2s1 ablate RUN_DIR`: every filter of a run (and a quality scorer) against a matched random control.

The command reads the run's resolved config from `manifest.json`, checks its input before any
training (the run folder, the filter names, the scorer folder), calls
`s2s1.distill.ablate_run.run_ablation` (with `--stages`: `ablate_stages_run.run_stages`, the
arms of each pipeline stage), rewrites `report.md` with the "Filters vs random" table (and the
stages table) and prints it. `flows/cli.py` registers it. It does not rerun or change the run's own stages.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

__all__ = ["ablate", "run_config"]


def ablate(
    run_dir: Annotated[Path, typer.Argument(help="A finished run folder (filtered/, rejected/, eval/).")],
    scorer: Annotated[
        Path | None, typer.Option(help="A quality scorer folder (s2s1 quality train): add its arm.")
    ] = None,
    per_problem: Annotated[int, typer.Option(help="The scorer arm keeps the best k per problem.")] = 2,
    seeds: Annotated[int, typer.Option(help="Students per side and arm (train seeds seed..seed+n-1).")] = 1,
    filters: Annotated[str | None, typer.Option(help="Comma-separated filters (default: the run's).")] = None,
    embeddings: Annotated[bool, typer.Option(help="Embedding diversity (all-MiniLM-L6-v2 wheel).")] = True,
    stages: Annotated[
        bool,
        typer.Option(
            help="Instead: what each stage buys (untrained; pool; verified; verified + filters; "
            "same-size random subsets; answers only), --seeds training seeds each, resumable."
        ),
    ] = False,
) -> None:
    """Train a student on what each filter kept and one on a random subset of the same size and pool.

    With --stages: students on every teacher trace, on the verified ones, on the filtered ones, on
    matched random subsets of the pool and on the verified answers alone (distill/ablate_stages.py).
    """
    from s2s1.distill.ablate_run import run_ablation
    from s2s1.distill.report_ablate import ablate_section, render_stages
    from s2s1.errors import UserError

    manifest = Path(run_dir) / "manifest.json"
    try:
        cfg = run_config(json.loads(manifest.read_text(encoding="utf-8"))["config"])
    except (OSError, ValueError, KeyError, TypeError) as e:
        why = e.strerror if isinstance(e, OSError) else "no valid `config`"
        raise UserError(
            f"{manifest}: cannot read the run's config ({why}); give a folder `s2s1 run` wrote"
        ) from None
    if not any((Path(run_dir) / s).glob("shard-*.jsonl") for s in ("filtered", "rejected")):
        raise UserError(f"{run_dir}: no filtered/ or rejected/ shards; run the filter stage first")
    if not (Path(run_dir) / "problems" / "eval.jsonl").exists():
        raise UserError(
            f"{run_dir}/problems/eval.jsonl: missing; run the pipeline so it writes its held-out split"
        )
    names = filters.split(",") if filters else list(cfg.filter.filters)
    unknown = sorted(set(names) - set(cfg.filter.filters))
    if unknown:
        raise UserError(
            f"--filters: {', '.join(unknown)} did not run in {run_dir}; "
            f"choose from {', '.join(cfg.filter.filters)}"
        )
    if seeds < 1 or per_problem < 1:
        raise UserError("--seeds and --per-problem: must be 1 or more")
    if stages:
        from s2s1.distill.ablate_stages_run import run_stages

        summary = run_stages(Path(run_dir), cfg, seeds=seeds, log=typer.echo)
        _rewrite_report(Path(run_dir))
        typer.echo(render_stages(summary))
        typer.echo(f"students: {summary['cpu_hours']:.2f} CPU hours → {Path(run_dir) / 'ablate_stages.json'}")
        return
    quality = None
    if scorer is not None:
        from s2s1.filters.quality import load_scorer

        quality = load_scorer(scorer)
    embed = None
    if embeddings:
        from s2s1.filters.embed import embed, model_dir

        model_dir()  # the wheel is missing: one line now, not after the students are trained
    result = run_ablation(
        Path(run_dir),
        cfg,
        scorer=quality,
        per_problem=per_problem,
        seeds=seeds,
        filters=names,
        embed=embed,
        log=typer.echo,
    )
    _rewrite_report(Path(run_dir))
    typer.echo(ablate_section(Path(run_dir)))
    minutes = result["seconds"] / 60
    typer.echo(f"{len(result['arms'])} arms (students: {minutes:.1f} min) → {Path(run_dir) / 'ablate.json'}")


def run_config(data: dict[str, Any]) -> Any:
    """The run's Config from its manifest, leaving out keys this s2s1 no longer has (an older run)."""
    from pydantic import ValidationError

    from s2s1.config import Config

    data = json.loads(json.dumps(data))  # a copy to prune
    try:
        return Config.model_validate(data)
    except ValidationError as e:  # pydantic names every unknown key at once
        for err in e.errors():
            if err["type"] == "extra_forbidden":
                node = data
                for key in err["loc"][:-1]:
                    node = node[key]
                node.pop(err["loc"][-1], None)
    return Config.model_validate(data)


def _rewrite_report(run_dir: Path) -> None:
    """report.md again (now with the table), from the run's metrics.json, when the run has one."""
    from s2s1.distill.report import write_report

    path = run_dir / "metrics.json"
    if path.exists():
        metrics = json.loads(path.read_text(encoding="utf-8"))
        if "evaluate" in metrics:
            write_report(run_dir, metrics, metrics.get("train", {}).get("losses", []))
