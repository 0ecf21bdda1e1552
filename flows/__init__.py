"""Prefect flows and the `s2s1` CLI: the only place that wires stages together.

`flows.pipeline.pipeline` runs the stages over a run folder; `flows.cli.app` is the command line.
"""
