"""Writes of vendors and committee inside a running tender: join, clarification questions,
evaluation, winner, objections (BID-1, BID-6).

Each action is allowed only in its stage, read from the clock; outside it the
action is refused with the stage's times and nothing changes.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext

from lpse.audit.services import record, snapshot

from . import schedule as rules
from .choices import AnnouncementKind, EvaluationOutcome, StageKind, TenderStatus, TransitionKind
from .models import Announcement, Objection, Participant, Question, Tender
from .services import TenderError, _now, lock, notify_participants, require_member, transition

EVALUATION_FIELDS = [
    "bid_price",
    "corrected_price",
    "qualification_passed",
    "technical_passed",
    "price_passed",
    "outcome",
    "reasons",
    "rank",
    "is_winner",
]


def _require_running(tender: Tender) -> None:
    if tender.status != TenderStatus.ANNOUNCED:
        raise TenderError(gettext("Tender ini tidak sedang berjalan."))


def _require_stage(tender: Tender, kind: str, at: datetime, action: str) -> None:
    """Refuse `action` unless stage `kind` runs at `at` (message gives the stage's times)."""
    _require_running(tender)
    stage = tender.stage(kind)
    if stage is None or not (stage.starts_at <= at < stage.ends_at):
        raise TenderError(
            gettext("%(action)s hanya pada tahap %(stage)s (%(start)s s.d. %(end)s).")
            % {
                "action": action,
                "stage": rules.label(kind),
                "start": rules.wib(stage.starts_at) if stage else "-",
                "end": rules.wib(stage.ends_at) if stage else "-",
            }
        )


# --- vendors -------------------------------------------------------------------------------


def join_tender(
    tender: Tender, vendor, *, accept_pact: bool, by, at: datetime | None = None, request=None
) -> Participant:
    """A verified, activated vendor joins until bid upload ends, accepting the integrity pact."""
    at = _now(at)
    if vendor is None or not vendor.can_bid:
        raise TenderError(
            gettext("Hanya penyedia yang sudah terverifikasi dan aktif yang dapat ikut tender.")
        )
    if not accept_pact:
        raise TenderError(
            gettext("Pakta Integritas harus disetujui untuk ikut tender ini."), "accept_pact"
        )
    try:
        with transaction.atomic():
            locked = lock(tender)
            _require_running(locked)
            upload = locked.stage(StageKind.BID_UPLOAD)
            if upload is None or at >= upload.ends_at:
                raise TenderError(
                    gettext("Pendaftaran ditutup: tahap upload penawaran sudah berakhir.")
                )
            participant = Participant.objects.create(
                tender=locked,
                vendor=vendor,
                joined_at=at,
                pact_version=settings.LPSE_INTEGRITY_PACT_VERSION,
                pact_accepted_at=at,
            )
            transition(
                locked,
                TransitionKind.PARTICIPANT,
                "",
                "joined",
                by=by,
                at=at,
                object_id=participant.pk,
            )
            record(
                "tenders.join",
                actor=by,
                target=locked,
                after={
                    "vendor": vendor.pk,
                    "pact_version": participant.pact_version,
                    "pact_accepted_at": at.isoformat(),
                },
                summary=f"{vendor.name} ikut tender {locked.code}"[:500],
                request=request,
            )
    except IntegrityError:
        raise TenderError(gettext("Perusahaan Anda sudah terdaftar pada tender ini.")) from None
    return participant


@transaction.atomic
def ask_question(
    participant: Participant, text: str, *, by, at: datetime | None = None, request=None
) -> Question:
    at = _now(at)
    text = (text or "").strip()
    if not text:
        raise TenderError(gettext("Pertanyaan wajib diisi."), "text")
    locked = lock(participant.tender)
    _require_stage(locked, StageKind.CLARIFICATION, at, gettext("Pertanyaan dapat diajukan"))
    question = Question.objects.create(
        tender=locked, participant=participant, asked_by=by, text=text, asked_at=at
    )
    transition(locked, TransitionKind.QUESTION, "", "asked", by=by, at=at, object_id=question.pk)
    record(
        "tenders.question_ask",
        actor=by,
        target=locked,
        after={"question": question.pk, "text": text[:1000]},
        summary=f"Pertanyaan pada tender {locked.code}",
        request=request,
    )
    return question


@transaction.atomic
def answer_question(
    question: Question, answer: str, *, by, at: datetime | None = None, request=None
) -> Question:
    """The committee answers until the bid upload stage ends (answers may be corrected)."""
    at = _now(at)
    answer = (answer or "").strip()
    if not answer:
        raise TenderError(gettext("Jawaban wajib diisi."), "answer")
    locked = lock(question.tender)
    require_member(locked, by)
    _require_running(locked)
    upload = locked.stage(StageKind.BID_UPLOAD)
    if upload is not None and at >= upload.ends_at:
        raise TenderError(
            gettext("Pertanyaan tidak dapat dijawab lagi: tahap upload penawaran sudah berakhir.")
        )
    question = Question.objects.select_for_update().get(pk=question.pk)
    previous = question.answer
    question.answer, question.answered_by, question.answered_at = answer, by, at
    question.save(update_fields=["answer", "answered_by", "answered_at"])
    transition(
        locked, TransitionKind.QUESTION, "asked", "answered", by=by, at=at, object_id=question.pk
    )
    record(
        "tenders.question_answer",
        actor=by,
        target=locked,
        before={"answer": previous},
        after={"question": question.pk, "answer": answer[:2000]},
        summary=f"Pertanyaan tender {locked.code} dijawab",
        request=request,
    )
    return question


@transaction.atomic
def file_objection(
    participant: Participant, text: str, *, by, at: datetime | None = None, request=None
) -> Objection:
    at = _now(at)
    text = (text or "").strip()
    if not text:
        raise TenderError(gettext("Isi sanggahan wajib diisi."), "text")
    locked = lock(participant.tender)
    _require_stage(locked, StageKind.OBJECTION, at, gettext("Sanggahan dapat diajukan"))
    if not locked.participants.filter(is_winner=True).exists():
        raise TenderError(gettext("Sanggahan diajukan setelah pemenang diumumkan."))
    objection = Objection.objects.create(
        tender=locked, participant=participant, filed_by=by, text=text, filed_at=at
    )
    transition(locked, TransitionKind.OBJECTION, "", "filed", by=by, at=at, object_id=objection.pk)
    record(
        "tenders.objection_file",
        actor=by,
        target=locked,
        after={"objection": objection.pk, "vendor": participant.vendor_id, "text": text[:2000]},
        summary=f"Sanggahan pada tender {locked.code}",
        request=request,
    )
    return objection


# --- committee -------------------------------------------------------------------------------


@transaction.atomic
def answer_objection(
    objection: Objection, answer: str, *, by, at: datetime | None = None, request=None
) -> Objection:
    at = _now(at)
    answer = (answer or "").strip()
    if not answer:
        raise TenderError(gettext("Jawaban sanggahan wajib diisi."), "answer")
    locked = lock(objection.tender)
    require_member(locked, by)
    _require_running(locked)
    objection = Objection.objects.select_for_update().get(pk=objection.pk)
    previous = objection.answer
    objection.answer, objection.answered_by, objection.answered_at = answer, by, at
    objection.save(update_fields=["answer", "answered_by", "answered_at"])
    transition(
        locked,
        TransitionKind.OBJECTION,
        "filed",
        "answered",
        by=by,
        at=at,
        object_id=objection.pk,
    )
    notify_participants(
        locked,
        "objection_answered",
        {"objection": objection},
        only=[objection.participant],
    )
    record(
        "tenders.objection_answer",
        actor=by,
        target=locked,
        before={"answer": previous},
        after={"objection": objection.pk, "answer": answer[:2000]},
        summary=f"Sanggahan tender {locked.code} dijawab",
        request=request,
    )
    return objection


@transaction.atomic
def record_evaluation(
    participant: Participant,
    *,
    bid_price: Decimal | None,
    corrected_price: Decimal | None,
    qualification_passed: bool | None,
    technical_passed: bool | None,
    price_passed: bool | None,
    outcome: str,
    reasons: str,
    rank: int | None,
    by,
    at: datetime | None = None,
    request=None,
) -> Participant:
    """The committee records one participant's evaluation: from the start of the evaluation
    stage until the winner is announced. A failed participant needs its reasons."""
    at = _now(at)
    locked = lock(participant.tender)
    require_member(locked, by)
    _require_running(locked)
    evaluation = locked.stage(StageKind.EVALUATION)
    if evaluation is None or at < evaluation.starts_at:
        raise TenderError(
            gettext("Evaluasi dicatat mulai tahap Evaluasi Penawaran (%(start)s).")
            % {"start": rules.wib(evaluation.starts_at) if evaluation else "-"}
        )
    if locked.participants.filter(is_winner=True).exists():
        raise TenderError(gettext("Pemenang sudah diumumkan; evaluasi tidak dapat diubah lagi."))
    reasons = (reasons or "").strip()
    if outcome not in EvaluationOutcome.values:
        raise TenderError(gettext("Pilih hasil evaluasi: Lulus atau Gugur."), "outcome")
    if outcome == EvaluationOutcome.FAILED and not reasons:
        raise TenderError(gettext("Alasan gugur wajib diisi."), "reasons")
    if outcome == EvaluationOutcome.PASSED and False in (
        qualification_passed,
        technical_passed,
        price_passed,
    ):
        raise TenderError(
            gettext("Peserta yang tidak lulus kualifikasi, teknis atau harga tidak dapat Lulus."),
            "outcome",
        )
    if outcome == EvaluationOutcome.PASSED and bid_price is None:
        raise TenderError(gettext("Harga penawaran wajib diisi untuk peserta yang lulus."))
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    before = snapshot(participant, EVALUATION_FIELDS)
    participant.bid_price = bid_price
    participant.corrected_price = corrected_price
    participant.qualification_passed = qualification_passed
    participant.technical_passed = technical_passed
    participant.price_passed = price_passed
    participant.outcome = outcome
    participant.reasons = reasons
    participant.rank = rank
    participant.evaluated_by, participant.evaluated_at = by, at
    participant.save(update_fields=[*EVALUATION_FIELDS[:-1], "evaluated_by", "evaluated_at"])
    transition(
        locked,
        TransitionKind.EVALUATION,
        before["outcome"] or "",
        outcome,
        by=by,
        at=at,
        object_id=participant.pk,
        note=reasons[:1000],
    )
    record(
        "tenders.evaluate",
        actor=by,
        target=locked,
        before=before,
        after=snapshot(participant, EVALUATION_FIELDS) | {"vendor": participant.vendor_id},
        summary=f"Evaluasi peserta {participant.vendor_id} tender {locked.code}: {outcome}"[:500],
        request=request,
    )
    return participant


@transaction.atomic
def announce_winner(
    participant: Participant, *, by, at: datetime | None = None, request=None
) -> Participant:
    """During the winner-announcement stage, a participant that passed evaluation wins."""
    at = _now(at)
    locked = lock(participant.tender)
    require_member(locked, by)
    _require_stage(locked, StageKind.WINNER_ANNOUNCEMENT, at, gettext("Pemenang dapat diumumkan"))
    if locked.participants.filter(is_winner=True).exists():
        raise TenderError(gettext("Pemenang tender ini sudah diumumkan."))
    participant = (
        Participant.objects.select_for_update().select_related("vendor").get(pk=participant.pk)
    )
    if participant.outcome != EvaluationOutcome.PASSED:
        raise TenderError(gettext("Hanya peserta yang lulus evaluasi yang dapat menjadi pemenang."))
    participant.is_winner = True
    participant.save(update_fields=["is_winner"])
    price = participant.corrected_price or participant.bid_price
    Announcement.objects.create(
        tender=locked,
        kind=AnnouncementKind.WINNER,
        title=gettext("Pengumuman pemenang tender %(code)s") % {"code": locked.code},
        body=gettext("Pemenang: %(vendor)s (%(city)s), harga Rp %(price)s.")
        % {
            "vendor": participant.vendor.name,
            "city": participant.vendor.city,
            "price": f"{price:,.2f}" if price is not None else "-",
        },
        published_at=at,
        published_by=by,
    )
    transition(locked, TransitionKind.WINNER, "", "winner", by=by, at=at, object_id=participant.pk)
    notify_participants(locked, "winner", {"winner": participant})
    record(
        "tenders.winner",
        actor=by,
        target=locked,
        after={"participant": participant.pk, "vendor": participant.vendor_id},
        summary=f"Pemenang tender {locked.code}: {participant.vendor.name}"[:500],
        request=request,
    )
    return participant
