"""Renderers: turn domain results into a Rich table, JSON, CSV, Markdown or HTML.

Only the modules that draw with Rich import it; the rest stay light.
"""
