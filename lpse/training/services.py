"""Writes of the training app (TRN-1..TRN-4, SOP 2.3-2.4).

SOP 2.3 steps as the request moves:
1. filed by the work unit (runs until the helpdesk calls);
2. phone confirmation, 1-5 minutes (`confirm_by_phone`: the call's own duration);
3. scheduling "immediately" (`schedule_session`);
4. the reply letter is made, 10-20 minutes (`issue_letter` REPLY);
5. the reply is sent, 1 minute (`send_letter` REPLY);
6. the trainer gets the assignment letter, 1 minute (`issue_letter` + `send_letter` ASSIGNMENT);
7. the training itself (`record_outcome` ends it and closes the case).

Every function is atomic, locks the request row, writes a `RequestTransition`
for a status change and an audit event as its last write.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import date, datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from lpse.accounts.choices import Role
from lpse.accounts.selectors import head_signer_name
from lpse.audit.services import record, snapshot
from lpse.core import calendar
from lpse.core.numbering import next_number
from lpse.sop import services as sop
from lpse.vendors.uploads import store_upload

from . import letters, scheduling
from .choices import ACTIVE_STATUSES, Audience, BookingKind, LetterKind, RequestStatus, can_move
from .models import (
    DayException,
    Letter,
    Participant,
    RequestTransition,
    SlotBooking,
    TrainerFeed,
    TrainingRequest,
    TrainingResource,
    TrainingSession,
)
from .scheduling import ScheduleError as TrainingError
from .tasks import send_training_letter

FIELDS = [
    "work_unit",
    "audience",
    "letter_number",
    "letter_date",
    "letter_file_name",
    "letter_sha256",
    "wanted_date",
    "wanted_date_alt",
    "participant_count",
    "contact_name",
    "contact_phone",
    "contact_email",
    "status",
    "confirmed_by",
    "call_minutes",
    "agreed_date",
    "attended_count",
    "outcome_note",
    "cancel_reason",
]
SESSION_FIELDS = ["starts_at", "ends_at", "room", "server", "trainer", "exception"]
MAX_CALL_MINUTES = 60
MAX_PARTICIPANTS = 200


def _lock(training: TrainingRequest) -> TrainingRequest:
    return (
        TrainingRequest.objects.select_for_update().select_related("work_unit").get(pk=training.pk)
    )


def _move(training: TrainingRequest, new: str, *, by, at: datetime, note: str = "") -> None:
    if not can_move(training.status, new):
        raise TrainingError(
            gettext("Permohonan berstatus %(status)s tidak dapat menjadi %(new)s.")
            % {"status": training.get_status_display(), "new": RequestStatus(new).label}
        )
    RequestTransition.objects.create(
        request=training, from_status=training.status, to_status=new, at=at, by=by, note=note
    )
    training.status = new


def _require(training: TrainingRequest, *statuses: str) -> None:
    if training.status not in statuses:
        raise TrainingError(
            gettext("Tindakan ini tidak berlaku untuk permohonan berstatus %(status)s.")
            % {"status": training.get_status_display()}
        )


# --- TRN-1: the work unit files a request ---------------------------------------------------


def file_request(
    *,
    work_unit,
    audience: str,
    letter_number: str,
    letter_date: date,
    letter_text: str = "",
    letter_file=None,
    wanted_date: date,
    wanted_date_alt: date | None = None,
    participant_count: int,
    participant_names: list[str],
    contact_name: str,
    contact_phone: str,
    contact_email: str,
    by,
    request=None,
) -> TrainingRequest:
    """Record a work unit's training request with its letter (uploaded or typed).

    The upload is checked like company documents (content type, size, MD5/SHA-256)
    before anything is written; SOP 2.3 step 1 starts.
    """
    if work_unit is None:
        raise TrainingError(
            gettext("Akun Anda tidak terhubung ke satuan kerja (SKPD); hubungi administrator.")
        )
    if audience not in Audience.values:
        raise TrainingError(gettext("Pilih peserta pelatihan."), "audience")
    letter_text = (letter_text or "").strip()
    if not letter_text and letter_file is None:
        raise TrainingError(gettext("Unggah surat permohonan atau ketik isinya."), "letter_file")
    today = timezone.localdate()
    if wanted_date <= today or (wanted_date_alt and wanted_date_alt <= today):
        raise TrainingError(
            gettext("Tanggal yang diinginkan harus setelah hari ini."), "wanted_date"
        )
    if letter_date > today:
        raise TrainingError(gettext("Tanggal surat tidak boleh setelah hari ini."), "letter_date")
    names = [name.strip()[:150] for name in participant_names if name.strip()]
    if not 1 <= participant_count <= MAX_PARTICIPANTS:
        raise TrainingError(
            gettext("Jumlah peserta antara 1 dan %(max)d orang.") % {"max": MAX_PARTICIPANTS},
            "participant_count",
        )
    if len(names) > participant_count:
        raise TrainingError(
            gettext("Ada %(names)d nama peserta, lebih banyak dari jumlah peserta (%(count)d).")
            % {"names": len(names), "count": participant_count},
            "participant_names",
        )
    stored = store_upload(letter_file) if letter_file is not None else None
    with transaction.atomic():
        training = TrainingRequest(
            work_unit=work_unit,
            requested_by=by,
            audience=audience,
            letter_number=letter_number.strip(),
            letter_date=letter_date,
            letter_text=letter_text,
            wanted_date=wanted_date,
            wanted_date_alt=wanted_date_alt,
            participant_count=participant_count,
            contact_name=contact_name.strip(),
            contact_phone=contact_phone.strip(),
            contact_email=contact_email.strip().lower(),
        )
        if stored is not None:
            training.letter_file_name = (getattr(letter_file, "name", "") or "surat")[:255]
            training.letter_stored_name = stored.stored_name
            training.letter_mime = stored.mime_type
            training.letter_size = stored.size
            training.letter_md5 = stored.md5
            training.letter_sha256 = stored.sha256
        training.save()
        Participant.objects.bulk_create(
            [Participant(request=training, name=name) for name in names]
        )
        RequestTransition.objects.create(
            request=training, to_status=RequestStatus.SUBMITTED, at=training.requested_at, by=by
        )
        case = training.open_sop_case(by=by, title=str(training))
        sop.start_step(case, 1, by=by, at=training.requested_at)
        record(
            "training.request_file",
            actor=by,
            target=training,
            after=snapshot(training, FIELDS) | {"participants": names},
            summary=f"Permohonan pelatihan {training}"[:500],
            request=request,
        )
    return training


# --- TRN-2: confirmation by phone and scheduling -----------------------------------------


@transaction.atomic
def confirm_by_phone(
    training: TrainingRequest,
    *,
    by,
    call_minutes: int,
    agreed_date: date,
    note: str = "",
    request=None,
) -> TrainingRequest:
    """The helpdesk's call to the work unit (SOP step 2, standard 1-5 minutes)."""
    training = _lock(training)
    _require(training, RequestStatus.SUBMITTED)
    if not 1 <= call_minutes <= MAX_CALL_MINUTES:
        raise TrainingError(
            gettext("Lama telepon antara 1 dan %(max)d menit.") % {"max": MAX_CALL_MINUTES},
            "call_minutes",
        )
    problem = scheduling.day_problem(training.audience, agreed_date)
    if problem:
        raise TrainingError(problem, "agreed_date")
    if agreed_date <= timezone.localdate():
        raise TrainingError(
            gettext("Tanggal yang disepakati harus setelah hari ini."), "agreed_date"
        )
    before = snapshot(training, FIELDS)
    now = timezone.now()
    call_started = now - timedelta(minutes=call_minutes)
    case = training.sop_case
    sop.finish_step(case, 1, by=by, at=max(call_started, training.requested_at))
    sop.start_step(case, 2, by=by, at=max(call_started, training.requested_at))
    sop.finish_step(case, 2, by=by, at=now, note=note.strip()[:500])
    sop.start_step(case, 3, by=by, at=now)
    _move(training, RequestStatus.CONFIRMED, by=by, at=now, note=note.strip())
    training.confirmed_at, training.confirmed_by = now, by
    training.call_minutes, training.agreed_date = call_minutes, agreed_date
    training.confirmation_note = note.strip()
    training.save()
    record(
        "training.request_confirm",
        actor=by,
        target=training,
        before=before,
        after=snapshot(training, FIELDS),
        summary=f"Konfirmasi telepon pelatihan {training}: {agreed_date:%Y-%m-%d}"[:500],
        request=request,
    )
    return training


