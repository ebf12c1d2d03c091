"""The Good Faith Estimate: its contents, when it is owed, the log's record of it, and a bill
checked against it (docs/gfe.md).
"""
