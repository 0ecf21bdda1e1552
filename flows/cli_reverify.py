"""`s2s1 reverify RUN_DIR`: re-score a run's stored traces with the verifiers installed now.

The command checks its input (the run folder, the verifier names) before writing, then calls
`s2s1.flows.reverify.reverify_run` and prints a few lines; `flows/cli.py` registers it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def reverify(
    run_dir: Annotated[Path, typer.Argument(help="A run folder with verified/ shards.")],
    verifier: Annotated[
        list[str] | None,
        typer.Option(help="Verifier name(s); default: every installed one for the run's domains."),
    ] = None,
    workers: Annotated[int, typer.Option(help="Worker processes.")] = 2,
) -> None:
    """Re-score a run's traces with today's verifiers into RUN_DIR/reverify/; the originals stay."""
    from s2s1.errors import UserError
    from s2s1.flows.reverify import reverify_run, verified_shards
    from s2s1.records import Record
    from s2s1.shards import read_models
    from s2s1.verifiers import load_verifiers
    from s2s1.verifiers.registry import installed

    shards = verified_shards(run_dir)
    if not verifier:
        domains = {r.problem.domain for shard in shards for r in read_models(shard, Record)}
        verifier = [i.name for i in installed() if i.domains & domains]
        if not verifier:
            have = ", ".join(f"{i.name} ({', '.join(sorted(i.domains))})" for i in installed()) or "none"
            raise UserError(
                f"{run_dir}: no installed verifier handles domain(s) {', '.join(sorted(domains))} "
                f"(installed: {have}); install one or pass --verifier NAME"
            )
    verifiers = load_verifiers(verifier)  # an unknown name fails here, before anything is written
    result = reverify_run(run_dir, verifiers, workers=workers)
    typer.echo(f"{result['records']} records re-scored → {run_dir / 'reverify'}; {result['flipped']} flipped")
    for row in result["flips"]:
        typer.echo(
            f"  {row['verifier']} {row['old_version']} → {row['new_version']}: "
            f"{row['old_outcome']} → {row['new_outcome']}  {row['count']}"
        )