def _book(session: TrainingSession) -> None:
    """One SlotBooking per hour per resource; a taken hour raises TrainingError."""
    hours = scheduling.hours_between(session.starts_at, session.ends_at)
    rows = [
        SlotBooking(session=session, kind=kind, resource_id=pk, starts_at=hour)
        for hour in hours
        for kind, pk in (
            (BookingKind.ROOM, session.room_id),
            (BookingKind.SERVER, session.server_id),
            (BookingKind.TRAINER, session.trainer_id),
        )
    ]
    try:
        with transaction.atomic():
            SlotBooking.objects.bulk_create(rows)
    except IntegrityError:
        # Someone booked one of these hours between our check and our write.
        problems = scheduling.clashes(
            hours,
            room_id=session.room_id,
            server_id=session.server_id,
            trainer_id=session.trainer_id,
        )
        raise TrainingError(
            " ".join(problems) or gettext("Jadwal baru saja dipakai pelatihan lain; pilih lagi.")
        ) from None


@transaction.atomic
def schedule_session(
    training: TrainingRequest,
    *,
    by,
    starts_at: datetime,
    ends_at: datetime,
    room: TrainingResource,
    server: TrainingResource,
    trainer,
    request=None,
) -> TrainingSession:
    """Schedule the confirmed request (SOP step 3) on the SOP timetable, holding a room,
    a training server and a trainer for every hour; a clash is refused with its reason."""
    training = _lock(training)
    _require(training, RequestStatus.CONFIRMED)
    if timezone.is_naive(starts_at) or timezone.is_naive(ends_at):
        raise TrainingError(gettext("Waktu harus lengkap dengan zona waktu."))
    if starts_at <= timezone.now():
        raise TrainingError(gettext("Jadwal harus di masa depan."), "date")
    if not (room.is_active and room.kind == "room"):
        raise TrainingError(gettext("Pilih ruang pelatihan yang aktif."), "room")
    if not (server.is_active and server.kind == "server"):
        raise TrainingError(gettext("Pilih server latihan yang aktif."), "server")
    if not (trainer.is_active and trainer.has_role(Role.TRAINER)):
        raise TrainingError(gettext("Pilih pelatih (pengguna dengan peran Pelatih)."), "trainer")
    scheduling.check_times(training.audience, starts_at, ends_at)
    hours = scheduling.hours_between(starts_at, ends_at)
    problems = scheduling.clashes(
        hours, room_id=room.pk, server_id=server.pk, trainer_id=trainer.pk
    )
    if problems:
        raise TrainingError(" ".join(problems))
    local_day = timezone.localtime(starts_at).date()
    exception = None
    if local_day.weekday() not in scheduling.rule_for(training.audience).weekdays:
        exception = DayException.objects.get(date=local_day, audience=training.audience)
    before = snapshot(training, FIELDS)
    now = timezone.now()
    session = TrainingSession.objects.create(
        request=training,
        starts_at=starts_at,
        ends_at=ends_at,
        room=room,
        server=server,
        trainer=trainer,
        exception=exception,
        scheduled_by=by,
        scheduled_at=now,
    )
    _book(session)
    case = training.sop_case
    sop.finish_step(case, 3, by=by, at=now)
    sop.start_step(case, 4, by=by, at=now)
    _move(training, RequestStatus.SCHEDULED, by=by, at=now)
    training.save(update_fields=["status"])
    record(
        "training.schedule",
        actor=by,
        target=training,
        before=before,
        after=snapshot(training, FIELDS) | snapshot(session, SESSION_FIELDS),
        summary=(
            f"Pelatihan {training} dijadwalkan "
            f"{timezone.localtime(starts_at):%Y-%m-%d %H:%M}-{timezone.localtime(ends_at):%H:%M}"
            + (" (hari khusus Kepala LPSE)" if exception else "")
        )[:500],
        request=request,
    )
    return session


