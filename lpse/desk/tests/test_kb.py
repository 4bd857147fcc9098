"""DESK-2: the knowledge base (FAQ) with search; canned answers; the topic list (DESK-1)."""

from __future__ import annotations

from django.urls import reverse

from lpse.audit.models import AuditEvent
from lpse.conftest import login
from lpse.desk.models import Article, Topic


def test_public_finds_published_articles_by_words_not_drafts_DESK_2(client):
    Article.objects.create(title="Cara unggah akta", body="Gunakan PDF di bawah 20 MB.")
    Article.objects.create(title="Catatan internal server", body="akta", is_published=False)
    page = client.get(reverse("desk:articles"), {"q": "AKTA pdf"}).content.decode()
    assert "Cara unggah akta" in page
    assert "Catatan internal server" not in page
    draft = Article.objects.get(is_published=False)
    assert client.get(reverse("desk:article", args=[draft.pk])).status_code == 404


def test_helpdesk_writes_articles_audited_DESK_2(client, helpdesk, vendor):
    login(client, vendor)
    assert client.get(reverse("desk:article_new")).status_code == 403
    login(client, helpdesk)
    response = client.post(
        reverse("desk:article_new"),
        {
            "title": "Lupa kata sandi",
            "body": "Gunakan tautan Lupa kata sandi.",
            "is_published": "on",
            "is_canned": "on",
        },
    )
    article = Article.objects.get()
    assert response.status_code == 302
    assert article.updated_by == helpdesk
    bad = client.post(reverse("desk:article_edit", args=[article.pk]), {"title": "", "body": ""})
    assert bad.status_code == 400
    article.refresh_from_db()
    assert article.title == "Lupa kata sandi"
    assert AuditEvent.objects.filter(action="desk.article_add").exists()


def test_topic_list_is_configurable_DESK_1(client, head):
    login(client, head)
    client.post(reverse("desk:topics"), {"name": "E-katalog", "order": "5", "is_active": "on"})
    topic = Topic.objects.get(name="E-katalog")
    client.post(reverse("desk:topic_edit", args=[topic.pk]), {"name": "E-katalog", "order": "5"})
    topic.refresh_from_db()
    assert topic.is_active is False
    login(client, head)
    form = client.get(reverse("desk:log"))
    assert form.status_code == 200
    assert "E-katalog" not in form.content.decode()
    assert AuditEvent.objects.filter(action="desk.topic_change").exists()
