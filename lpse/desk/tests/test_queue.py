"""Item 6 of the issue: the officers' queue with indexed filters, pages without COUNT and a
constant number of queries whatever the number of tickets (DESK-2)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from lpse.conftest import login
from lpse.desk.choices import ACTIVE
from lpse.desk.models import Ticket, Topic


def make_tickets(count: int, officer=None, **fields):
    topics = list(Topic.objects.all())
    now = timezone.now()
    tickets = [
        Ticket(
            reference=f"HD-2026-{n + 1:06d}",
            requester_type="vendor",
            channel=("phone", "email", "web", "walk_in")[n % 4],
            topic=topics[n % len(topics)],
            subject=f"Pertanyaan {n}",
            question="?",
            requester_name=f"Penanya {n:03d}",
            search_name=f"penanya {n:03d}",
            requester_email=f"p{n}@contoh.id",
            status=("new", "open", "waiting_lkpp", "answered", "closed")[n % 5],
            assigned_to=officer if n % 2 else None,
            received_at=now - timedelta(minutes=n),
            last_activity_at=now,
        )
        for n in range(count)
    ]
    for ticket in tickets:
        for name, value in fields.items():
            setattr(ticket, name, value)
        ticket.queue_at = ticket.received_at if ticket.status in ACTIVE else None
    return Ticket.objects.bulk_create(tickets)


@pytest.mark.parametrize("count", [5, 60])
def test_queue_query_count_does_not_grow_with_tickets_DESK_2(
    client, helpdesk, count, django_assert_max_num_queries
):
    make_tickets(count, officer=helpdesk)
    login(client, helpdesk)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("desk:queue"))
    assert response.status_code == 200
    with django_assert_max_num_queries(12):
        client.get(reverse("desk:queue"), {"status": "all", "petugas": "me", "page": "2"})


def test_queue_filters_and_search_DESK_2(client, helpdesk):
    tickets = make_tickets(30, officer=helpdesk)
    login(client, helpdesk)

    def shown(**params):
        html = client.get(reverse("desk:queue"), params).content.decode()
        return {t.reference for t in tickets if f">{t.reference}<" in html}

    active = {t.reference for t in tickets if t.status in ("new", "open", "waiting_lkpp")}
    assert shown() == active
    assert shown(status="closed") == {t.reference for t in tickets if t.status == "closed"}
    mine = shown(status="all", petugas="me")
    assert mine == {t.reference for t in tickets if t.assigned_to_id}
    assert shown(status="all", petugas="none") == {
        t.reference for t in tickets if not t.assigned_to_id
    }
    assert shown(status="all", saluran="email") == {
        t.reference for t in tickets if t.channel == "email"
    }
    topic = tickets[3].topic
    assert shown(status="all", topik=topic.pk) == {
        t.reference for t in tickets if t.topic_id == topic.pk
    }
    assert shown(status="all", q=tickets[7].reference.lower()) == {tickets[7].reference}
    assert shown(status="all", q="p12@contoh.id") == {tickets[12].reference}
    assert shown(status="all", q="Penanya 02") == {tickets[n].reference for n in range(20, 30)}


def test_queue_pages_without_counting_DESK_2(client, helpdesk):
    make_tickets(60)
    login(client, helpdesk)
    first = client.get(reverse("desk:queue"), {"status": "all"})
    assert "Berikutnya" in first.content.decode()
    third = client.get(reverse("desk:queue"), {"status": "all", "page": "3"}).content.decode()
    assert "HD-2026-000060" in third and "Berikutnya" not in third
    odd = client.get(reverse("desk:queue"), {"page": "bukan-angka"})
    assert odd.status_code == 200
