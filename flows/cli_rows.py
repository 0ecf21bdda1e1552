"""`s2s1 verify` and `s2s1 filter`: the verify and filter stages over flat JSON-lines rows.

Each command checks `-o` before any work, streams the rows, appends each row with its verdict or
decision to `OUT.partial` as it is done, renames that to `OUT` at the end, and prints one line of
counts; a killed run, rerun with the same arguments, resumes after the rows already written
(flows/rows_output.py). A line that is not UTF-8 or not JSON gets an error verdict (a drop
decision) naming its line; the other rows go on. `flows/cli.py` registers them; this module
holds no Typer app of its own and touches no run folder.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Annotated, Any

import typer

from s2s1.errors import UserError


def verify(
    input: Annotated[Path, typer.Argument(help="Flat rows: problem fields + completion or prediction.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="Where to write rows with verdicts.")],
    verifier: Annotated[
        list[str] | None,
        typer.Option(help="Verifier name(s); default: every installed one for the rows' domains."),
    ] = None,
    timeout: Annotated[
        float | None,
        typer.Option(help="Seconds per check, for every verifier (default: each verifier's own, else 5)."),
    ] = None,
    workers: Annotated[int, typer.Option(help="Worker processes.")] = 2,
) -> None:
    """Batch-verify flat rows; each output row repeats the input and adds `verdict`."""
    from s2s1.flows.rows_output import RowsOutput, read_rows
    from s2s1.verifiers import load_verifiers, verify_rows

    out = RowsOutput(output, added=("verdict", "verdicts"), tally=lambda r: r["verdict"]["outcome"])
    verifiers = load_verifiers(verifier or _names_for(read_rows(input), input))
    rows = out.remaining(read_rows(input), input)
    for row in verify_rows(rows, verifiers, path=input, timeout_s=timeout, workers=workers):
        out.write(row)
    out.finish()
    counts = ", ".join(f"{k} {v}" for k, v in sorted(out.counts.items()))
    typer.echo(f"{out.total} rows → {output}: {counts}")


def _names_for(rows: Iterable[tuple[int, dict[str, Any]]], path: Path) -> list[str]:
    """Every installed verifier whose domains meet the rows' domains (one streaming pass); one line
    if none does."""
    from s2s1.verifiers.registry import installed

    infos = installed()
    domains = {d for _, r in rows if isinstance(d := r.get("domain", "math"), str)}
    names = [i.name for i in infos if i.domains & domains]
    if domains and not names:
        have = ", ".join(f"{i.name} ({', '.join(sorted(i.domains))})" for i in infos) or "none"
        raise UserError(
            f"{path}: no installed verifier handles domain(s) {', '.join(sorted(domains))}; "
            f"installed: {have}; install a plugin for them (docs/plugins.md)"
        )
    return names or [i.name for i in infos][:1]


def filter_(
    input: Annotated[Path, typer.Argument(help="Flat rows: problem fields + completion.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="Where to write rows with decisions.")],
    constitution: Annotated[
        Path | None,
        typer.Option(help="Also judge kept rows against this Markdown constitution (embedded judge model)."),
    ] = None,
    screen: Annotated[
        bool, typer.Option(help="Also run the learned screen (filters/screen.py; needs the MiniLM wheel).")
    ] = False,
) -> None:
    """Batch-screen flat rows with the rules filter (and a --constitution judge); each row adds `decision`."""
    from s2s1.config import FilterConfig
    from s2s1.filters import build_judge, filter_rows
    from s2s1.flows.rows_output import RowsOutput, read_rows

    out = RowsOutput(
        output, added=("decision",), tally=lambda r: "kept" if r["decision"]["keep"] else "dropped"
    )
    judge = None
    if constitution is not None:  # judgements are cached beside the output, keyed per principle
        cache = output.with_name(output.name + ".judge-cache.jsonl")
        judge = build_judge(FilterConfig(constitution=constitution), cache)
    for row in filter_rows(out.remaining(read_rows(input), input), path=input, judge=judge, screen=screen):
        out.write(row)
    out.finish()
    kept = out.counts["kept"]
    typer.echo(f"{out.total} rows → {output}: kept {kept}, dropped {out.total - kept}")