@transaction.atomic
def set_day_exception(*, day: date, audience: str, reason: str, by, request=None) -> DayException:
    """The head sets another day for an audience's training (SOP 2.4 step 7 "hari lain")."""
    if not by.has_role(Role.HEAD) and not by.is_superuser:
        raise TrainingError(gettext("Hanya Kepala LPSE yang dapat menetapkan hari lain."))
    reason = (reason or "").strip()
    if not reason:
        raise TrainingError(gettext("Tuliskan alasan penetapan hari lain."), "reason")
    if audience not in Audience.values:
        raise TrainingError(gettext("Pilih peserta pelatihan."), "audience")
    standard = scheduling.timetable()
    if not standard.allows_other_days(audience):
        raise TrainingError(
            gettext("SOP tidak mengizinkan hari lain untuk pelatihan %(audience)s.")
            % {"audience": Audience(audience).label},
            "audience",
        )
    if not calendar.is_working_day(day):
        raise TrainingError(
            gettext("%(day)s bukan hari kerja (%(name)s).")
            % {
                "day": day.isoformat(),
                "name": calendar.holiday_name(day) or gettext("akhir pekan"),
            },
            "date",
        )
    if day.weekday() in scheduling.rule_for(audience, standard).weekdays:
        raise TrainingError(gettext("Hari itu sudah termasuk hari pelatihan menurut SOP."), "date")
    if DayException.objects.filter(date=day, audience=audience).exists():
        raise TrainingError(gettext("Hari itu sudah ditetapkan."), "date")
    exception = DayException.objects.create(date=day, audience=audience, reason=reason, set_by=by)
    record(
        "training.day_exception",
        actor=by,
        target=exception,
        after=snapshot(exception, ["date", "audience", "reason"]),
        summary=f"Hari pelatihan khusus {exception}: {reason}"[:500],
        request=request,
    )
    return exception


