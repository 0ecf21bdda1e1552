"""The `s2s1` command line (design §5).

Commands are thin: load a config or a file, call a flow or a stage, print a short summary. A user
error (an OSError too: `PATH: REASON`) prints one line and exits 2 without a traceback; 0 is
success, 1 a check that ran and failed, 130 stopped by Ctrl-C or SIGTERM. Prefect needs no
server: without `PREFECT_API_URL` `s2s1 run` starts a temporary local one that ends with it
(flows/server.py), with telemetry off; one run at a time holds a run folder (flows/run_folder.py).

Example:
    $ s2s1 quickstart --out runs/quickstart
    $ s2s1 run configs/quickstart.yaml --stages verify,filter
    $ s2s1 verify rows.jsonl -o verdicts.jsonl
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path
from typing import Annotated, Any

import typer

from s2s1.distill.summary import summary
from s2s1.errors import UserError
from s2s1.flows import cli_ablate, cli_deploy, cli_probe, cli_quality, cli_rows
from s2s1.flows.cli_errors import user_errors as _user_errors
from s2s1.flows.cli_push import push
from s2s1.flows.cli_reverify import reverify

os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")

__all__ = ["app"]

app = typer.Typer(
    help="Turn a teacher's verified reasoning into training data for fast students.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
verifiers_app = typer.Typer(help="Installed verifier plugins.", no_args_is_help=True)
app.add_typer(verifiers_app, name="verifiers")
adapters_app = typer.Typer(help="Constitution adapters (docs/adapters.md).", no_args_is_help=True)
app.add_typer(adapters_app, name="adapters")


@app.command()
@_user_errors
def quickstart(
    out: Annotated[Path, typer.Option(help="Run folder.")] = Path("runs/quickstart"),
    ablate: Annotated[bool, typer.Option(help="Then each filter against a random control.")] = True,
) -> None:
    """The whole pipeline on the embedded default (SmolLM2-135M teacher, CPU, a few minutes), then
    `s2s1 ablate` on it for the report's "Filters vs random" table (a few minutes more)."""
    from s2s1.config import load_config

    with resources.as_file(resources.files("s2s1.configs") / "quickstart.yaml") as path:
        cfg = load_config(path)
    _run_pipeline(cfg, out, None)
    if ablate:
        cli_ablate.ablate(out)
    else:
        typer.echo(f"next: s2s1 ablate {out}  (each filter against a random control; several minutes)")


@app.command()
@_user_errors
def run(
    config: Annotated[Path, typer.Argument(help="Experiment YAML file.")],
    out: Annotated[Path | None, typer.Option(help="Run folder (default runs/<name>).")] = None,
    stages: Annotated[str | None, typer.Option(help="Comma-separated stages, e.g. verify,filter.")] = None,
    set_: Annotated[
        list[str] | None,
        typer.Option(
            "--set", help="KEY=VALUE override of a config key, e.g. generate.sampling.n=8 (repeatable)."
        ),
    ] = None,
) -> None:
    """The pipeline from a YAML config, or some of its stages, over a run folder."""
    from s2s1.config import load_config

    cfg = load_config(config, set_ or [])
    _run_pipeline(cfg, out or Path("runs") / cfg.name, stages.split(",") if stages else None)


@verifiers_app.command("list")
@_user_errors
def verifiers_list() -> None:
    """Installed verifiers: name, package, version, domains."""
    from s2s1.verifiers.registry import installed

    for info in installed():
        typer.echo(f"{info.name:<16} {info.package:<24} {info.version:<10} {', '.join(sorted(info.domains))}")


@verifiers_app.command("new")
@_user_errors
def verifiers_new(
    name: Annotated[str, typer.Argument(help="The verifier's name (and entry-point name), e.g. units.")],
    out: Annotated[Path, typer.Option(help="Folder to create the package in.")] = Path("."),
) -> None:
    """Scaffold a verifier plugin package (see docs/plugins.md)."""
    from s2s1.verifiers.scaffold import new_plugin

    root = new_plugin(name, out)
    typer.echo(f"wrote {root}; next: pip install -e {root} && pytest {root}/tests")


