"""Who pays what: a patient's coverage and how it is applied, claim by claim (docs/coverage.md)."""
