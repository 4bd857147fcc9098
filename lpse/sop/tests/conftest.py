"""Fixtures of the SOP app tests: the registry loaded from the real data files."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from lpse.sop.services import load_procedures

WIB = ZoneInfo("Asia/Jakarta")


def wib(*args) -> datetime:
    return datetime(*args, tzinfo=WIB)


@pytest.fixture
def registry(db):
    """The nine procedures of the appendix, loaded as `./run` loads them."""
    return load_procedures()
