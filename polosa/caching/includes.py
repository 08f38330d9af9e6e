"""Edge-side includes: the shared pieces of every page (news feed, rates, banner, live block, promos).

These pieces change on every publish, while the page around them (an article, a section) changes
rarely. So a cached page does not depend on them: it is stored as a *shell* with a hole where each
piece goes, and each piece is a fragment with its own dependency keys and its own address
(``/_esi/<name>/``). A hole is filled when the page is delivered:

- behind an ESI-capable edge (Varnish, Akamai, Fastly) the response carries ``<esi:include>`` and the
  edge fetches and caches each piece by itself, so a publish purges one fragment, not every page;
- otherwise Polosa's own page cache fills the holes from the stored fragments at hit time;
- or (``POLOSA_EDGE_INCLUDES=client``) the page carries a placeholder that the reader's browser fills
  from the piece's address, so an edge without ESI, or one where ESI costs too much per page, keeps
  whole pages that a publish does not purge.

Readers get the same bytes either way, and the same bytes as a page rendered without any cache
(editors, previews), where a hole is simply the fragment's HTML.

An app declares its pieces under Wagtail's hook ``polosa_includes`` in its ``wagtail_hooks.py``, a
function returning `Include` declarations::

    from wagtail import hooks

    from polosa.caching.includes import Include

    @hooks.register("polosa_includes")
    def edge_includes():
        return [Include("rates-widget", lambda params: render_widget(), daily=True)]

and its slot component returns ``includes.include("rates-widget")`` wherever the piece belongs. The
`render(params)` function must depend only on `params` (never on the request or the page around it)
and record its dependencies with ``depends_on`` like any view. The declarations are read once per set
of registered hooks, so the function must return the same pieces every time; a later declaration of
a name replaces an earlier one.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from wagtail import hooks

from .dependencies import current_recorder
from .fragments import FRAGMENT_PREFIX, cached_fragment, fragment_entry

logger = logging.getLogger(__name__)

HOOK = "polosa_includes"

ESI_PATH = "/_esi/"
# Parameter values are short tokens (a placement name, an id); anything else is refused.
_PARAM_RE = re.compile(r"^[A-Za-z0-9_.-]{1,40}$")


@dataclass(frozen=True)
class Include:
    name: str
    render: Callable[[dict[str, str]], str]
    params: tuple[str, ...] = ()
    timeout: int = 600
    # The piece differs per local day (times read "Вчера" after midnight): its stored copy does too.
    daily: bool = False
    # What stands in the piece's place until the reader's browser has fetched it (client-side
    # includes, POLOSA_EDGE_INCLUDES=client), and for readers without scripts: its own HTML.
    placeholder: Callable[[dict[str, str]], str] | None = None

    def __post_init__(self):
        # The name is part of the piece's address (/_esi/<name>/) and of the holes' markers.
        if not re.fullmatch(r"[a-z0-9-]+", self.name):
            raise ValueError(f"include name {self.name!r}: lowercase letters, digits and dashes only")
        object.__setattr__(self, "params", tuple(self.params))

    def fragment_name(self, params: Mapping[str, str]) -> str:
        name = f"include:{self.name}"
        if params:
            name += "?" + urlencode(sorted(params.items()))
        if self.daily:
            name += "|" + today()
        return name

    def fragment_key(self, params: Mapping[str, str]) -> str:
        return FRAGMENT_PREFIX + self.fragment_name(params)

    def html(self, params: Mapping[str, str]) -> SafeString:
        """The piece's HTML from the fragment cache, rendering it when stale."""
        params = dict(params)
        return cached_fragment(self.fragment_name(params), lambda: self.render(params), self.timeout)


def today() -> str:
    return timezone.localdate().isoformat()


# The declarations by name, with the hook functions they came from: a piece is looked up for every
# hole of a page rendered or refreshed, so they are gathered again only when the hooks change (a
# test's hooks.register_temporarily), not on each lookup.
_declared: tuple[tuple, dict[str, Include]] = ((), {})


def declared() -> dict[str, Include]:
    """Every declared piece by name."""
    global _declared
    functions = tuple(hooks.get_hooks(HOOK))
    if functions != _declared[0]:
        found: dict[str, Include] = {}
        for declare in functions:
            for spec in declare():
                found[spec.name] = spec
        _declared = (functions, found)
    return _declared[1]


