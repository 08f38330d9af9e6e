"""The push endpoint: an agency POSTs a NewsML-G2 or ninjs document, authenticated with a bearer token.

The token is the value of the environment variable the source names (``token_env``); a source
without one accepts nothing. The document is stored before the answer is sent, so an item is in the
inbox as soon as the agency has its 200.
"""

from __future__ import annotations

import hmac

from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from polosa.caching import do_not_cache

from . import ingest
from .models import Source, SourceKind
from .parsing import MAX_DOCUMENT_BYTES


def _authorised(request, source: Source) -> bool:
    expected = source.secret("token_env")
    given = request.headers.get("Authorization", "")
    scheme, _, token = given.partition(" ")
    return bool(expected) and scheme.lower() == "bearer" and hmac.compare_digest(token.strip(), expected)


@csrf_exempt
@require_POST
@never_cache
def push(request, slug: str):
    do_not_cache("wire push endpoint")
    source = get_object_or_404(Source, slug=slug, kind=SourceKind.PUSH, enabled=True)
    if not _authorised(request, source):
        return JsonResponse({"error": "unauthorised"}, status=401, headers={"WWW-Authenticate": "Bearer"})
    length = int(request.headers.get("Content-Length") or 0)
    if length > MAX_DOCUMENT_BYTES:
        return JsonResponse({"error": "too large"}, status=413)
    content = request.body
    result = ingest.ingest_document(
        content,
        source=source,
        transport="push",
        name=request.headers.get("X-Document-Name", "")[:200],
        content_type=request.content_type or "",
    )
    if not result.ok:
        ingest.record_failure(source, result.error, back_off=False)
        return JsonResponse({"error": result.error, "document": result.document.pk}, status=422)
    ingest.record_success(source)
    return JsonResponse(
        {
            "document": result.document.pk,
            "created": result.created,
            "updated": result.updated,
            "withdrawn": result.withdrawn,
            "duplicates": result.duplicates,
        }
    )
