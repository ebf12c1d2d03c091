"""The command line: a thin face on the domain core."""

from ketacost.cli.app import cli, main

__all__ = ["cli", "main"]
