"""The quote log: every quote and Good Faith Estimate given, kept for good
(docs/quote-log.md).

Entries are only ever added, each hash-chained to the one before; a revision is a new
entry naming the one it replaces. :class:`QuoteLog` is the interface; an SQLite file keeps
it (:mod:`ketacost.store.sqlite`).
"""

from ketacost.store.audit import Verification
from ketacost.store.base import QuoteLog
from ketacost.store.errors import IdTaken, NoLog, StoreError
from ketacost.store.location import default_path

__all__ = ["IdTaken", "NoLog", "QuoteLog", "StoreError", "Verification", "default_path"]
