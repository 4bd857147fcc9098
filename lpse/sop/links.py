"""Where the staff page of a case's subject is, and who may open it (SOP-3).

A case follows a subject of another app (a vendor registration, a ticket, ...)
through a generic relation. The service-level report links each case to its
subject's staff page; none of those models has a `get_absolute_url`, and
whether a viewer may open the page depends on that app's access rules, so
both live here, in one registry keyed by the subject's model label:

- `url_name`: the staff page, taking the subject's primary key (as a path
  argument, or as the query parameter `query` when the page picks its object
  from the query string);
- `roles`: the dotted path of the owning app's tuple of roles that pass the
  page's `role_required` AND see every object of that kind through its
  `get_*_for_user` scope. A viewer holding none of them gets no link (a role
  that sees only some objects, like a committee member for its own tenders,
  gets none either: never a link to a page that answers 403/404).

Resolving links costs no query: the case's content type comes with the case
(`select_related("case__content_type")`) and the roles with the viewer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.module_loading import import_string

from lpse.core.access import user_has_any_role

from .models import Case


@dataclass(frozen=True)
class SubjectPage:
    url_name: str
    roles: str
    query: str = ""

    def url(self, object_id: str) -> str:
        if self.query:
            return f"{reverse(self.url_name)}?{urlencode({self.query: object_id})}"
        return reverse(self.url_name, args=[object_id])

    def allowed_roles(self) -> tuple[str, ...]:
        return _roles(self.roles)


#: Model label (app_label.model_name) of a case subject -> its staff page.
SUBJECT_PAGES: dict[str, SubjectPage] = {
    "vendors.vendor": SubjectPage(
        "vendors:company_of", "lpse.vendors.company_selectors.DOCUMENT_STAFF"
    ),
    "vendors.emailchangerequest": SubjectPage(
        "vendors:email_change_review", "lpse.vendors.company_selectors.EMAIL_CHANGE_REVIEW_ROLES"
    ),
    "desk.ticket": SubjectPage("desk:ticket", "lpse.desk.selectors.DESK_STAFF"),
    "training.trainingrequest": SubjectPage(
        "training:detail", "lpse.training.selectors.VIEW_ALL_ROLES"
    ),
    "tenders.schedulechange": SubjectPage(
        "tenders:change_detail", "lpse.tenders.selectors.OVERSIGHT_ROLES"
    ),
    "bids.failedopeningrequest": SubjectPage(
        "bids:failed_opening_detail", "lpse.bids.failure_services.READER_ROLES"
    ),
    "facility.maintenancecycle": SubjectPage(
        "facility:checklist", "lpse.facility.selectors.CHECKLIST_ROLES", query="siklus"
    ),
}


@cache
def _roles(path: str) -> tuple[str, ...]:
    return tuple(str(role) for role in import_string(path))


CaseLink = Callable[[Case], str | None]


def case_links(user) -> CaseLink:
    """A function giving, for a case, the URL of its subject's page when `user` may open it,
    else None. Decides once per subject kind; costs no query when the case was read with
    its content type."""
    decided: dict[int, SubjectPage | None] = {}

    def link(case: Case) -> str | None:
        if case.content_type_id not in decided:
            content_type = case.content_type
            page = SUBJECT_PAGES.get(f"{content_type.app_label}.{content_type.model}")
            if page is not None and not user_has_any_role(user, page.allowed_roles()):
                page = None
            decided[case.content_type_id] = page
        page = decided[case.content_type_id]
        return page.url(case.object_id) if page is not None else None

    return link
