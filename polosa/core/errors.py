"""The server-error view: a Russian "temporarily unavailable" page (503) when the database is down.

Django's default 500 view renders the template with the request's context processors, which read the
database (site settings) and so fail again while it is down. This one renders without them, tells a
database outage from any other error, and marks the response so the page cache can serve a stored
copy of the page instead (`polosa.caching.middleware`).
"""

from __future__ import annotations

import logging
import sys

from django.db import DatabaseError
from django.http import HttpResponse, HttpResponseServerError
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30


def database_unavailable(error: BaseException | None) -> bool:
    """Whether `error` (or what caused it) means the database cannot be reached right now."""
    from django.db import InterfaceError, OperationalError

    seen = 0
    while error is not None and seen < 5:
        if isinstance(error, OperationalError | InterfaceError):
            return True
        if type(error).__name__ == "PoolTimeout":  # psycopg_pool: no connection could be had in time
            return True
        if isinstance(error, DatabaseError):
            return False
        error = error.__cause__ or error.__context__
        seen += 1
    return False


@requires_csrf_token
def server_error(request, template_name="500.html"):
    error = sys.exc_info()[1]
    if database_unavailable(error):
        logger.error("database unavailable while serving %s: %s", request.path, error)
        response = HttpResponse(loader.get_template("503.html").render({}), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        response["Cache-Control"] = "no-store"
        response.polosa_database_unavailable = True
        return response
    return HttpResponseServerError(loader.get_template(template_name).render({}))
