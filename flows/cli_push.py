"""`s2s1 push RUN_DIR --repo-id ID`: the run's exported dataset and card to the Hub
(`s2s1.distill.push.push_dataset`); `flows/cli.py` registers it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def push(
    run_dir: Annotated[Path, typer.Argument(help="A run folder with an exported dataset/.")],
    repo_id: Annotated[str, typer.Option(help="Hub dataset repo, NAMESPACE/NAME.")],
    private: Annotated[
        bool, typer.Option(help="Create the repo private (an existing one keeps its setting).")
    ] = False,
) -> None:
    """Push RUN_DIR/dataset (parquet and card) to the Hub; needs HF_TOKEN or huggingface-cli login."""
    from s2s1.distill.push import push_dataset

    url = push_dataset(run_dir, repo_id, private)
    typer.echo(f"pushed {run_dir / 'dataset'} → {url}")
