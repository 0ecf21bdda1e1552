"""Prefect flows and the `s2s1` CLI: the only place that wires stages together.

`s2s1.flows.pipeline.pipeline` runs the stages over a run folder; `s2s1.flows.cli.app` is the command line.
"""