def get(name: str) -> Include | None:
    return declared().get(name)


def clean_params(spec: Include, raw: Mapping[str, str]) -> dict[str, str] | None:
    """Only the parameters the piece declares, each a short token; None for anything else."""
    if set(raw) - set(spec.params):
        return None
    if not all(isinstance(v, str) and _PARAM_RE.match(v) for v in raw.values()):
        return None
    return dict(raw)


def _token() -> str:
    # Part of every hole's marker, so text that merely looks like a marker (an editor's HTML) is not one.
    return hashlib.blake2b(settings.SECRET_KEY.encode(), digest_size=6).hexdigest()


def marker_pattern() -> re.Pattern[bytes]:
    return re.compile(rb"<!--polosa-include:" + _token().encode() + rb":([a-z0-9-]+)\?([^>]*)-->")


def include(name: str, **params: str) -> SafeString:
    """The piece `name` for a slot: a hole in a page being stored as a shell, else its HTML."""
    spec = get(name)
    if spec is None:
        logger.error("include %r is not registered", name)
        return mark_safe("")
    params = {k: str(v) for k, v in params.items()}
    if clean_params(spec, params) is None:
        raise ValueError(f"include {name!r}: parameters {params!r} not declared or not tokens")
    recorder = current_recorder()
    if recorder is not None and recorder.leave_holes:
        query = urlencode(sorted(params.items()))
        return mark_safe(f"<!--polosa-include:{_token()}:{name}?{escape(query)}-->")
    return spec.html(params)


@dataclass(frozen=True)
class Hole:
    name: str
    query: str

    @property
    def params(self) -> dict[str, str]:
        return dict(parse_qsl(self.query, keep_blank_values=True))

    @property
    def src(self) -> str:
        return ESI_PATH + self.name + "/" + (("?" + self.query) if self.query else "")


def split_shell(content: bytes) -> list[bytes | Hole]:
    """The shell cut at its holes: bytes between them, and a `Hole` for each."""
    parts: list[bytes | Hole] = []
    pos = 0
    for match in marker_pattern().finditer(content):
        parts.append(content[pos : match.start()])
        parts.append(Hole(match.group(1).decode(), match.group(2).decode().replace("&amp;", "&")))
        pos = match.end()
    parts.append(content[pos:])
    return parts


def holes(parts: list[bytes | Hole]) -> list[Hole]:
    return [p for p in parts if isinstance(p, Hole)]


def esi_tag(hole: Hole) -> bytes:
    return f'<esi:include src="{escape(hole.src)}"/>'.encode()


def client_tag(hole: Hole) -> bytes:
    """A client-side include: polosa/caching/static/caching/includes.js fetches ``hole.src`` (an
    edge-cached fragment) into it, and until then, or without scripts, the piece's placeholder shows."""
    spec = get(hole.name)
    placeholder = spec.placeholder(hole.params) if spec is not None and spec.placeholder else ""
    return (
        f'<div class="polosa-include polosa-include--{hole.name}" data-polosa-include="{escape(hole.src)}">'
        f"{placeholder}</div>"
    ).encode()


def fill(parts: list[bytes | Hole], pieces: Mapping[Hole, bytes]) -> bytes:
    return b"".join(p if isinstance(p, bytes) else pieces[p] for p in parts)


def hole_fragment(hole: Hole) -> dict:
    """A hole's fragment entry (``html``, ``versions``, ``expires_at``, ``rendered_at``) through the
    fragment cache, rendering it when stale; an empty one for a piece no longer registered."""
    spec = get(hole.name)
    if spec is None:
        logger.error("a stored page has a hole for unknown include %r", hole.name)
        return {"html": "", "versions": {}, "expires_at": None, "rendered_at": 0}
    params = hole.params
    return fragment_entry(spec.fragment_name(params), lambda: spec.render(params), spec.timeout)


def render_hole(hole: Hole) -> bytes:
    return hole_fragment(hole)["html"].encode()


def fragment_key(hole: Hole) -> str | None:
    spec = get(hole.name)
    return spec.fragment_key(hole.params) if spec is not None else None
