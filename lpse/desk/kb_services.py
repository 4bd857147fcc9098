"""Writes of the topic list (DESK-1) and the knowledge base (DESK-2), audited (AUD-1)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from lpse.audit.services import record, snapshot

from .models import Article, Topic


@transaction.atomic
def save_topic(topic: Topic, *, by, request=None) -> Topic:
    creating = topic.pk is None
    before = (
        None
        if creating
        else snapshot(Topic.objects.get(pk=topic.pk), ["name", "order", "is_active"])
    )
    topic.save()
    record(
        "desk.topic_add" if creating else "desk.topic_change",
        actor=by,
        target=topic,
        before=before,
        after=snapshot(topic, ["name", "order", "is_active"]),
        summary=f"Topik helpdesk: {topic.name}",
        request=request,
    )
    return topic


ARTICLE_FIELDS = ["title", "body", "topic", "is_published", "is_canned"]


@transaction.atomic
def save_article(article: Article, *, by, request=None) -> Article:
    creating = article.pk is None
    before = None if creating else snapshot(Article.objects.get(pk=article.pk), ARTICLE_FIELDS)
    article.updated_at = timezone.now()
    article.updated_by = by
    article.save()
    record(
        "desk.article_add" if creating else "desk.article_change",
        actor=by,
        target=article,
        before=before,
        after=snapshot(article, ARTICLE_FIELDS),
        summary=f"Artikel basis pengetahuan: {article.title}"[:500],
        request=request,
    )
    return article
