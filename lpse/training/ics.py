"""The trainers' iCalendar feed (RFC 5545) of their training sessions (TRN-4).

Built with the `icalendar` package, which does the escaping of text values
(commas, semicolons, backslashes, new lines) and folds lines at 75 octets.
Times are written in UTC; cancelled sessions stay in the feed with
STATUS:CANCELLED so subscribed calendars remove them.
"""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext
from icalendar import Calendar, Event

from .choices import RequestStatus


def feed(trainer, sessions, *, now: datetime) -> bytes:
    host = urlsplit(settings.SITE_URL).hostname or "lpse"
    calendar = Calendar()
    calendar.add("prodid", f"-//{settings.LPSE_NAME}//Pelatihan SPSE//ID")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add(
        "x-wr-calname",
        gettext("Pelatihan %(name)s") % {"name": trainer.get_full_name() or trainer.username},
    )
    for session in sessions:
        training = session.request
        event = Event()
        event.add("uid", f"pelatihan-{session.pk}@{host}")
        event.add("dtstamp", now.astimezone(UTC))
        event.add("dtstart", session.starts_at.astimezone(UTC))
        event.add("dtend", session.ends_at.astimezone(UTC))
        event.add(
            "summary",
            gettext("Pelatihan SPSE: %(unit)s (%(audience)s)")
            % {"unit": training.work_unit.name, "audience": training.get_audience_display()},
        )
        event.add("location", f"{session.room.name}, {settings.LPSE_NAME}")
        event.add(
            "description",
            gettext(
                "Peserta: %(count)d orang\nServer latihan: %(server)s\n"
                "Narahubung: %(contact)s, %(phone)s\n%(url)s"
            )
            % {
                "count": training.participant_count,
                "server": session.server.name,
                "contact": training.contact_name,
                "phone": training.contact_phone,
                "url": settings.SITE_URL + reverse("training:detail", args=[training.pk]),
            },
        )
        cancelled = training.status == RequestStatus.CANCELLED
        event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
        event.add("sequence", 1 if cancelled else 0)
        calendar.add_component(event)
    return calendar.to_ical()
