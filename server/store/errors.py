"""Errors the store raises for bad input. Nothing is written when one is raised.

StoreError
 ├── InvalidRecordError        a value breaks a rule (negative price, unknown currency, ...)
 └── UnknownMinifigureError    a listing names a minifigure the catalog does not have
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable


class StoreError(Exception):
    """Base class; `code` is stable and reaches API clients."""

    code = "STORE_ERROR"


class InvalidRecordError(StoreError):
    code = "INVALID_RECORD"

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field


class UnknownMinifigureError(StoreError):
    code = "UNKNOWN_MINIFIGURE"

    def __init__(self, minifigure_ids: Iterable[uuid.UUID]) -> None:
        self.minifigure_ids = sorted(minifigure_ids)
        listed = ", ".join(str(i) for i in self.minifigure_ids[:5])
        more = len(self.minifigure_ids) - 5
        suffix = f" and {more} more" if more > 0 else ""
        super().__init__(f"unknown minifigure id(s): {listed}{suffix}; nothing was written")
