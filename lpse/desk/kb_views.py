"""Knowledge base (FAQ) and the topic list (DESK-2, DESK-1)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from lpse.core.access import role_required, user_has_any_role

from . import kb_services, selectors
from .forms import ArticleForm, TopicForm
from .models import Article, Topic
from .selectors import KB_EDITORS


def articles(request):
    """Published articles for everyone, drafts too for the desk; word search."""
    query = request.GET.get("q", "")[:100]
    staff = user_has_any_role(request.user, selectors.DESK_STAFF)
    page = selectors.page_of(
        selectors.search_articles(query, published_only=not staff), request.GET.get("page")
    )
    return render(
        request,
        "desk/articles.html",
        {"page": page, "query": query, "can_edit": user_has_any_role(request.user, KB_EDITORS)},
    )


def article(request, pk):
    item = selectors.get_article_for_user(request.user, pk)
    return render(
        request,
        "desk/article.html",
        {"article": item, "can_edit": user_has_any_role(request.user, KB_EDITORS)},
    )


@role_required(*KB_EDITORS)
@require_http_methods(["GET", "POST"])
def article_edit(request, pk=None):
    item = get_object_or_404(Article, pk=pk) if pk else None
    form = ArticleForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        saved = kb_services.save_article(form.instance, by=request.user, request=request)
        messages.success(request, gettext("Artikel tersimpan."))
        return redirect("desk:article", pk=saved.pk)
    return render(
        request,
        "desk/article_form.html",
        {"form": form, "article": item},
        status=400 if form.errors else 200,
    )


@role_required(*KB_EDITORS)
@require_http_methods(["GET", "POST"])
def topics(request, pk=None):
    item = get_object_or_404(Topic, pk=pk) if pk else None
    form = TopicForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        kb_services.save_topic(form.instance, by=request.user, request=request)
        messages.success(request, gettext("Topik tersimpan."))
        return redirect("desk:topics")
    return render(
        request,
        "desk/topics.html",
        {"form": form, "topic": item, "topics": Topic.objects.all()},
        status=400 if form.errors else 200,
    )
