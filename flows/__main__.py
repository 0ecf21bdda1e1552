"""`python -m flows` runs the s2s1 CLI (the same as the `s2s1` command)."""

from flows.cli import app

if __name__ == "__main__":
    app()
