"""Plain Django per-site caching on Polosa, the peer `make bench` compares the page cache with.

Production settings with Polosa's page cache off (its middleware and the ASGI hit path) and Django's
own `UpdateCacheMiddleware` / `FetchFromCacheMiddleware` around the stack instead, in the same cache
and under the same granian server. Django's cache knows nothing of publishes: a page stays as it was
for CACHE_MIDDLEWARE_SECONDS, which is what the benchmark's publish-to-visible shows.
"""

from polosa.settings.production import *  # noqa: F403
from polosa.settings.production import MIDDLEWARE as _PRODUCTION_MIDDLEWARE
from polosa.settings.production import POLOSA_PAGE_CACHE_SECONDS

POLOSA_PAGE_CACHE_ENABLED = False
MIDDLEWARE = [
    "django.middleware.cache.UpdateCacheMiddleware",
    *(name for name in _PRODUCTION_MIDDLEWARE if name != "polosa.caching.middleware.PageCacheMiddleware"),
    "django.middleware.cache.FetchFromCacheMiddleware",
]
# As long as Polosa keeps a page (its page cache would have been told of a publish).
CACHE_MIDDLEWARE_SECONDS = POLOSA_PAGE_CACHE_SECONDS
CACHE_MIDDLEWARE_KEY_PREFIX = "peer-django"
