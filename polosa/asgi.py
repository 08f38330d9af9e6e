import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "polosa.settings.dev")

django_application = get_asgi_application()

# Imported after Django is set up: page-cache hits are answered before Django's request handling.
from polosa.caching.asgi import PageCacheApp  # noqa: E402

application = PageCacheApp(django_application)
