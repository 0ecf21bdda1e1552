"""`s2s1 deploy` and `s2s1 submit` (see `s2s1.flows.deploy`); `flows/cli.py` registers them."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def deploy(
    file: Annotated[Path, typer.Option(help="The prefect.yaml to deploy.")] = Path("prefect.yaml"),
    name: Annotated[
        list[str] | None, typer.Option(help="Deployment(s) to deploy (default: those on process pools).")
    ] = None,
) -> None:
    """Create the work pools prefect.yaml names, then deploy (server: PREFECT_API_URL)."""
    from s2s1.flows.deploy import deploy_all

    done = deploy_all(file, name)
    typer.echo("created/deployed: " + ", ".join(done))


def submit(
    config: Annotated[Path, typer.Argument(help="Experiment YAML file.")],
    deployment: Annotated[str, typer.Option(help="FLOW/DEPLOYMENT to run.")] = "s2s1-pipeline/pipeline",
    out: Annotated[Path | None, typer.Option(help="Run folder on the worker (default runs/<name>).")] = None,
    stages: Annotated[str | None, typer.Option(help="Comma-separated stages, e.g. verify,filter.")] = None,
) -> None:
    """Start a run of a deployment with CONFIG as its parameters; prints the flow run's id."""
    from s2s1.flows.deploy import submit as submit_run

    run_id = submit_run(config, deployment, out, stages.split(",") if stages else None)
    typer.echo(f"flow run {run_id} of {deployment} (`prefect flow-run inspect {run_id}`)")
