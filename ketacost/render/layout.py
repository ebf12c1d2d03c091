"""Page templates and style sheets, kept as package data files (``render/templates/``)
so a page's layout is edited as HTML and CSS, not as strings in code."""

from __future__ import annotations

from functools import cache
from importlib import resources
from string import Template


@cache
def template_text(name: str) -> str:
    """The text of ``render/templates/NAME`` (HTML or CSS), as shipped."""
    return (
        resources.files("ketacost.render").joinpath("templates", name).read_text(encoding="utf-8")
    )


def fill(name: str, **values: str) -> str:
    """The template ``NAME`` with every ``$placeholder`` filled; the values must already be
    escaped for HTML (a missing value is an error, not a blank)."""
    return Template(template_text(name)).substitute(values)
