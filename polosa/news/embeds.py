"""Posts from Telegram channels and VK walls inside an article, and the embed finder that knows them.

The editor pastes a link to the post. Everything the page shows is rebuilt from the parts of that link
(the channel and the message number, the wall's owner and the post number): nothing is fetched from
the network at save or render time and no HTML from outside is stored. Readers first get a card with
the post's title and a link to the original, which works without scripts and keeps its size; the
network's own widget (and with it the network's script and cookies) loads only when the reader presses
«Показать пост» (static/news/embeds.js).

Only these forms are accepted (anything else is refused, see :func:`parse_post`):

- ``https://t.me/<channel>/<message>`` (also ``t.me/s/<channel>/<message>``, the web preview);
- ``https://vk.com/wall<owner>_<post>`` (also ``m.vk.com``, and ``vk.com/<page>?w=wall<owner>_<post>``,
  the address VK shows while a post is open over a page).

A host must also be on ``POLOSA_EMBED_PROVIDERS``, so an operator can switch a network off.
:class:`PostEmbedFinder` offers the same posts to Wagtail's embed machinery (``WAGTAILEMBEDS_FINDERS``,
``wagtail.embeds.embeds.get_embed``) in place of Wagtail's default oEmbed finder, which would fetch
from the providers' servers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from django.conf import settings
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail.embeds.finders.base import EmbedFinder

TELEGRAM = "telegram"
VK = "vk"

# Telegram's documented post widget; it replaces itself with an iframe from t.me.
TELEGRAM_WIDGET_SCRIPT = "https://telegram.org/js/telegram-widget.js?22"
# VK's Open API, whose VK.Widgets.Post draws the post (an iframe from vk.com).
VK_OPENAPI_SCRIPT = "https://vk.com/js/api/openapi.js?169"

# Where each network's script comes from: the article page's CSP allows it only where it is needed.
SCRIPT_SOURCES = {TELEGRAM: "https://telegram.org", VK: "https://vk.com"}

# Space kept for the post before and after it loads, so the text below does not jump (px).
RESERVED_HEIGHT = {TELEGRAM: 360, VK: 360}

_MAX_URL = 500
# Printable ASCII without spaces, quotes, angle brackets or backslashes: what such a link contains.
_URL_CHARS = re.compile(r"[!#-&(-;=?-\[\]-~]+")
# A public channel's username (5-32 characters; a few old ones have 4), never the private "c/<id>".
_TELEGRAM_PATH = re.compile(r"/(?:s/)?([A-Za-z][A-Za-z0-9_]{3,31})/([1-9][0-9]{0,9})/?")
_VK_WALL = re.compile(r"wall(-?[1-9][0-9]{0,11})_([1-9][0-9]{0,9})")
_TELEGRAM_HOSTS = {"t.me"}
_VK_HOSTS = {"vk.com", "www.vk.com", "m.vk.com"}
POST_HOSTS = _TELEGRAM_HOSTS | _VK_HOSTS
# Telegram numbers a channel's messages with 32-bit integers; VK's ids are well below these.
_MAX_MESSAGE = 2**31 - 1
_MAX_VK_OWNER = 10**12

# What VK's "Export" dialog gives: VK.Widgets.Post("vk_post_<owner>_<id>", <owner>, <id>, '<key>').
_VK_EXPORT = re.compile(
    r"""VK\.Widgets\.Post\(\s*["'][\w-]*["']\s*,\s*(-?\d{1,13})\s*,\s*(\d{1,10})\s*,\s*["']([\w-]{8,64})["']"""
)
_VK_KEY = re.compile(r"[\w-]{8,64}", re.ASCII)


@dataclass(frozen=True)
class Post:
    """A post on an allowed network, as parsed from its link."""

    network: str  # TELEGRAM or VK
    owner: str  # the channel's username, or the VK wall's owner id ("-1" for a community)
    number: int  # the message or post number
    key: str = ""  # VK only: the widget key from the post's "Export" dialog

    @property
    def url(self) -> str:
        """The canonical https link to the original post, built from its parts only."""
        if self.network == TELEGRAM:
            return f"https://t.me/{self.owner}/{self.number}"
        return f"https://vk.com/wall{self.owner}_{self.number}"

    @property
    def network_name(self) -> str:
        return str(_("Telegram") if self.network == TELEGRAM else _("VK"))

    @property
    def author(self) -> str:
        return f"@{self.owner}" if self.network == TELEGRAM else ""

    @property
    def can_load(self) -> bool:
        """Whether the network's widget can show it: VK's needs the key from the post's export code."""
        return self.network == TELEGRAM or bool(self.key)

    @property
    def height(self) -> int:
        return RESERVED_HEIGHT[self.network]

    def with_key(self, key: str) -> Post:
        return Post(self.network, self.owner, self.number, key if self.network == VK else "")


def _host_allowed(host: str) -> bool:
    return any(host == p or host.endswith("." + p) for p in settings.POLOSA_EMBED_PROVIDERS)


def parse_post(url: str) -> Post | None:
    """The Telegram or VK post a pasted link points to, or None for anything else.

    Strict on purpose: https only, an exact host (no look-alikes, no user or port), exactly the path of
    a post (no extra segments) and bounded numbers. The query and fragment are dropped, except VK's
    ``?w=wall…`` form, since the link shown to readers is rebuilt from the parts.
    """
    url = (url or "").strip()
    if len(url) > _MAX_URL or not _URL_CHARS.fullmatch(url):
        return None
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    host = (parts.hostname or "").lower()
    if parts.scheme != "https" or parts.username is not None or port is not None:
        return None
    if not _host_allowed(host):
        return None
    if host in _TELEGRAM_HOSTS:
        match = _TELEGRAM_PATH.fullmatch(parts.path)
        if match and int(match[2]) <= _MAX_MESSAGE:
            return Post(TELEGRAM, match[1], int(match[2]))
        return None
    if host in _VK_HOSTS:
        path = parts.path.rstrip("/")
        if path.startswith("/wall"):
            wall = path[1:]
        elif re.fullmatch(r"(/[A-Za-z0-9_.]{1,64})?", path):
            # vk.com/<page>?w=wall-1_2 or vk.com/feed?w=…: a post opened over a page.
            wall = parse_qs(parts.query).get("w", [""])[0]
        else:
            return None
        match = _VK_WALL.fullmatch(wall)
        if match and abs(int(match[1])) < _MAX_VK_OWNER and int(match[2]) <= _MAX_MESSAGE:
            return Post(VK, match[1], int(match[2]))
    return None


def vk_key(code: str, post: Post) -> str | None:
    """The widget key from VK's export code for `post` (or the bare key), "" when none was given,
    None when the code is not VK's or belongs to another post."""
    code = (code or "").strip()
    if not code:
        return ""
    if _VK_KEY.fullmatch(code):
        return code
    match = _VK_EXPORT.search(code)
    if match and post.network == VK and (match[1], int(match[2])) == (post.owner, post.number):
        return match[3]
    return None


def render_post(post: Post, title: str = "", caption: str = "") -> str:
    """The card readers see first (news/embeds/post.html): the title, a link to the original post,
    and, where the network's widget can show it, the button that loads it."""
    return render_to_string(
        "news/embeds/post.html",
        {
            "post": post,
            "title": title or _("Post by %(author)s") % {"author": post.author or post.network_name},
            "caption": caption,
        },
    )


def script_sources(posts) -> list[str]:
    """The script origins the page's CSP must allow for these posts' widgets (once each)."""
    return sorted({SCRIPT_SOURCES[post.network] for post in posts if post.can_load})


def enabled_script_sources() -> list[str]:
    """The script origins of every network switched on in ``POLOSA_EMBED_PROVIDERS``: for a page whose
    posts arrive after it was served (an open live blog)."""
    networks = {TELEGRAM: _TELEGRAM_HOSTS, VK: _VK_HOSTS}
    return sorted(SCRIPT_SOURCES[n] for n, hosts in networks.items() if any(map(_host_allowed, hosts)))


def posts_in(body) -> list[Post]:
    """The posts among an article body's embeds, read from its stored data (no block is built, no
    query is made), for the page's head and its CSP."""
    found = []
    for item in getattr(body, "raw_data", body) or []:
        value = item.get("value") if item.get("type") == "embed" else None
        if isinstance(value, dict) and (post := parse_post(value.get("url") or "")):
            found.append(post.with_key(value.get("vk_code") or ""))
    return found


def assets(request, context) -> str:
    """The "head" slot: the script that loads posts on request, on article pages that have any."""
    from polosa.caching import depends_on, keys

    from .models import ArticlePage

    page = context.get("page")
    if not isinstance(page, ArticlePage):
        return ""
    if page.pk:
        depends_on(keys.page(page.pk))
    if not any(post.can_load for post in posts_in(page.body)):
        return ""
    return format_html('<script src="{}" defer></script>', static("news/embeds.js"))


class PostEmbedFinder(EmbedFinder):
    """Wagtail's embed finder for Telegram and VK posts: the markup comes from the link alone.

    Listed in ``WAGTAILEMBEDS_FINDERS``; ``get_embed(url)`` stores what this returns in Wagtail's
    ``Embed`` table, like any oEmbed answer, without a request to the network.
    """

    def __init__(self, **options):
        self.options = options

    def accept(self, url: str) -> bool:
        return parse_post(url) is not None

    def find_embed(self, url: str, max_width: int | None = None, max_height: int | None = None) -> dict:
        post = parse_post(url)
        if post is None:
            from wagtail.embeds.exceptions import EmbedUnsupportedProviderException

            raise EmbedUnsupportedProviderException
        return {
            "title": "",
            "author_name": post.author,
            "provider_name": post.network_name,
            "type": "rich",
            "thumbnail_url": "",
            "width": None,
            "height": post.height,
            "html": render_post(post),
        }


embed_finder_class = PostEmbedFinder
