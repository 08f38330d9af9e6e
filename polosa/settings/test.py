"""Settings for the test suite: fast, isolated, no files left behind.

Defaults to SQLite and an in-memory cache so a newcomer with nothing installed can run the tests;
DATABASE_URL and REDIS_URL switch the same suite to PostgreSQL and Redis (as .ci/run does).
"""

import os

from .base import *
from .base import REDIS_URL, VAR_DIR, env, use_prepared_statements

DEBUG = False
SECRET_KEY = "polosa-test-key-not-secret-0000000000000000000000000000"
ALLOWED_HOSTS = ["*"]
# Not derived from HOST/PORT as in base: a shell's HOST or PORT must not change the links tests expect.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
WAGTAILADMIN_BASE_URL = SITE_URL
# Likewise a shell's editor login must not change what ensure_editor's tests see.
POLOSA_EDITOR_USERNAME = "editor"
POLOSA_EDITOR_PASSWORD = ""
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

DATABASES = {"default": env.db("DATABASE_URL", default="sqlite://:memory:")}
if DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
    # Several checkouts may test against the same server at once.
    DATABASES["default"]["TEST"] = {"NAME": env.str("TEST_DATABASE_NAME", default="test_polosa")}
    # As in production, so the suite meets what server-side binding changes.
    use_prepared_statements(DATABASES["default"])

# One name per run and per pytest-xdist worker (gw0, gw1, …; each worker is a process of its own):
# parallel runs and a run's workers share one Redis, and each worker has a database of its own (SQLite
# in memory; on PostgreSQL pytest-django suffixes the test database's name with the worker), so the
# same primary keys name different pages in each. The cache keys and the live blogs' pub/sub channels
# (polosa.live.channel) carry it, so no worker reads another's entries or events.
RUN_NAME = f"polosa-test-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}-{os.getpid()}"
CACHE_KEY_PREFIX = RUN_NAME

if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "polosa.caching.redis.PolosaRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": CACHE_KEY_PREFIX,
        }
    }
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "polosa-test"}
    }

TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
MEDIA_ROOT = VAR_DIR / "test-media" / RUN_NAME
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
LANGUAGE_CODE = "ru"
TIME_ZONE = "Europe/Moscow"
LOGGING["root"]["level"] = "WARNING"
# A test's event loop lives for one request: a subscription per loop only costs connections there
# (polosa/caching/tests/test_clock.py turns it on for its own tests).
POLOSA_CLOCK_SUBSCRIPTION = False
# Other apps' tests save revisions by the thousand; loading the entity models and analysing each
# would only slow them (polosa/nlp/tests turn it on for their own tests).
POLOSA_NLP_ON_SAVE = False
