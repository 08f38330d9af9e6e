"""The inbox («Ленты агентств») in Wagtail's admin: list, live rows, item, «Создать материал», status."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from polosa.core.sanitize import clean_rendered_html

from . import access, articles, inbox, ingest
from .models import DocumentStatus, RawDocument, Source, WireArticle, WireItem


def _require_inbox(request):
    if not access.can_use_inbox(request.user):
        raise PermissionDenied


def _sections(request):
    return access.sections_for(request.user)


def inbox_view(request):
    _require_inbox(request)
    filters = inbox.Filters.from_query(request.GET)
    result = inbox.page(filters, before=request.GET.get("before", ""))
    context = {
        "page_title": _("Agency feeds"),
        "header_title": _("Agency feeds"),
        "header_icon": "rss",
        "result": result,
        "filters": filters,
        "agencies": inbox.agencies(),
        "sections": _sections(request),
        "urgencies": range(1, 10),
        "held": WireItem.objects.held().count(),
        "query_string": urlencode(filters.as_query()),
    }
    return TemplateResponse(request, "wire/admin/inbox.html", context)


def rows_view(request):
    """Rows newer than ``after``, as HTML, for the inbox's periodic refresh."""
    _require_inbox(request)
    filters = inbox.Filters.from_query(request.GET)
    after = request.GET.get("after", "")
    result = (
        inbox.page(filters, after=after, size=200) if after else inbox.InboxPage(rows=[], filters=filters)
    )
    # Newest first on the page: the rows come oldest first after the cursor.
    result.rows.sort(key=lambda row: (row.available_at, row.pk), reverse=True)
    html = render_to_string("wire/admin/rows.html", {"rows": result.rows}, request=request)
    newest = inbox.encode_cursor(result.rows[0]) if result.rows else after
    return JsonResponse({"html": html, "count": len(result.rows), "cursor": newest})


def item_view(request, pk: int):
    _require_inbox(request)
    item = get_object_or_404(WireItem.objects.select_related("source", "section", "document"), pk=pk)
    if item.seen_at is None:
        WireItem.objects.filter(pk=item.pk, seen_at__isnull=True).update(seen_at=timezone.now())
    uses = WireArticle.objects.filter(item=item).select_related("page", "created_by")
    similar = []
    if item.group_id:
        similar = list(
            WireItem.objects.filter(group_id=item.group_id, withdrawn_at__isnull=True)
            .exclude(pk=item.pk)
            .select_related("source")
            .order_by("-available_at")[:20]
        )
    sections = _sections(request)
    context = {
        "page_title": item.headline,
        "header_title": _("Agency item"),
        "header_icon": "doc-full",
        "item": item,
        # Cleaned by the same allow-list as article text on its way to readers.
        "body": mark_safe(clean_rendered_html(item.body)),
        "uses": uses,
        "similar": similar,
        "sections": sections,
        "chosen_section": item.section_id or (item.source.default_section_id),
        "withdrawn": item.withdrawn_at is not None,
        "held": item.is_held,
    }
    return TemplateResponse(request, "wire/admin/item.html", context)


@require_POST
def create_article_view(request, pk: int):
    _require_inbox(request)
    item = get_object_or_404(WireItem.objects.select_related("source"), pk=pk)
    if item.withdrawn_at is not None or item.is_held:
        messages.error(request, _("The agency has withdrawn this item or it is under embargo."))
        return redirect("wire_item", pk=item.pk)
    allowed = {section.pk: section for section in _sections(request)}
    try:
        section = allowed[int(request.POST.get("section", ""))]
    except (KeyError, ValueError):
        messages.error(request, _("Choose a section you may create articles in."))
        return redirect("wire_item", pk=item.pk)
    page = articles.create_article(item, section, request.user)
    messages.success(
        request, _("A draft was made from the agency item; submit it for review when it is ready.")
    )
    return redirect("wagtailadmin_pages:edit", page.pk)


def _require_sources(request):
    if not (request.user.is_superuser or request.user.has_perm("wire.change_source")):
        # Editors who may use the inbox may also see how the feeds are doing.
        _require_inbox(request)


def status_view(request):
    _require_sources(request)
    sources = list(Source.objects.order_by("name"))
    for source in sources:
        source.today = ingest.items_today(source)
    return TemplateResponse(
        request,
        "wire/admin/status.html",
        {"page_title": _("Agency feed status"), "header_title": _("Agency feed status"), "sources": sources},
    )


def source_status_view(request, pk: int):
    _require_sources(request)
    source = get_object_or_404(Source, pk=pk)
    source.today = ingest.items_today(source)
    failures = RawDocument.objects.filter(source=source, status=DocumentStatus.FAILED).defer("content")[:50]
    recent = RawDocument.objects.filter(source=source, status=DocumentStatus.STORED).defer("content")[:20]
    return TemplateResponse(
        request,
        "wire/admin/source_status.html",
        {
            "page_title": source.name,
            "header_title": source.name,
            "source": source,
            "failures": failures,
            "recent": recent,
        },
    )


def document_view(request, pk: int):
    """The raw document as received, for inspection (served as a download, never rendered)."""
    _require_sources(request)
    document = get_object_or_404(RawDocument, pk=pk)
    if document.content is None:
        raise Http404
    response = HttpResponse(bytes(document.content), content_type="application/octet-stream")
    response["Content-Disposition"] = f'attachment; filename="wire-document-{document.pk}.bin"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
