"""`python -m s2s1.flows` runs the s2s1 CLI (the same as the `s2s1` command)."""

from s2s1.flows.cli import app

if __name__ == "__main__":
    app()
