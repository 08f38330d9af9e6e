"""Settings shared by every environment.

Every value that differs between machines comes from an environment variable, read once here,
typed, with a default that suits the embedded setup (one machine, SQLite, no services).
`.env.example` lists them all; production.py refuses to start without the ones it cannot guess.
"""

import os
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

from .address import served_site_url

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent
VAR_DIR = BASE_DIR / "var"

# Only the process environment: dev.py and production.py add the checkout's .env to it before they
# import this module (polosa/settings/dotenv.py); the test settings never read .env.
env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# The public address of the site, used for absolute links in feeds, sitemaps and e-mails. Unset, it is
# the address `make run` serves (HOST, PORT: http://127.0.0.1:8000 by default), so the demo's links
# follow its port; a deployment sets it.
# The address `make run` / `make serve` listen on (the serve and run_site commands' defaults).
POLOSA_SERVER_HOST = env.str("HOST", default="127.0.0.1")
POLOSA_SERVER_PORT = env.int("PORT", default=8000)
# SITE_URL as configured, empty when unset: run_site then links to the address it actually serves,
# which its --port may make differ from PORT.
POLOSA_CONFIGURED_SITE_URL = env.str("SITE_URL", default="").rstrip("/")
SITE_URL = (POLOSA_CONFIGURED_SITE_URL or served_site_url(POLOSA_SERVER_HOST, POLOSA_SERVER_PORT)).rstrip("/")
SITE_NAME = env.str("SITE_NAME", default="Полоса")
WAGTAIL_SITE_NAME = SITE_NAME
WAGTAILADMIN_BASE_URL = SITE_URL

INSTALLED_APPS = [
    # Polosa's own apps come first so their templates override Wagtail's where they share a name.
    "polosa.core",
    "polosa.images",
    "polosa.caching",
    "polosa.news",
    "polosa.feed",
    "polosa.front",
    "polosa.readership",
    "polosa.syndication",
    "polosa.rates",
    "polosa.promos",
    "polosa.search",
    "polosa.live",
    "polosa.newsroom",
    "polosa.nlp",
    "polosa.wire",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.frontend_cache",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_tasks",
    "django_tasks_db",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    # Serves anonymous readers from the page cache before sessions or the database are touched; first,
    # so a stored page keeps every header the render sent (the security headers included).
    "polosa.caching.middleware.PageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # The request's Wagtail site from this process's copy (polosa.core.sites), after the host check.
    "polosa.core.middleware.KnownSiteMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "polosa.core.middleware.ContentSecurityPolicyMiddleware",
    # Unpublished articles answer 410 Gone; before the redirects middleware (which sees the response
    # first), so a redirect from an old address wins.
    "polosa.newsroom.middleware.GoneMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "polosa.urls"
WSGI_APPLICATION = "polosa.wsgi.application"
ASGI_APPLICATION = "polosa.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PROJECT_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "polosa.core.context_processors.site",
            ],
        },
    },
]


# --- Database -------------------------------------------------------------------------------------
def use_prepared_statements(database: dict) -> None:
    """PostgreSQL: values travel as protocol parameters and a statement a connection has run twice is
    prepared, so the server stops parsing and planning the same few queries for every page (its CPU
    per cold article fell from ~3.9 to ~0.6 ms in `make bench-cold`). polosa.core.postgresql keeps bulk
    inserts under the protocol's parameter limit. DATABASE_PREPARED_STATEMENTS=false turns it off, for
    a pooler that cannot keep prepared statements (PgBouncer in transaction mode before 1.21)."""
    if database["ENGINE"] != "django.db.backends.postgresql":
        return
    if env.bool("DATABASE_PREPARED_STATEMENTS", default=True):
        database["ENGINE"] = "polosa.core.postgresql"
        options = database.setdefault("OPTIONS", {})
        options["server_side_binding"] = True
        options["prepare_threshold"] = env.int("DATABASE_PREPARE_THRESHOLD", default=2)


