"""``python -m ketacost``."""

from ketacost.cli import main

main()
