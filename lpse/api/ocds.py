"""OCDS release packages of a period (GEN-3, BID-5): every release dated in some WIB days.

The same selectors and OCDS builder as /tender/ocds/paket.json, streamed; the output
validates against the official OCDS 1.1.5 release package schema. One tender's
package is `GET /tenders/{code}/ocds`.
"""

from itertools import chain
from typing import Any

from django.conf import settings
from django.http import HttpRequest, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema

from lpse.tenders import ocds, public_selectors

from .errors import COMMON_ERRORS, ApiError, error_responses
from .schemas import Day
from .tenders import package_uri

router = Router(tags=["ocds"])


class Period(Schema):
    dari: Day = Field(description="Tanggal awal (WIB), YYYY-MM-DD / first day")
    sampai: Day = Field(description="Tanggal akhir (WIB), YYYY-MM-DD / last day")


@router.get(
    "/releases",
    response={200: dict[str, Any], **error_responses(404, *COMMON_ERRORS)},
    summary=str(_("Paket rilis OCDS dalam satu periode")),
    url_name="ocds_period",
)
def ocds_period(request: HttpRequest, period: Query[Period]):
    """Every release dated in a period of WIB days, streamed as one release package."""
    first, last = period.dari, period.sampai
    if last < first:
        raise ApiError(422, "invalid_period", _("Tanggal akhir tidak boleh sebelum tanggal awal."))
    days = (last - first).days + 1
    if days > settings.LPSE_OCDS_MAX_DAYS:
        raise ApiError(
            422,
            "invalid_period",
            _("Periode paling panjang %(days)s hari; periode ini %(asked)s hari."),
            {"days": settings.LPSE_OCDS_MAX_DAYS, "asked": days},
        )
    tenders = public_selectors.released_between(first, last)

    def releases():
        for tender in tenders.iterator(chunk_size=200):
            for release in ocds.releases(tender):
                if public_selectors.release_in_period(release, first, last):
                    yield release

    stream = releases()
    head = next(stream, None)
    if head is None:
        raise ApiError(
            404,
            "no_releases",
            _("Tidak ada rilis OCDS dalam periode %(first)s s.d. %(last)s."),
            {"first": first.isoformat(), "last": last.isoformat()},
        )
    chunks = ocds.package_chunks(
        uri=package_uri(request), published=timezone.now(), releases=chain([head], stream)
    )
    return StreamingHttpResponse(
        (chunk.encode() for chunk in chunks), content_type="application/json; charset=utf-8"
    )
