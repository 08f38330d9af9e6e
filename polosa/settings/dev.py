"""Settings for `make run`: the embedded site on one machine, with the demo content."""

from urllib.parse import urlsplit

from . import dotenv

dotenv.load()  # before base reads the environment

from .base import *  # noqa: E402
from .base import env  # noqa: E402

# Off, so the demo answers like the real site (its own Russian 404 and 500 pages, not Django's English
# debug page listing every URL); static files are still served (WhiteNoise, below). DEBUG=true is the
# developer's switch for tracebacks in the browser.
DEBUG = env.bool("DEBUG", default=False)
# A fixed key for the local demo only; production.py never falls back to a key.
SECRET_KEY = env.str("SECRET_KEY", default="polosa-embedded-development-key-not-for-production-use-0001")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
if not env.str("ALLOWED_HOSTS", default="") and urlsplit(SITE_URL).hostname:
    # `HOST=news.lan make run` answers at the address its links point to.
    ALLOWED_HOSTS.append(urlsplit(SITE_URL).hostname)
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# Static files straight from the app folders, no collectstatic step needed to run the demo, with DEBUG
# on or off.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# The demo's rates are the shipped documents; POLOSA_RATES_FETCH=true lets the worker ask the bank
# hourly, as production does (`manage.py import_rates` fetches once on request either way).
POLOSA_RATES_FETCH = env.bool("POLOSA_RATES_FETCH", default=False)

# Wagtail logs every page action at INFO; the demo loader publishes dozens at once.
LOGGING["loggers"]["wagtail"] = {"level": "WARNING"}
