"""Shared helpers of the helpdesk tests (no tests here)."""

from __future__ import annotations

from lpse.desk import services
from lpse.desk.choices import Channel, RequesterType
from lpse.desk.models import Topic


def phone_call(officer, *, question="Bagaimana cara mendaftar?", answer="", email="", **extra):
    topic = extra.pop("topic", None) or Topic.objects.get(name="Lainnya")
    return services.log_request(
        by=officer,
        requester=services.Requester(
            name=extra.pop("name", "Pak Darto"),
            requester_type=extra.pop("requester_type", RequesterType.VENDOR),
            phone="0812-1111-2222",
            email=email,
        ),
        channel=extra.pop("channel", Channel.PHONE),
        topic=topic,
        question=question,
        answer=answer,
        **extra,
    )