# Embedded default: one SQLite file under var/. WAL lets the web server read while the worker writes.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'polosa.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;",
            "transaction_mode": "IMMEDIATE",
        }
    )
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The site is served over ASGI, where a request's synchronous code may run in a new thread each
    # time: persistent per-thread connections piled up until PostgreSQL refused clients ("too many
    # clients already" in `make bench`). A pool per server process bounds them.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": env.int("DATABASE_POOL_MIN", default=2),
        "max_size": env.int("DATABASE_POOL_MAX", default=10),
        # How long a request waits for a connection: during a database outage readers get the stored copy
        # (or the 503 page) after this long, so it is short.
        "timeout": env.float("DATABASE_POOL_TIMEOUT", default=3.0),
    }
    use_prepared_statements(DATABASES["default"])
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ----------------------------------------------------------------------------------------
# Pages and fragment versions must be shared by every process that can publish (web server, worker,
# management commands), so the embedded default is a file cache under var/, never per-process memory.
REDIS_URL = env.str("REDIS_URL", default="")
CACHE_KEY_PREFIX = env.str("CACHE_KEY_PREFIX", default="polosa")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "polosa.caching.redis.PolosaRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": CACHE_KEY_PREFIX,
            "TIMEOUT": 3600,
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "polosa.caching.filecache.AtomicFileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
            "KEY_PREFIX": CACHE_KEY_PREFIX,
            "TIMEOUT": 3600,
            "OPTIONS": {"MAX_ENTRIES": 20000},
        }
    }

# --- Background work ------------------------------------------------------------------------------
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# --- Passwords and sessions -----------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # Wagtail's admin reads the token from the cookie.
LOGIN_URL = "wagtailadmin_login"

# --- Language and time ----------------------------------------------------------------------------
LANGUAGE_CODE = env.str("LANGUAGE_CODE", default="ru")
TIME_ZONE = env.str("TIME_ZONE", default="Europe/Moscow")
USE_I18N = True
USE_TZ = True
LANGUAGES = [("ru", "Русский"), ("en", "English")]
LOCALE_PATHS = [PROJECT_DIR / "locale"]
WAGTAIL_CONTENT_LANGUAGES = [(LANGUAGE_CODE, dict(LANGUAGES).get(LANGUAGE_CODE, LANGUAGE_CODE))]
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES

# --- Static and media files -----------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [PROJECT_DIR / "static"]
MEDIA_URL = env.str("MEDIA_URL", default="/media/")
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
# "local" keeps uploads under MEDIA_ROOT; "s3" stores them in an S3-compatible bucket.
MEDIA_STORAGE = env.str("MEDIA_STORAGE", default="local")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if MEDIA_STORAGE == "s3":
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.str("S3_BUCKET"),
            "endpoint_url": env.str("S3_ENDPOINT_URL", default=None),
            "region_name": env.str("S3_REGION", default=None),
            "access_key": env.str("S3_ACCESS_KEY_ID", default=None),
            "secret_key": env.str("S3_SECRET_ACCESS_KEY", default=None),
            "custom_domain": env.str("S3_CUSTOM_DOMAIN", default=None),
            "querystring_auth": False,
            "file_overwrite": False,
            "default_acl": None,
        },
    }
# Serve uploads from Django itself on the embedded setup; behind nginx or a CDN turn this off.
SERVE_MEDIA = env.bool("SERVE_MEDIA", default=MEDIA_STORAGE == "local")
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Wagtail --------------------------------------------------------------------------------------
WAGTAILIMAGES_IMAGE_MODEL = "images.PolosaImage"
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 64_000_000
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp", "avif"]
# Checks an upload's header (format, size) before Wagtail decodes it; see polosa/images/forms.py.
WAGTAILIMAGES_IMAGE_FORM_BASE = "polosa.images.forms.PolosaImageForm"
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAIL_ENABLE_UPDATE_CHECK = False
# The admin would fetch every editor's avatar from gravatar.com (blocked by the admin's policy anyway,
# an error in the console, and each editor's hashed e-mail sent out): Wagtail's default avatar instead.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ALLOW_UNICODE_SLUGS = False
WAGTAIL_DATE_FORMAT = "%d.%m.%Y"
WAGTAIL_DATETIME_FORMAT = "%d.%m.%Y %H:%M"
WAGTAILEMBEDS_RESPONSIVE_HTML = True
# Only Telegram and VK posts, whose markup is built from the link (polosa/news/embeds.py). Wagtail's
# default oEmbed finder is left out on purpose: it would fetch from any provider it knows.
WAGTAILEMBEDS_FINDERS = [{"class": "polosa.news.embeds.PostEmbedFinder"}]
WAGTAIL_FRONTEND_LOGIN_URL = "/admin/login/"

# --- Security headers (production tightens the rest) ----------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"  # Wagtail's preview sets SAMEORIGIN on its own views.

