"""410 Gone for the address of an article that was published and then taken down.

Wagtail answers 404 for a page that is not live. For an article readers (and search engines) once
saw, 410 says it was removed on purpose, so crawlers drop it quickly. Only 404 answers are looked at,
after the redirects middleware had its chance (a moved article redirects instead): one indexed query.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.deprecation import MiddlewareMixin
from wagtail.models import Site

from polosa.news.models import ArticlePage


def withdrawn_article(request) -> ArticlePage | None:
    """The once-published, now unpublished article at the request's address, if there is one."""
    if request.method not in ("GET", "HEAD"):
        return None
    site = Site.find_for_request(request)
    if site is None:
        return None
    path = request.path_info
    if not path.endswith("/"):
        path += "/"
    url_path = site.root_page.url_path.rstrip("/") + path
    return (
        ArticlePage.objects.filter(url_path=url_path, live=False, first_published_at__isnull=False)
        .only("pk", "title")
        .first()
    )


class GoneMiddleware(MiddlewareMixin):
    """Async-capable through MiddlewareMixin, like the redirects middleware beside it."""

    def process_response(self, request, response):
        if response.status_code != 404:
            return response
        article = withdrawn_article(request)
        if article is None:
            return response
        html = render_to_string("newsroom/gone.html", request=request)
        gone = HttpResponse(html, status=410)
        gone["Cache-Control"] = "no-cache"
        return gone