# --- TRN-3: letters ---------------------------------------------------------------------------


@transaction.atomic
def issue_letter(training: TrainingRequest, kind: str, *, by, request=None) -> Letter:
    """Number and draw the reply (SOP step 4) or the assignment letter (step 6).

    The number comes from the per-year series (`next_number`, a locked counter row),
    so two letters made at the same moment never share a number.
    """
    training = _lock(training)
    if kind == LetterKind.REPLY:
        _require(training, RequestStatus.SCHEDULED)
    elif kind == LetterKind.ASSIGNMENT:
        _require(training, RequestStatus.REPLIED)
    else:
        raise TrainingError(gettext("Jenis surat tidak dikenal."))
    if Letter.objects.filter(request=training, kind=kind).exists():
        raise TrainingError(gettext("Surat ini sudah dibuat."))
    session = TrainingSession.objects.select_related("room", "server", "trainer").get(
        request=training
    )
    training.session = session
    now = timezone.now()
    year = timezone.localtime(now).year
    sequence = next_number(f"training.{kind}", year)
    recipient = training.contact_email if kind == LetterKind.REPLY else session.trainer.email
    if not recipient:
        raise TrainingError(
            gettext("Pelatih %(name)s belum punya alamat e-mail; isi dulu di Kelola staf.")
            % {"name": session.trainer.get_full_name() or session.trainer.username}
        )
    letter = Letter(
        request=training,
        kind=kind,
        year=year,
        sequence=sequence,
        number=letters.letter_number(kind, year, sequence),
        issued_at=now,
        issued_by=by,
        signer_name=head_signer_name(),
        recipient=recipient,
    )
    content = letters.draw(letter)
    letter.stored_name, letter.sha256 = letters.store(content)
    letter.size = len(content)
    letter.save()
    if kind == LetterKind.REPLY:
        case = training.sop_case
        sop.finish_step(case, 4, by=by, at=now)
        sop.start_step(case, 5, by=by, at=now)
    record(
        "training.letter_issue",
        actor=by,
        target=letter,
        after=snapshot(letter, ["request", "kind", "number", "sha256", "recipient", "signer_name"]),
        summary=f"{letter.get_kind_display()} {letter.number} dibuat"[:500],
        request=request,
    )
    return letter


