"""Superbills and the claims they are filed for (docs/superbill.md)."""