# --- Polosa ---------------------------------------------------------------------------------------
# How many items the news-feed column beside every page shows.
POLOSA_FEED_COLUMN_SIZE = env.int("POLOSA_FEED_COLUMN_SIZE", default=20)

# --- News feed: live refresh and read counting (polosa.feed) ---
# How often an open page asks whether the news-feed column has new items (seconds).
POLOSA_FEED_POLL_SECONDS = env.int("POLOSA_FEED_POLL_SECONDS", default=30)
# Read beacons one client may send per minute before it is refused (429).
POLOSA_READS_PER_MINUTE = env.int("POLOSA_READS_PER_MINUTE", default=30)
# How the reader's address is found for the rate limits (only hashed, never stored; see
# polosa/core/clients.py). POLOSA_TRUSTED_PROXIES: how many proxies in front of the site append to
# X-Forwarded-For; the address is the entry that many places from the right (0: REMOTE_ADDR, the
# header is ignored, since a client can write it itself).
POLOSA_TRUSTED_PROXIES = env.int("POLOSA_TRUSTED_PROXIES", default=0)
if POLOSA_TRUSTED_PROXIES < 0:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("POLOSA_TRUSTED_PROXIES must be 0 or the number of proxies in front.")
# Instead, a single-value header the proxy always overwrites (e.g. HTTP_X_REAL_IP). Empty: not used.
POLOSA_CLIENT_IP_HEADER = env.str("POLOSA_CLIENT_IP_HEADER", default="")
# How often at most the "most read" block (on every article page) may be rebuilt (seconds).
POLOSA_MOST_READ_REFRESH_SECONDS = env.int("POLOSA_MOST_READ_REFRESH_SECONDS", default=300)
# Seconds a whole anonymous page may stay in the page cache when nothing it shows changes.
POLOSA_PAGE_CACHE_SECONDS = env.int("POLOSA_PAGE_CACHE_SECONDS", default=600)
POLOSA_PAGE_CACHE_ENABLED = env.bool("POLOSA_PAGE_CACHE_ENABLED", default=True)
# Providers whose players an editor may embed in an article (host suffixes, https only).
POLOSA_EMBED_PROVIDERS = env.list(
    "POLOSA_EMBED_PROVIDERS",
    default=["youtube.com", "youtu.be", "rutube.ru", "vkvideo.ru", "vk.com", "t.me"],
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "django.request": {"level": "ERROR"},
        "PIL": {"level": "WARNING"},
        # One line per task run is noise; failures are still logged as errors.
        "django_tasks": {"level": "WARNING"},
        "django_tasks_db": {"level": "WARNING"},
    },
}

SITE_DESCRIPTION = _("News of politics, the economy, business and markets")

# --- Content-Security-Policy ----------------------------------------------------------------------
# Reader pages run no inline script at all: every script is a static file, JSON-LD is data.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:", *env.list("CSP_IMG_SOURCES", default=[])],
        "media-src": ["'self'", "blob:", *env.list("CSP_MEDIA_SOURCES", default=[])],
        "connect-src": ["'self'", *env.list("CSP_CONNECT_SOURCES", default=[])],
        "frame-src": [
            "'self'",
            *[f"https://*.{host}" for host in POLOSA_EMBED_PROVIDERS],
            *[f"https://{host}" for host in POLOSA_EMBED_PROVIDERS],
        ],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'self'"],
    }
}

# --- Bank of Russia rates (polosa.rates) ---
# Whether the worker fetches the bank's rates by itself (hourly, below). On here and so in production;
# the demo (polosa.settings.dev) turns it off so `make run` makes no outside request unless asked.
POLOSA_RATES_FETCH = env.bool("POLOSA_RATES_FETCH", default=True)
# The rate source (a polosa.rates.providers.RateProvider subclass) and how it is fetched.
POLOSA_RATES_PROVIDER = env.str("POLOSA_RATES_PROVIDER", default="polosa.rates.providers.cbr.CbrProvider")
POLOSA_RATES_TIMEOUT = env.float("POLOSA_RATES_TIMEOUT", default=10.0)
POLOSA_RATES_ATTEMPTS = env.int("POLOSA_RATES_ATTEMPTS", default=3)
POLOSA_RATES_BACKOFF = env.float("POLOSA_RATES_BACKOFF", default=5.0)
# Currencies in the widget beside the home and article pages, in this order.
POLOSA_RATES_WIDGET_CURRENCIES = env.list("POLOSA_RATES_WIDGET_CURRENCIES", default=["USD", "EUR", "CNY"])
# A daily document without any of these is refused as partial.
POLOSA_RATES_REQUIRED_CURRENCIES = env.list("POLOSA_RATES_REQUIRED_CURRENCIES", default=["USD", "EUR", "CNY"])
# The worker asks for new rates every POLOSA_RATES_EVERY_MINUTES during these Moscow hours.
POLOSA_RATES_HOURS = env.list("POLOSA_RATES_HOURS", cast=int, default=list(range(12, 21)))
POLOSA_RATES_EVERY_MINUTES = env.int("POLOSA_RATES_EVERY_MINUTES", default=60)

