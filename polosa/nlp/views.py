"""The editor's panel: its contents, a refresh, and turning a suggestion into a tag."""

from __future__ import annotations

import logging

from django.http import HttpResponseForbidden, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from polosa.news.models import ArticlePage, Tag
from polosa.newsroom.slugs import slug_from_title

from . import matching, service
from .models import ArticleAnalysis, TagSuggestion
from .related import related_articles

logger = logging.getLogger(__name__)


def _editable_article(request, article_id) -> ArticlePage | None:
    article = get_object_or_404(ArticlePage, pk=article_id)
    if not article.permissions_for_user(request.user).can_edit():
        return None
    return article


def _ids(raw: str) -> list[int]:
    return [int(part) for part in (raw or "").split(",") if part.strip().isdigit()]


def _render_panel(request, article):
    # The tags in the form being edited, not the stored ones: the editor may have added or removed
    # some since the last save.
    tag_ids = _ids(request.GET.get("tags") or request.POST.get("tags", ""))
    page_ids = _ids(request.GET.get("related") or request.POST.get("related", ""))
    analysis = ArticleAnalysis.objects.filter(article=article).first()
    context = {
        "article": article,
        "analysed": analysis is not None,
        "stale": analysis is not None and analysis.revision_id != article.latest_revision_id,
        "suggestions": service.suggestions_for(article, exclude_tag_ids=tag_ids),
        "related": related_articles(article, exclude_ids=page_ids) if analysis else [],
    }
    response = render(request, "nlp/panel_content.html", context)
    response["X-Nlp-Stale"] = "1" if analysis is None or context["stale"] else "0"
    return response


@require_GET
def panel(request, article_id):
    article = _editable_article(request, article_id)
    if article is None:
        return HttpResponseForbidden()
    return _render_panel(request, article)


@require_POST
def refresh(request, article_id):
    """Analyse the latest revision now (in this process) and answer the refreshed panel."""
    article = _editable_article(request, article_id)
    if article is None:
        return HttpResponseForbidden()
    service.analyse_article(article)
    return _render_panel(request, article)


@require_POST
def add(request, article_id, suggestion_id):
    """The suggestion's tag, made first if it is new, for the form to add to the article's tags.

    The tag is not added to the article here: the editor's form holds the article being edited, and
    a tag written behind its back would be lost on its next save (or refused as a conflicting edit).
    """
    article = _editable_article(request, article_id)
    if article is None:
        return HttpResponseForbidden()
    suggestion = get_object_or_404(TagSuggestion, pk=suggestion_id, article=article)
    tag = suggestion.tag or _existing_tag(suggestion)
    if tag is None:
        if not request.user.has_perm("news.add_tag"):
            return JsonResponse({"error": _("You may not create tags.")}, status=403)
        tag = Tag.objects.create(kind=suggestion.kind, name=suggestion.name, slug=_free_slug(suggestion.name))
        logger.info("nlp: tag %s (%s) created from a suggestion by %s", tag.pk, tag.name, request.user)
        TagSuggestion.objects.filter(kind=suggestion.kind, name=suggestion.name, tag=None).update(tag=tag)
    return JsonResponse(
        {"id": tag.pk, "title": str(tag), "edit_url": reverse("wagtailsnippets_news_tag:edit", args=[tag.pk])}
    )


def _existing_tag(suggestion) -> Tag | None:
    key = matching.fold(suggestion.name)
    for tag in Tag.objects.filter(kind=suggestion.kind, name__iexact=suggestion.name):
        if matching.fold(tag.name) == key:
            return tag
    return None


def _free_slug(name: str) -> str:
    base = slug_from_title(name) or "tag"
    slug, n = base, 1
    while Tag.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug
