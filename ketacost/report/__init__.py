"""One estimate as a report: every figure and sentence any view shows, and its JSON both ways
(docs/json.md).
"""