# --- Search (polosa.search) ---
# Ranking: score = relevance × (1 + BOOST × 0.5 ^ (age in days / HALF_LIFE_DAYS)); see docs/search.md.
POLOSA_SEARCH_RECENCY_BOOST = env.float("POLOSA_SEARCH_RECENCY_BOOST", default=1.0)
POLOSA_SEARCH_RECENCY_HALF_LIFE_DAYS = env.float("POLOSA_SEARCH_RECENCY_HALF_LIFE_DAYS", default=7.0)
# Only the newest N matching articles are ranked; this also bounds the result pages.
POLOSA_SEARCH_CANDIDATES = env.int("POLOSA_SEARCH_CANDIDATES", default=500)
# A results page may be served from the page cache for at most this long (and a publish ends it).
POLOSA_SEARCH_CACHE_SECONDS = env.int("POLOSA_SEARCH_CACHE_SECONDS", default=120)

# --- Page cache, HTTP caching and CDN purge (polosa.caching) ---
# Browsers revalidate every page (a 304 from the page cache costs no render).
POLOSA_HTTP_MAX_AGE = env.int("POLOSA_HTTP_MAX_AGE", default=0)
# How long a CDN or reverse proxy may keep a page (s-maxage). Without a purge backend a shared cache
# cannot learn of a publish, so the default keeps it one second; with one, the page-cache time.
CDN_PURGE_BACKEND = env.str("CDN_PURGE_BACKEND", default="")
POLOSA_CDN_MAX_AGE = env.int(
    "POLOSA_CDN_MAX_AGE", default=POLOSA_PAGE_CACHE_SECONDS if CDN_PURGE_BACKEND else 1
)
POLOSA_STALE_WHILE_REVALIDATE = env.int("POLOSA_STALE_WHILE_REVALIDATE", default=30)
POLOSA_STALE_IF_ERROR = env.int("POLOSA_STALE_IF_ERROR", default=86_400)
# The response header that carries a page's dependency keys to the edge, which purges by them:
# "xkey" (Varnish with vmod-xkey), "Surrogate-Key" (Fastly, Akamai), "Cache-Tag" (Cloudflare);
# empty for none. The edge strips it before the reader. The prefix keeps several sites on one CDN apart.
POLOSA_SURROGATE_KEY_HEADER = env.str("POLOSA_SURROGATE_KEY_HEADER", default="xkey")
POLOSA_SURROGATE_KEY_PREFIX = env.str("POLOSA_SURROGATE_KEY_PREFIX", default="")
# "esi": an ESI-capable edge in front (Varnish; it sends Surrogate-Capability and must overwrite any
# such header from readers) gets the shared pieces of a page as <esi:include>; "client": every
# reader gets a placeholder that the browser fills from the piece's own address (the edge keeps
# whole pages and assembles nothing); "off": Polosa fills them itself.
POLOSA_EDGE_INCLUDES = env.str("POLOSA_EDGE_INCLUDES", default="off")
if POLOSA_EDGE_INCLUDES not in ("off", "esi", "client"):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(f"POLOSA_EDGE_INCLUDES={POLOSA_EDGE_INCLUDES!r}: one of off, esi, client")
# Which pieces the ESI edge assembles itself; the others arrive filled in (and their keys purge the
# page). Each include costs the edge ~35 µs per page (docs/deploy/varnish.md), so only the piece that
# changes with every publish goes by default.
POLOSA_EDGE_INCLUDE_PIECES = env.list("POLOSA_EDGE_INCLUDE_PIECES", default=["feed-column"])
# Each server process keeps recently served pages in memory, checked against the shared versions on
# every hit (and served stale while the shared cache is down). Megabytes; 0 turns it off.
POLOSA_LOCAL_CACHE_MB = env.float("POLOSA_LOCAL_CACHE_MB", default=32)
# Each server process follows the invalidation clock by Redis subscription (polosa.caching.clock), so
# a hit reads nothing from Redis; off, a hit reads the clock (one GET).
POLOSA_CLOCK_SUBSCRIPTION = env.bool("POLOSA_CLOCK_SUBSCRIPTION", default=True)
# Under ASGI (`make serve`), threads per server process that render what the page cache cannot answer
# (polosa.core.serving): as many as the database pool has connections, so none waits for one.
POLOSA_RENDER_THREADS = env.int(
    "POLOSA_RENDER_THREADS",
    default=DATABASES["default"].get("OPTIONS", {}).get("pool", {}).get("max_size", 10),
)
# CDN purge through Wagtail's frontend cache; see polosa/caching/conf.py for the variables.
from polosa.caching.conf import MissingSetting as _MissingCdnSetting  # noqa: E402
from polosa.caching.conf import frontend_cache_backends as _frontend_cache_backends  # noqa: E402
from polosa.caching.conf import key_purge_backend as _key_purge_backend  # noqa: E402

