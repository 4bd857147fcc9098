"""Sealed-bid test fixtures (see helpers.py)."""

from lpse.tenders.tests.helpers import (  # noqa: F401
    company,
    pokja,
    ppk,
    registry,
    second_company,
    tender,
    work_unit,
)
from lpse.vendors.tests.company_helpers import media  # noqa: F401

from .helpers import bids_dir, keyed_tender, members, participant, second_participant  # noqa: F401
