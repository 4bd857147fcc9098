"""SOP step timing of tickets (SOP-2): which step of 2.1 and 3.7 runs when.

SOP 2.1 (Layanan Helpdesk), applied to one ticket:
- step 2 (getting the question clearly) runs from receipt until the call or
  visit ends (phone, walk-in) or until an officer first takes up the ticket
  (web, e-mail);
- step 1 (the answer) runs from receipt, and again after every follow-up of
  the requester, until the ticket is answered;
- step 3 (responding online "pada jam kerja") runs like step 1 for requests
  that came over the internet (web form, e-mail).
SOP 3.7 (vendor cannot upload), for upload-failure tickets (ERR-4): step 1
the report, step 2 the diagnosis (15-30 min) from the report until the
officer decides, step 3 the notice to retry (5 min), step 4 the wait for
LKPP's forensic test (1-24 h).
"""

from __future__ import annotations

from datetime import datetime

from lpse.sop.choices import CaseStatus
from lpse.sop.models import Case, StepRun
from lpse.sop.selectors import cases_for
from lpse.sop.services import close_case, finish_step, open_case, start_step

from .choices import Channel

HELPDESK = "2.1"
UPLOAD = "3.7"
ONLINE = (Channel.WEB, Channel.EMAIL)


def open_case_of(ticket, code: str) -> Case | None:
    return cases_for(ticket).filter(procedure__code=code, status=CaseStatus.OPEN).first()


def _running(case: Case, number: int) -> bool:
    return StepRun.objects.filter(case=case, step__number=number, ended_at__isnull=True).exists()


def start(case: Case | None, number: int, *, by, at: datetime) -> None:
    if case is not None and not _running(case, number):
        start_step(case, number, by=by, at=at)


def finish(case: Case | None, number: int, *, by, at: datetime, note: str = "") -> None:
    if case is None:
        return
    run = (
        StepRun.objects.filter(case=case, step__number=number, ended_at__isnull=True)
        .only("started_at")
        .first()
    )
    if run is not None:
        finish_step(case, number, by=by, at=max(at, run.started_at), note=note)


def open_helpdesk_case(ticket, *, by, at: datetime, ended_at: datetime | None) -> Case:
    case = open_case(HELPDESK, subject=ticket, by=by, title=f"{ticket.reference} {ticket.subject}")
    start(case, 2, by=by, at=at)
    start(case, 1, by=by, at=at)
    if ticket.channel in ONLINE:
        start(case, 3, by=by, at=at)
    else:
        finish(case, 2, by=by, at=ended_at or at)
    return case


def open_upload_case(ticket, *, by, at: datetime) -> Case:
    case = open_case(UPLOAD, subject=ticket, by=by, title=f"{ticket.reference} {ticket.subject}")
    start(case, 1, by=by, at=at)
    finish(case, 1, by=by, at=at)
    start(case, 2, by=by, at=at)
    return case


def taken_up(ticket, *, by, at: datetime) -> None:
    """An officer first acts on the ticket: the question is received (2.1 step 2)."""
    finish(open_case_of(ticket, HELPDESK), 2, by=by, at=at)


def answered(ticket, *, by, at: datetime) -> None:
    case = open_case_of(ticket, HELPDESK)
    finish(case, 2, by=by, at=at)
    finish(case, 1, by=by, at=at)
    finish(case, 3, by=by, at=at)


def follow_up(ticket, *, by, at: datetime) -> None:
    """The requester wrote again: a new answer is due (reopening the case if it was closed)."""
    case = open_case_of(ticket, HELPDESK)
    if case is None:
        case = open_case(
            HELPDESK, subject=ticket, by=by, title=f"{ticket.reference} {ticket.subject}"
        )
    start(case, 1, by=by, at=at)
    if ticket.channel in ONLINE:
        start(case, 3, by=by, at=at)


def closed(ticket, *, by, at: datetime, outcome: str) -> None:
    for code in (HELPDESK, UPLOAD):
        case = open_case_of(ticket, code)
        if case is not None:
            close_case(case, by=by, outcome=outcome, at=at)
