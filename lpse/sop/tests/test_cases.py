"""SOP-2: cases follow a procedure and record each step's start, end and actor.

Shown on one real flow: procedure 1.1 (vendor registration and verification),
driven through a case with the clock frozen around Idul Fitri 2026 (SOP-4).
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.db import models

from lpse.accounts.models import User
from lpse.audit.models import AuditEvent
from lpse.sop.choices import CaseStatus
from lpse.sop.models import Case, StepRun
from lpse.sop.selectors import HasSopCase, cases_for, runs_of
from lpse.sop.services import (
    CaseClosed,
    CaseError,
    InvalidMoment,
    StepAlreadyRunning,
    StepNotRunning,
    UnknownProcedure,
    UnknownStep,
    close_case,
    finish_step,
    open_case,
    start_step,
)

from .conftest import wib

pytestmark = pytest.mark.django_db


class Registration(HasSopCase, User):
    """A stand-in for the later registration workflow model: it declares its SOP."""

    SOP_CODE = "1.1"

    class Meta:
        proxy = True
        app_label = "sop"


def test_sop2_registration_flow_records_every_step_with_times_actors_and_targets(
    registry, vendor, verifier
):
    """1.1 end to end: steps 1-6 online, step 7 (7 hari kerja) started before Nyepi and
    Idul Fitri 2026 is due on 1 April, steps 8-9 at the verification desk (REG-3, REG-4)."""
    with time_machine.travel(wib(2026, 3, 16, 10, 0), tick=False) as clock:
        case = open_case("1.1", subject=vendor, by=vendor, title="Pendaftaran PT Maju Jaya")
        for number in range(1, 7):
            start_step(case, number, by=vendor)
            clock.shift(timedelta(minutes=5))
            finish_step(case, number, by=vendor)
        run7 = start_step(case, 7, by=vendor)
        # 7 working days from Monday 16 March 2026: 17, 25, 26, 27, 30, 31 March, 1 April;
        # 18 (cuti bersama Nyepi), 19 (Nyepi), 20-24 (Idul Fitri and cuti bersama) and the
        # weekend do not count. Due at the end of office hours that day.
        assert run7.started_at == wib(2026, 3, 16, 10, 30)
        assert run7.due_at == wib(2026, 4, 1, 16, 0)

        clock.move_to(wib(2026, 3, 25, 9, 10))
        finish_step(case, 7, by=vendor, note="Datang ke LPSE dengan dokumen asli")
        run8 = start_step(case, 8, by=verifier)
        assert run8.due_at == wib(2026, 3, 25, 15, 0)  # within the desk's 09.00-15.00
        run9 = start_step(case, 9, by=verifier)
        assert run9.due_at == wib(2026, 3, 25, 9, 40)  # at most 30 minutes
        clock.shift(timedelta(minutes=20))
        run9 = finish_step(case, 9, by=verifier, note="Tanda lengkap diberikan")
        run8 = finish_step(case, 8, by=verifier)
        close_case(case, by=verifier, outcome="Terverifikasi")

    runs = runs_of(case)
    assert [run.step.number for run in runs] == list(range(1, 10))
    assert all(run.ended_at is not None for run in runs)
    assert runs[6].within_standard is True
    assert runs[6].note == "Datang ke LPSE dengan dokumen asli"
    assert run9.ended_at - run9.started_at == timedelta(minutes=20)
    assert run9.within_standard is True
    assert (run9.started_by, run9.ended_by) == (verifier, verifier)
    assert runs[0].due_at is None  # "Tidak ditentukan": no target
    assert runs[0].within_standard is None
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    assert (case.closed_by, case.outcome) == (verifier, "Terverifikasi")
    assert case.closed_at == wib(2026, 3, 25, 9, 30)
    assert list(cases_for(vendor)) == [case]

    actions = list(
        AuditEvent.objects.filter(target_id=str(case.pk), action__startswith="sop.").values_list(
            "action", flat=True
        )
    )
    assert actions.count("sop.case_open") == 1
    assert actions.count("sop.step_start") == 9
    assert actions.count("sop.step_finish") == 9
    assert actions.count("sop.case_close") == 1


def test_sop3_verification_after_45_minutes_misses_the_15_to_30_minute_standard(
    registry, vendor, verifier
):
    with time_machine.travel(wib(2026, 3, 25, 10, 0), tick=False) as clock:
        case = open_case("1.1", subject=vendor, by=verifier)
        start_step(case, 9, by=verifier)
        clock.shift(timedelta(minutes=45))
        run = finish_step(case, 9, by=verifier)
    assert run.due_at == wib(2026, 3, 25, 10, 30)
    assert run.within_standard is False
    event = AuditEvent.objects.filter(action="sop.step_finish").latest("seq")
    assert event.after["within_standard"] is False
    assert event.actor == verifier


def test_sop2_a_step_may_run_again_after_it_finished(registry, vendor, verifier):
    with time_machine.travel(wib(2026, 3, 25, 10, 0), tick=False) as clock:
        case = open_case("1.1", subject=vendor, by=verifier)
        start_step(case, 8, by=verifier)
        clock.shift(timedelta(minutes=10))
        finish_step(case, 8, by=verifier, note="Akta perubahan belum dibawa")
        clock.shift(timedelta(days=1))
        again = start_step(case, 8, by=verifier)
    assert StepRun.objects.filter(case=case, step__number=8).count() == 2
    assert again.due_at == wib(2026, 3, 26, 15, 0)


def test_sop2_refusals_have_indonesian_messages_and_change_nothing(registry, vendor, verifier):
    case = open_case("1.1", subject=vendor, by=verifier)
    events = AuditEvent.objects.count()

    not_running = re.escape("Langkah 9 kasus ini tidak sedang berjalan.")
    with pytest.raises(StepNotRunning, match=not_running):
        finish_step(case, 9, by=verifier)
    with pytest.raises(UnknownStep, match=re.escape("SOP 1.1 tidak memiliki langkah nomor 12.")):
        start_step(case, 12, by=verifier)
    start_step(case, 9, by=verifier)
    events += 1
    with pytest.raises(StepAlreadyRunning, match=re.escape("Langkah 9 kasus ini sedang berjalan.")):
        start_step(case, 9, by=verifier)
    with pytest.raises(InvalidMoment, match="tidak boleh sebelum waktu mulai"):
        finish_step(case, 9, by=verifier, at=case.opened_at - timedelta(hours=1))
    with pytest.raises(CaseError, match=re.escape("Hasil kasus wajib diisi.")):
        close_case(case, by=verifier, outcome=" ")
    with pytest.raises(UnknownProcedure, match=re.escape("SOP 4.1 tidak ada dalam registri.")):
        open_case("4.1", subject=vendor, by=verifier)
    assert AuditEvent.objects.count() == events
    assert StepRun.objects.filter(case=case).count() == 1
    assert isinstance(StepNotRunning("x"), ValueError)


def test_sop2_a_closed_case_refuses_further_steps_and_its_running_steps_end_with_it(
    registry, vendor, verifier
):
    with time_machine.travel(wib(2026, 3, 25, 10, 0), tick=False) as clock:
        case = open_case("1.1", subject=vendor, by=verifier)
        start_step(case, 7, by=vendor)
        clock.shift(timedelta(hours=1))
        close_case(case, by=verifier, outcome="Dibatalkan pemohon")
    run = StepRun.objects.get(case=case)
    assert run.ended_at == wib(2026, 3, 25, 11, 0)
    assert run.ended_by == verifier
    assert run.note == "Diakhiri saat kasus ditutup."
    assert case.status == CaseStatus.CLOSED  # the caller's instance follows
    with pytest.raises(CaseClosed, match="sudah ditutup"):
        start_step(case, 8, by=verifier)
    with pytest.raises(CaseClosed):
        finish_step(case, 7, by=verifier)
    with pytest.raises(CaseClosed):
        close_case(case, by=verifier, outcome="Lagi")


def test_sop2_a_workflow_model_declares_its_sop_and_finds_its_case(registry, verifier):
    registration = Registration.objects.create(username="cv_baru")
    assert registration.sop_case is None
    case = registration.open_sop_case(by=verifier, title="Pendaftaran CV Baru")
    assert case.procedure.code == "1.1"
    assert case.subject == registration
    assert registration.sop_case == case
    close_case(case, by=verifier, outcome="Kedaluwarsa")
    second = registration.open_sop_case(by=verifier)
    assert registration.sop_case == second  # the open one before the closed one
    assert list(registration.sop_cases) == [second, case]
    # The plain user row is another subject than the registration proxy.
    assert not cases_for(User.objects.get(pk=registration.pk)).exists()


def test_sop2_cases_of_a_subject_are_found_through_the_indexed_subject_fields():
    index_fields = {tuple(index.fields) for index in Case._meta.indexes}
    assert ("content_type", "object_id") in index_fields
    assert isinstance(Case._meta.get_field("object_id"), models.CharField)
