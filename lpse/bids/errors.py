"""The refusal every bid service raises: an Indonesian message, nothing changed."""

from __future__ import annotations


class BidError(Exception):
    """A refused action; `message` is Indonesian, for the user. Nothing was changed."""

    def __init__(self, message: str, field: str | None = None, *, status: int = 400):
        super().__init__(message)
        self.message = message
        self.field = field
        self.status = status
