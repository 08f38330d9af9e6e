"""The address of each shared piece of the page, for an ESI edge (``<esi:include src="/_esi/…">``)."""

from django.http import Http404, HttpResponse
from django.views.decorators.http import require_GET

from . import includes


@require_GET
def piece(request, name: str):
    """One piece's HTML, exactly the bytes a page filled by Polosa itself carries in that hole.

    Stored by the page cache like any page, with the piece's own dependency keys, so the edge keeps
    it until one of them is purged.
    """
    spec = includes.get(name)
    if spec is None:
        raise Http404
    params = includes.clean_params(spec, request.GET.dict())
    if params is None or len(request.GET) != len(params):
        raise Http404
    return HttpResponse(
        str(spec.html(params)).encode(),
        content_type="text/html; charset=utf-8",
        # A piece of other pages, fetched by the edge or a reader's browser: never a search result.
        headers={"X-Robots-Tag": "noindex"},
    )


def health(request):
    """Liveness for the edge's probe: the app server answers, without touching the database or the
    cache (a sick database is the stale-if-error case, not a reason to stop sending readers)."""
    return HttpResponse(
        b"ok\n", content_type="text/plain; charset=utf-8", headers={"Cache-Control": "no-store"}
    )