@transaction.atomic
def send_letter(letter: Letter, *, by, request=None) -> Letter:
    """E-mail the letter with its PDF (after commit, by the task queue); the reply ends
    SOP step 5 and starts step 6, the assignment ends step 6 and starts the training."""
    training = _lock(letter.request)
    letter = Letter.objects.select_for_update().get(pk=letter.pk)
    if letter.sent_at is not None:
        raise TrainingError(gettext("Surat ini sudah dikirim."))
    now = timezone.now()
    case = training.sop_case
    before = snapshot(training, FIELDS)
    if letter.kind == LetterKind.REPLY:
        _move(training, RequestStatus.REPLIED, by=by, at=now, note=letter.number)
        sop.finish_step(case, 5, by=by, at=now)
        sop.start_step(case, 6, by=by, at=now)
    else:
        _move(training, RequestStatus.ASSIGNED, by=by, at=now, note=letter.number)
        sop.finish_step(case, 6, by=by, at=now)
        sop.start_step(case, 7, by=by, at=now)
    training.save(update_fields=["status"])
    letter.sent_at = now
    letter.save(update_fields=["sent_at"])
    transaction.on_commit(lambda: send_training_letter(letter.pk))
    record(
        "training.letter_send",
        actor=by,
        target=letter,
        before=before,
        after=snapshot(training, FIELDS) | {"letter": letter.number, "to": letter.recipient},
        summary=f"{letter.get_kind_display()} {letter.number} dikirim ke {letter.recipient}"[:500],
        request=request,
    )
    return letter


# --- TRN-4: attendance and outcome; cancellation ------------------------------------------------


@transaction.atomic
def record_outcome(
    training: TrainingRequest,
    *,
    by,
    held: bool,
    attended_ids: set[int],
    attended_count: int | None,
    note: str,
    request=None,
) -> TrainingRequest:
    """Record who attended and how it went; SOP step 7 ends and the case closes."""
    training = _lock(training)
    _require(training, RequestStatus.ASSIGNED)
    session = TrainingSession.objects.get(request=training)
    if held and timezone.now() < session.starts_at:
        raise TrainingError(gettext("Pelatihan belum dimulai; hasilnya belum dapat dicatat."))
    note = (note or "").strip()
    if not note:
        raise TrainingError(
            gettext("Tuliskan hasil atau alasan pelatihan tidak terlaksana."), "note"
        )
    participants = list(Participant.objects.select_for_update().filter(request=training))
    known = {participant.pk for participant in participants}
    if not attended_ids <= known:
        raise TrainingError(gettext("Peserta yang dipilih tidak terdaftar pada permohonan ini."))
    if not held:
        attended_ids, attended_count = set(), 0
    elif attended_count is None:
        attended_count = len(attended_ids)
    if attended_count < len(attended_ids) or attended_count > training.participant_count * 2:
        raise TrainingError(
            gettext("Jumlah hadir tidak sesuai dengan peserta yang ditandai hadir."),
            "attended_count",
        )
    before = snapshot(training, FIELDS)
    for participant in participants:
        participant.attended = participant.pk in attended_ids
    Participant.objects.bulk_update(participants, ["attended"])
    now = timezone.now()
    new = RequestStatus.HELD if held else RequestStatus.NOT_HELD
    _move(training, new, by=by, at=now, note=note)
    training.attended_count = attended_count
    training.outcome_note = note
    training.save(update_fields=["status", "attended_count", "outcome_note"])
    case = training.sop_case
    sop.finish_step(
        case, 7, by=by, at=max(now, session.starts_at) if held else now, note=note[:500]
    )
    sop.close_case(case, by=by, outcome=RequestStatus(new).label, at=now)
    record(
        "training.outcome",
        actor=by,
        target=training,
        before=before,
        after=snapshot(training, FIELDS)
        | {"attended": sorted(p.name for p in participants if p.attended)},
        summary=f"Pelatihan {training}: {RequestStatus(new).label}, hadir {attended_count}"[:500],
        request=request,
    )
    return training


