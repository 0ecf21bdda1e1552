"""`s2s1 quality train RUN_DIR --out DIR`: train a quality scorer on a run's preference pairs.

The command calls `s2s1.filters.quality_train.train_scorer` and prints the card's figures;
`flows/cli.py` registers the group (`app`). It does not filter the run: a trained scorer is used
by `QualityFilter` or by `s2s1 ablate --scorer`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from s2s1.flows.cli_errors import user_errors

__all__ = ["app", "train"]


def train(
    run_dir: Annotated[Path, typer.Argument(help="A run folder with filtered/ and rejected/ shards.")],
    out: Annotated[Path, typer.Option(help="Scorer folder to write (scorer.json + README.md card).")],
    model: Annotated[
        str | None, typer.Option(help="Model whose hidden states are read (default: the run's teacher).")
    ] = None,
    layer: Annotated[int, typer.Option(help="Hidden-state layer (0: embeddings, -1: last).")] = -1,
) -> None:
    """Train a quality scorer: verified traces against wrong or rejected ones of the same problem."""
    from s2s1.errors import UserError
    from s2s1.filters.quality_train import train_scorer

    if not Path(run_dir).is_dir():
        raise UserError(f"{run_dir}: not a run folder; give the folder `s2s1 run` wrote")
    info = train_scorer(run_dir, out, model=model, layer=layer)
    c = info["card"]
    typer.echo(f"quality scorer → {out} ({info['base_model']}, layer {info['layer']})")
    for name in ("tune", "test"):
        a = c[f"{name}_accuracy"]
        typer.echo(
            f"  {name}: {c['pairs'][name]} pairs, {c['problems'][name]} problems, "
            f"pairwise accuracy {a['accuracy']:.3f} [{a['ci95'][0]:.3f}, {a['ci95'][1]:.3f}]"
        )


app = typer.Typer(help="The quality scorer (filters/quality.py).", no_args_is_help=True)
app.command("train")(user_errors(train))
