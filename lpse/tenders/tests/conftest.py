"""Tender test fixtures (see helpers.py)."""

from lpse.vendors.tests.company_helpers import media  # noqa: F401

from .helpers import company, pokja, ppk, registry, second_company, tender, work_unit  # noqa: F401