@transaction.atomic
def cancel_request(training: TrainingRequest, *, by, reason: str, request=None) -> TrainingRequest:
    """Cancel an open request; its room, server and trainer hours are released."""
    training = _lock(training)
    reason = (reason or "").strip()
    if not reason:
        raise TrainingError(gettext("Tuliskan alasan pembatalan."), "reason")
    before = snapshot(training, FIELDS)
    now = timezone.now()
    released = 0
    if training.status in ACTIVE_STATUSES:
        released, _ = SlotBooking.objects.filter(session__request=training).delete()
    _move(training, RequestStatus.CANCELLED, by=by, at=now, note=reason)
    training.cancel_reason = reason
    training.save(update_fields=["status", "cancel_reason"])
    sop.close_case(training.sop_case, by=by, outcome=gettext("Dibatalkan"), at=now)
    record(
        "training.cancel",
        actor=by,
        target=training,
        before=before,
        after=snapshot(training, FIELDS) | {"released_hours": released},
        summary=f"Pelatihan {training} dibatalkan: {reason}"[:500],
        request=request,
    )
    return training


# --- Resources and the trainers' calendar feed ------------------------------------------------


@transaction.atomic
def add_resource(*, kind: str, name: str, note: str = "", by, request=None) -> TrainingResource:
    name = (name or "").strip()
    if not name:
        raise TrainingError(gettext("Nama sarana wajib diisi."), "name")
    if TrainingResource.objects.filter(kind=kind, name__iexact=name).exists():
        raise TrainingError(gettext("Sarana dengan nama ini sudah ada."), "name")
    resource = TrainingResource.objects.create(kind=kind, name=name, note=(note or "").strip())
    record(
        "training.resource_add",
        actor=by,
        target=resource,
        after=snapshot(resource, ["kind", "name", "note", "is_active"]),
        summary=f"Sarana pelatihan ditambahkan: {resource}"[:500],
        request=request,
    )
    return resource


@transaction.atomic
def set_resource_active(resource: TrainingResource, active: bool, *, by, request=None):
    resource = TrainingResource.objects.select_for_update().get(pk=resource.pk)
    before = snapshot(resource, ["is_active"])
    resource.is_active = active
    resource.save(update_fields=["is_active"])
    record(
        "training.resource_active",
        actor=by,
        target=resource,
        before=before,
        after=snapshot(resource, ["is_active"]),
        summary=f"Sarana pelatihan {resource} {'diaktifkan' if active else 'dinonaktifkan'}",
        request=request,
    )
    return resource


def feed_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def renew_trainer_feed(*, by, request=None) -> str:
    """A new secret calendar address for the trainer `by`; the old one stops working.
    Only the hash is kept: the address is shown once."""
    token = secrets.token_urlsafe(32)
    TrainerFeed.objects.update_or_create(
        user=by, defaults={"token_hash": feed_token_hash(token), "created_at": timezone.now()}
    )
    record(
        "training.feed_renew",
        actor=by,
        target=by,
        summary=f"Alamat kalender pelatihan {by.username} dibuat baru",
        request=request,
    )
    return token
