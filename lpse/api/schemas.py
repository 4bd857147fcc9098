"""Input types shared by the API's routers (GEN-3).

Every number an operation takes is bounded (a path id past the database's integer
range must be a 422, not a driver error), every text refuses what no database
column can store (NUL, lone surrogates), and pages are capped. These rules are the
difference between "invalid input" and a server error under fuzzing.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated, Any

from django.conf import settings
from ninja import Field, Schema
from ninja.pagination import PageNumberPagination
from pydantic import AfterValidator

#: The largest primary key an id parameter may name (PostgreSQL integer).
MAX_ID = 2**31 - 1
#: Pages of every list: this many items by default, at most MAX_PAGE_SIZE.
PAGE_SIZE = 25
MAX_PAGE_SIZE = 100
MAX_PAGE = 10_000


def _storable(value: str) -> str:
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("must be valid Unicode text") from None
    return value


def _sensible_day(value: date) -> date:
    if not date(2000, 1, 1) <= value <= date(2100, 12, 31):
        raise ValueError("must be between 2000-01-01 and 2100-12-31")
    return value


#: A calendar day in the years the system deals with.
Day = Annotated[date, AfterValidator(_sensible_day)]
#: A text a database column can store.
Text = Annotated[str, AfterValidator(_storable)]


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be blank")
    return value.strip()


#: A text that must say something (surrounding spaces are dropped).
Required = Annotated[Text, AfterValidator(_not_blank)]
#: A primary key.
Id = Annotated[int, Field(ge=1, le=MAX_ID)]


class Pages(PageNumberPagination):
    """`?page=N&page_size=M` (at most MAX_PAGE_SIZE): `{"items": [...], "count": total}`."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int = Field(PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(page_size=PAGE_SIZE, max_page_size=MAX_PAGE_SIZE, **kwargs)


class Mapped:
    """A queryset whose rows a paginated operation turns into dicts, only for the page shown.

    ninja's pagination counts it (`len`) and slices it; `row` maps each object of the slice.
    """

    def __init__(self, queryset, row: Callable[[Any], dict]) -> None:
        self.queryset = queryset
        self.row = row

    def __len__(self) -> int:
        return self.queryset.count()

    def __getitem__(self, window: slice) -> list[dict]:
        return [self.row(item) for item in self.queryset[window]]


def absolute(path: str) -> str:
    """An absolute URL of this LPSE for `path` (links in API answers)."""
    return settings.SITE_URL + path