@adapters_app.command("train")
@_user_errors
def adapters_train(
    constitution: Annotated[Path, typer.Argument(help="Markdown constitution to distil into an adapter.")],
    config: Annotated[
        Path | None, typer.Option(help="Experiment YAML (default: configs/adapter.yaml).")
    ] = None,
    out: Annotated[Path | None, typer.Option(help="Run folder (default runs/adapter-<name>).")] = None,
) -> None:
    """Train a LoRA adapter that answers by CONSTITUTION without it in the prompt."""
    from s2s1.config import load_config
    from s2s1.constitution import load_constitution

    load_constitution(constitution)  # a bad file fails here, before anything starts
    with resources.as_file(resources.files("s2s1.configs") / "adapter.yaml") as default:
        cfg = load_config(config or default)
    if cfg.export.mode != "context":
        raise UserError(f"{config}: export.mode must be context to train a constitution adapter")
    filter_cfg = cfg.filter.model_copy(update={"constitution": constitution.resolve()})
    cfg = cfg.model_copy(update={"name": f"adapter-{constitution.stem}", "filter": filter_cfg})
    _run_pipeline(cfg, out or Path("runs") / cfg.name, None)


@adapters_app.command("compare")
@_user_errors
def adapters_compare(
    adapters: Annotated[list[Path], typer.Argument(help="Adapter folders, or the run folders holding them.")],
    config: Annotated[
        Path | None, typer.Option(help="Experiment YAML (default: configs/adapter.yaml).")
    ] = None,
    out: Annotated[Path, typer.Option(help="Where to write the results (JSON).")] = Path(
        "runs/adapters.json"
    ),
) -> None:
    """Base, base with each constitution in the prompt, and base with each adapter, side by side."""
    from s2s1.config import load_config
    from s2s1.distill.adapters import compare_adapters, held_out_problems
    from s2s1.distill.report import adapter_table
    from s2s1.shards import write_json

    with resources.as_file(resources.files("s2s1.configs") / "adapter.yaml") as default:
        cfg = load_config(config or default)
    folders = [a / "student" if (a / "student" / "adapter.json").exists() else a for a in adapters]
    problems = held_out_problems(cfg, folders)[: cfg.evaluate.max_problems]
    result = compare_adapters(cfg, folders, problems, out.with_name(out.stem + ".judge-cache.jsonl"))
    write_json(out, result)
    typer.echo(adapter_table(result) + f"\nresults: {out}")


def _run_pipeline(cfg: Any, out: Path, stages: list[str] | None) -> None:
    """Check everything that can be checked before the run folder is made and Prefect starts, then
    run the flow under the run-folder lock with a Prefect server that ends with this command."""
    from s2s1.flows import run_folder
    from s2s1.flows.manifest import check_run_folder
    from s2s1.flows.pipeline import check_inputs, pipeline
    from s2s1.flows.server import prefect_server

    check_inputs(cfg, stages)
    run_folder.preflight(cfg)
    check_run_folder(cfg, out)
    with run_folder.lock(out):
        run_folder.tidy(out)
        with prefect_server():
            metrics = pipeline(cfg, run_dir=out, stages=stages)
    typer.echo(summary(metrics, out))


app.command()(_user_errors(cli_rows.verify))
app.command("filter")(_user_errors(cli_rows.filter_))
app.command()(_user_errors(reverify))
app.command()(_user_errors(cli_deploy.deploy))
app.command()(_user_errors(cli_deploy.submit))
app.command()(_user_errors(push))
app.add_typer(cli_quality.app, name="quality")
app.command()(_user_errors(cli_ablate.ablate))
app.add_typer(cli_probe.app, name="probe")
