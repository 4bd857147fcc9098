"""The vendor's own registration status (GEN-3, REG-3): scope `vendor:read`.

The same facts as the vendor's status page (/penyedia/status/): status, deadline
and working days left while pending, verification and activation. Only the token
owner's own company: another company's registration number answers 404, like
the pages (`vendors.selectors.get_vendor_for_user`).
"""

from datetime import datetime

from django.http import Http404, HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Field, Path, Router, Schema

from lpse.vendors import selectors, services
from lpse.vendors.choices import VendorStatus

from .auth import TokenAuth
from .choices import Scope
from .errors import TOKEN_ERRORS, error_responses

router = Router(tags=["penyedia"], auth=TokenAuth(Scope.VENDOR_READ))


class RegistrationOut(Schema):
    name: str
    registration_number: str
    username: str
    status: str = Field(description="pending, verified, rejected or expired")
    status_label: str
    registered_at: datetime
    verification_deadline: datetime
    working_days_left: int = Field(
        description="Hari kerja tersisa sampai batas verifikasi (menunggu verifikasi) / "
        "working days left to be verified while pending"
    )
    verified_at: datetime | None
    activated_at: datetime | None
    can_bid: bool = Field(description="Boleh mengikuti tender / may take part in tenders")
    bring_to_desk: list[str] = Field(
        description="Dokumen asli yang dibawa ke verifikasi / originals to bring to the desk"
    )


def _registration(vendor) -> dict:
    context = services.requirements_context(vendor)
    return {
        "name": vendor.name,
        "registration_number": vendor.registration_number,
        "username": vendor.user.get_username(),
        "status": vendor.status,
        "status_label": str(vendor.get_status_display()),
        "registered_at": vendor.registered_at,
        "verification_deadline": vendor.verification_deadline,
        "working_days_left": context["working_days_left"],
        "verified_at": vendor.verified_at,
        "activated_at": vendor.activated_at,
        "can_bid": vendor.can_bid,
        "bring_to_desk": (
            [str(item) for item in context["items"]]
            if vendor.status == VendorStatus.PENDING_VERIFICATION
            else []
        ),
    }


@router.get(
    "/me",
    response={200: RegistrationOut, **error_responses(404, *TOKEN_ERRORS)},
    summary=str(_("Status pendaftaran perusahaan sendiri")),
    url_name="vendor_me",
)
def vendor_me(request: HttpRequest):
    """The registration of the token owner's company (404 for an account without one)."""
    vendor = selectors.vendor_of(request.user)
    if vendor is None:
        raise Http404
    return _registration(vendor)


@router.get(
    "/{registration_number}",
    response={200: RegistrationOut, **error_responses(404, *TOKEN_ERRORS)},
    summary=str(_("Status pendaftaran menurut nomor pendaftaran")),
    url_name="vendor_registration",
)
def vendor_registration(
    request: HttpRequest,
    registration_number: str = Path(..., pattern=r"^[A-Za-z0-9-]{1,20}$"),
):
    """The registration with this number, if it is the token owner's own company; else 404."""
    return _registration(selectors.get_vendor_for_user(request.user, registration_number))
