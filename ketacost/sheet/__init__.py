"""The price sheet: what a clinic charges, for which treatments, and who bills each item
(docs/charges.md).
"""
