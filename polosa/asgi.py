"""The ASGI entry point (`make serve`): where each request is answered.

- A page-cache hit: in the event loop, before Django (`polosa.caching.asgi.PageCacheApp`).
- A view written as a coroutine (the live blogs' event streams): Django's ASGI handler, so a reader
  waiting on a stream holds no thread.
- Everything else (cache misses, editors, the admin, POSTs): Django's WSGI handler in a pool of threads
  (a2wsgi). Django runs an ASGI request's synchronous middleware and view each through its own
  thread hop; for a page rendered from the database those hops cost about a third of the render
  (11.9 ms of CPU for a cold article against 8.1 under WSGI, `make bench-cold`). Here a request makes
  one.
"""

import os

from django.core.asgi import get_asgi_application
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "polosa.settings.dev")

django_asgi = get_asgi_application()
django_wsgi = get_wsgi_application()

# Imported after Django is set up.
from polosa.caching.asgi import PageCacheApp  # noqa: E402
from polosa.core.serving import ByViewKind  # noqa: E402

application = PageCacheApp(ByViewKind(asgi=django_asgi, wsgi=django_wsgi))
