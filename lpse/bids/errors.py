"""The refusal every bid service raises: an Indonesian message, nothing changed."""

from __future__ import annotations

from typing import Any

from django.utils.functional import Promise

#: The code of a refusal that names none, by HTTP status (the JSON API shows codes).
DEFAULT_CODES = {400: "invalid", 403: "forbidden", 404: "not_found", 409: "conflict"}


class BidError(Exception):
    """A refused action; `message` is Indonesian, for the user. Nothing was changed.

    `message` may be a lazy translation with `params` for its %(name)s placeholders:
    the API then answers it in Indonesian and English (`template`, `params`), while
    `.message` is the text in the current language. `code` is the API's stable code.
    """

    def __init__(
        self,
        message: str | Promise,
        field: str | None = None,
        *,
        status: int = 400,
        code: str = "",
        params: dict[str, Any] | None = None,
    ):
        text = str(message) % params if params else str(message)
        super().__init__(text)
        self.message = text
        self.template = message
        self.params = params
        self.field = field
        self.status = status
        self.code = code or DEFAULT_CODES.get(status, "refused")
