"""Sealed-bid test fixtures (see helpers.py and failure_helpers.py)."""

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

# Failed openings (ERR-1).
from .failure_helpers import failure_dirs, lpse_staff, scenario, tender_keys  # noqa: F401
from .helpers import bids_dir, keyed_tender, members, participant, second_participant  # noqa: F401