try:
    WAGTAILFRONTENDCACHE = _frontend_cache_backends(CDN_PURGE_BACKEND, lambda name: env.str(name, default=""))
    # Purge by dependency key (polosa.caching.edge) for edges that can.
    POLOSA_KEY_PURGE = _key_purge_backend(CDN_PURGE_BACKEND, lambda name: env.str(name, default=""))
except _MissingCdnSetting as _error:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(str(_error)) from _error

# --- Live broadcast and live blogs (polosa.live) ---
# Hosts (suffixes) an HLS stream of the live broadcast may come from; https only. The page's CSP lets
# the player load media and playlists from these hosts and nowhere else.
POLOSA_LIVE_STREAM_HOSTS = env.list(
    "POLOSA_LIVE_STREAM_HOSTS",
    default=["rutube.ru", "vkvideo.ru", "cdnvideo.ru", "ngenix.net", "test-streams.mux.dev"],
)
# Seconds between keep-alive comments on an open live-blog event stream (proxies drop idle ones).
POLOSA_LIVE_HEARTBEAT_SECONDS = env.int("POLOSA_LIVE_HEARTBEAT_SECONDS", default=15)
# An event stream ends after this long; the browser reconnects with Last-Event-ID and misses nothing.
POLOSA_LIVE_STREAM_SECONDS = env.int("POLOSA_LIVE_STREAM_SECONDS", default=600)
# How often a page whose event stream broke asks for new entries instead (seconds).
POLOSA_LIVE_POLL_SECONDS = env.int("POLOSA_LIVE_POLL_SECONDS", default=10)
for _directive in ("media-src", "connect-src"):
    CONTENT_SECURITY_POLICY["DIRECTIVES"][_directive] += [
        source for host in POLOSA_LIVE_STREAM_HOSTS for source in (f"https://{host}", f"https://*.{host}")
    ]

# --- Newsroom: roles, scheduling, 410 Gone (polosa.newsroom; its middleware is in MIDDLEWARE) ---
# A scheduled publication this late (seconds) is logged as caught up after a worker outage.
POLOSA_SCHEDULE_LATE_SECONDS = env.int("POLOSA_SCHEDULE_LATE_SECONDS", default=90)

# --- Serving and the demo's editor (read by the serve, run_site, run_edge and ensure_editor commands)
# Server processes under `serve`: WEB_CONCURRENCY (the usual platforms' variable), else one per CPU.
POLOSA_SERVER_WORKERS = env.int("WEB_CONCURRENCY", default=0) or (os.cpu_count() or 1)
# asginl (ASGI without lifespan; needed for event streams) or wsgi.
POLOSA_SERVER_INTERFACE = env.str("POLOSA_SERVER_INTERFACE", default="asginl")
# A server process that grows past this many MB is replaced after its requests (0: never).
POLOSA_WORKER_MAX_RSS_MB = env.int("POLOSA_WORKER_MAX_RSS_MB", default=400)
# The port `make edge` runs Varnish on.
POLOSA_EDGE_PORT = env.int("EDGE_PORT", default=6081)
# The administrator `ensure_editor` creates when there is none; an empty password: a random one.
POLOSA_EDITOR_USERNAME = env.str("POLOSA_EDITOR_USERNAME", default="editor")
POLOSA_EDITOR_PASSWORD = env.str("POLOSA_EDITOR_PASSWORD", default="")
