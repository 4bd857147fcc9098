"""The open-data settings are read from the environment and refused loudly when wrong
(BID-5, GEN-2)."""

from __future__ import annotations

import pytest

from lpse.core.tests.test_settings import run_settings


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("LPSE_OCDS_OCID_PREFIX", "ocds-xxxxxx-extra"),
        ("LPSE_OCDS_OCID_PREFIX", "lpse-tangerang"),
        ("LPSE_OCDS_MAX_DAYS", "0"),
        ("LPSE_PUBLIC_PAGE_SIZE", "dua puluh"),
    ],
)
def test_bad_open_data_setting_stops_startup_naming_it_BID_5(tmp_path, variable, value):
    result = run_settings(tmp_path, **{variable: value})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert variable in result.stderr


def test_registered_prefix_is_taken_with_or_without_its_dash_BID_5(tmp_path):
    result = run_settings(tmp_path, "s.LPSE_OCDS_OCID_PREFIX", LPSE_OCDS_OCID_PREFIX="ocds-a1b2c3-")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ocds-a1b2c3"
    unset = run_settings(tmp_path, "repr(s.LPSE_OCDS_OCID_PREFIX)")
    assert (
        unset.stdout.strip() == "''"
    )  # then OCIDs use the site's host name (see ocds.ocid_prefix)
