"""Prefect flows and the `s2s1` CLI: the only place that wires stages together.

`pipeline` runs the stages over a run folder; `flows.cli.app` is the command line.
"""

__all__ = ["pipeline"]


def __getattr__(name: str):  # import Prefect only when the flow is asked for
    if name == "pipeline":
        from flows.pipeline import pipeline

        return pipeline
    raise AttributeError(name)
