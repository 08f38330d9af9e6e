"""Agency documents into `ParsedItem`s: RSS 0.9x/1.0/2.0 and Atom, IPTC NewsML-G2 and IPTC ninjs.

Every XML document is first read by defusedxml (no entity expansion, no external references, so a
"billion laughs" bomb or an XXE is refused before anything else looks at it) and must be well formed:
a truncated file is refused, not half-read. Feeds are then read by feedparser, NewsML-G2 from the
defusedxml tree. JSON is ninjs. Anything refused raises `DocumentError` with a reason meant for an
operator; nothing is stored from such a document.
"""

from __future__ import annotations

import calendar
import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import UTC, datetime

import defusedxml
import defusedxml.ElementTree as DefusedET
import feedparser
from django.utils.translation import gettext_lazy as _

from polosa.core.sanitize import clean_stored_rich_text, strip_tags

NAR = "{http://iptc.org/std/nar/2006-10-01/}"
XHTML = "{http://www.w3.org/1999/xhtml}"
ATOM = "{http://www.w3.org/2005/Atom}"
RDF = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"

# Only to cross-check what the parser decoded against the bytes; the parser reads the declaration itself.
_DECLARED_ENCODING = re.compile(rb"^\s*<\?xml[^>]*\bencoding\s*=\s*[\"']([A-Za-z0-9._-]+)[\"']")
_SINGLE_BYTE_CYRILLIC = {
    "windows-1251",
    "cp1251",
    "koi8-r",
    "koi8_r",
    "koi8-u",
    "iso-8859-5",
    "ibm866",
    "cp866",
}
_HTML_START = re.compile(rb"^\s*(<!--.*?-->\s*)*(<!doctype\s+html|<html)", re.IGNORECASE | re.DOTALL)

# pubStatus / pubstatus values, as NewsML-G2 qcodes and as ninjs words.
_STATUSES = {"usable": "usable", "withheld": "withheld", "canceled": "canceled", "cancelled": "canceled"}

MAX_DOCUMENT_BYTES = 20 * 1024 * 1024


class DocumentError(Exception):
    """The document cannot be read; the message says why, for an operator."""


@dataclass
class ParsedItem:
    guid: str
    headline: str
    format: str
    version: int = 1
    lead: str = ""
    body: str = ""  # cleaned rich text in Wagtail's stored format
    subjects: list[dict] = field(default_factory=list)  # {"code": …, "name": …}
    places: list[dict] = field(default_factory=list)
    renditions: list[dict] = field(default_factory=list)  # {"href", "type", "role", "title"}
    urgency: int | None = None
    embargo_until: datetime | None = None
    pub_status: str = "usable"
    sent_at: datetime | None = None
    link: str = ""
    language: str = ""

    @property
    def text(self) -> str:
        """Headline, lead and body as plain text (for fingerprints and search)."""
        return " ".join(part for part in (self.headline, self.lead, strip_tags(self.body)) if part)


# --- Entry point --------------------------------------------------------------------------------


def parse(content: bytes, content_type: str = "") -> list[ParsedItem]:
    """Every item of one document, or `DocumentError` saying why the document was refused."""
    if not content or not content.strip():
        raise DocumentError(_("the document is empty"))
    if len(content) > MAX_DOCUMENT_BYTES:
        raise DocumentError(_("the document is larger than %(size)s bytes") % {"size": MAX_DOCUMENT_BYTES})
    head = content.lstrip()[:1]
    if head in (b"{", b"["):
        items = parse_ninjs(content)
    elif _HTML_START.match(content[:2048]) or content_type.split(";")[0].strip() == "text/html":
        raise DocumentError(_("an HTML page came instead of a feed (an error or login page?)"))
    else:
        root = _safe_xml(content)
        tag = root.tag
        if tag in (f"{NAR}newsItem", f"{NAR}packageItem", f"{NAR}newsMessage"):
            items = parse_newsml(root)
        elif tag in ("rss", f"{RDF}RDF", f"{ATOM}feed") or tag.endswith("}rss"):
            items = parse_feed(content, content_type)
        elif tag.lower() == "html" or tag == f"{XHTML}html":
            raise DocumentError(_("an HTML page came instead of a feed (an error or login page?)"))
        else:
            raise DocumentError(_("unknown document type: root element <%(tag)s>") % {"tag": tag})
    if not items:
        raise DocumentError(_("the document holds no items"))
    return items


def _safe_xml(content: bytes) -> ET.Element:
    try:
        root = DefusedET.fromstring(content, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except defusedxml.EntitiesForbidden:
        raise DocumentError(
            _("the document declares XML entities (an entity-expansion bomb?); refused")
        ) from None
    except defusedxml.DefusedXmlException as error:
        raise DocumentError(
            _("the document is refused as unsafe XML: %(error)s") % {"error": error}
        ) from None
    except ET.ParseError as error:
        raise DocumentError(_xml_error_reason(content, error)) from None
    _check_declared_encoding(content)
    return root


def _xml_error_reason(content: bytes, error: ET.ParseError) -> str:
    declared = _DECLARED_ENCODING.match(content)
    if declared is None:
        try:
            content.decode("utf-8")
        except UnicodeDecodeError:
            return str(
                _(
                    "the document is not UTF-8 and declares no encoding (windows-1251 or KOI8-R without "
                    "an XML declaration?): %(error)s"
                )
                % {"error": error}
            )
    code = getattr(error, "code", None)
    # expat's "no element found" (3) and "unclosed token" (5) are what a cut-off file gives.
    if code in (3, 5):
        return str(_("the document is truncated: %(error)s") % {"error": error})
    return str(_("malformed XML: %(error)s") % {"error": error})


def _check_declared_encoding(content: bytes) -> None:
    """Refuse a document whose bytes are UTF-8 but which declares a single-byte Cyrillic encoding.

    Read as declared, such a document parses without error into nonsense («РџСЂРёРІРµС‚»), so it is
    refused rather than stored as mojibake.
    """
    declared = _DECLARED_ENCODING.match(content)
    if declared is None:
        return
    name = declared.group(1).decode("ascii").lower()
    if name not in _SINGLE_BYTE_CYRILLIC or content.isascii():
        return
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        return
    raise DocumentError(
        _("the document declares %(encoding)s but its bytes are UTF-8; refused rather than stored garbled")
        % {"encoding": name}
    )


# --- Dates and small helpers --------------------------------------------------------------------


def _iso(value) -> datetime | None:
    if not value or not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)  # NewsML-G2 and ninjs times without a zone are UTC
    return moment


def _struct(value) -> datetime | None:
    # feedparser parsed the date (RFC 822, W3C-DTF and friends) and normalised it to UTC.
    return datetime.fromtimestamp(calendar.timegm(value), tz=UTC) if value else None


def _int(value, default=None):
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return default


def _urgency(value) -> int | None:
    number = _int(value)
    return number if number is not None and 1 <= number <= 9 else None


def _status(value: str) -> str:
    word = (value or "usable").strip().lower().split(":")[-1]
    return _STATUSES.get(word, "usable")


def _text_to_html(text: str) -> str:
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text or "") if p.strip()]
    from django.utils.html import escape

    return "".join(f"<p>{escape(p)}</p>" for p in paragraphs)


def _clean_body(html: str) -> str:
    return clean_stored_rich_text(html or "").strip()


def _plain(html_or_text: str) -> str:
    from html import unescape

    return " ".join(unescape(strip_tags(html_or_text or "")).split())


# --- RSS and Atom -------------------------------------------------------------------------------


def parse_feed(content: bytes, content_type: str = "") -> list[ParsedItem]:
    headers = {"content-type": content_type} if content_type else None
    result = feedparser.parse(
        content, response_headers=headers, sanitize_html=False, resolve_relative_uris=False
    )
    version = result.get("version") or "feed"
    items = []
    for entry in result.entries:
        title = _plain(entry.get("title", ""))
        guid = entry.get("id") or entry.get("link") or ""
        if not title or not guid:
            continue
        html = ""
        if entry.get("content"):
            html = entry.content[0].get("value", "")
        summary = entry.get("summary", "")
        if not html:
            html, summary = summary, ""
        elif _plain(summary) == _plain(html):
            summary = ""  # feedparser fills an Atom entry's missing <summary> from its <content>
        if html and "<" not in html:
            html = _text_to_html(html)
        # dict.get: feedparser's own get() would answer a missing <updated> with the publication date.
        updated = _struct(dict.get(entry, "updated_parsed"))
        published = _struct(entry.get("published_parsed")) or updated
        # A feed has no version numbers; a later <updated> (Atom) is a new version of the entry.
        stamp = updated or published
        renditions = [
            {"href": e.get("href", ""), "type": e.get("type", ""), "role": "enclosure", "title": ""}
            for e in entry.get("enclosures", [])
            if e.get("href")
        ]
        media = entry.get("media_content") or []
        renditions += [
            {"href": m.get("url", ""), "type": m.get("type", ""), "role": "media", "title": ""}
            for m in media
            if m.get("url")
        ]
        subjects = [{"code": "", "name": t.get("term", "")} for t in entry.get("tags", []) if t.get("term")]
        items.append(
            ParsedItem(
                guid=guid.strip(),
                headline=title,
                format=version,
                version=int(stamp.timestamp()) if stamp else 1,
                lead=_plain(summary),
                body=_clean_body(html),
                subjects=subjects,
                renditions=renditions,
                sent_at=published,
                link=entry.get("link", ""),
                language=result.feed.get("language", ""),
            )
        )
    if not items and result.get("bozo"):
        raise DocumentError(
            _("the feed could not be read: %(error)s") % {"error": result.get("bozo_exception")}
        )
    return items


# --- NewsML-G2 ----------------------------------------------------------------------------------


def parse_newsml(root: ET.Element) -> list[ParsedItem]:
    if root.tag == f"{NAR}newsMessage":
        elements = [
            child
            for item_set in root.iter(f"{NAR}itemSet")
            for child in item_set
            if child.tag in (f"{NAR}newsItem", f"{NAR}packageItem")
        ]
    else:
        elements = [root]
    return [_newsml_item(element) for element in elements]


def _first_text(element: ET.Element | None, path: str) -> str:
    if element is None:
        return ""
    found = element.find(path)
    return " ".join("".join(found.itertext()).split()) if found is not None else ""


def _concepts(meta: ET.Element | None, tag: str) -> list[dict]:
    if meta is None:
        return []
    found = []
    for concept in meta.findall(f"{NAR}{tag}"):
        code = concept.get("qcode") or concept.get("uri") or ""
        name = _first_text(concept, f"{NAR}name")
        if code or name:
            found.append({"code": code, "name": name})
    return found


def _strip_namespaces(element: ET.Element) -> ET.Element:
    for node in element.iter():
        if isinstance(node.tag, str) and "}" in node.tag:
            node.tag = node.tag.split("}", 1)[1]
    return element


def _inline_xhtml(content_set: ET.Element | None) -> str:
    if content_set is None:
        return ""
    for inline in content_set.findall(f"{NAR}inlineXML"):
        body = inline.find(f".//{XHTML}body")
        container = body if body is not None else inline
        _strip_namespaces(container)
        return "".join(ET.tostring(child, encoding="unicode") for child in container)
    for inline in content_set.findall(f"{NAR}inlineData"):
        return _text_to_html(inline.text or "")
    return ""


def _newsml_item(element: ET.Element) -> ParsedItem:
    guid = element.get("guid", "").strip()
    if not guid:
        raise DocumentError(_("a NewsML-G2 item has no guid"))
    item_meta = element.find(f"{NAR}itemMeta")
    content_meta = element.find(f"{NAR}contentMeta")
    headline = _first_text(content_meta, f"{NAR}headline") or _first_text(item_meta, f"{NAR}title")
    if not headline:
        raise DocumentError(_("the NewsML-G2 item %(guid)s has no headline") % {"guid": guid})
    pub_status = item_meta.find(f"{NAR}pubStatus") if item_meta is not None else None
    lead = ""
    if content_meta is not None:
        for description in content_meta.findall(f"{NAR}description"):
            if description.get("role", "drol:summary") in ("drol:summary", "drol:teaser", ""):
                lead = " ".join("".join(description.itertext()).split())
                break
    content_set = element.find(f"{NAR}contentSet")
    renditions = []
    if content_set is not None:
        for remote in content_set.findall(f"{NAR}remoteContent"):
            href = remote.get("href") or remote.get("residref") or ""
            if href:
                renditions.append(
                    {
                        "href": href,
                        "type": remote.get("contenttype", ""),
                        "role": remote.get("rendition", ""),
                        "title": "",
                    }
                )
    for ref in element.iter(f"{NAR}itemRef"):  # a packageItem's members, by reference
        item_class = ref.find(f"{NAR}itemClass")
        renditions.append(
            {
                "href": ref.get("href") or ref.get("residref") or "",
                "type": item_class.get("qcode", "") if item_class is not None else "",
                "role": "itemRef",
                "title": _first_text(ref, f"{NAR}title"),
            }
        )
    link = ""
    if item_meta is not None:
        for link_element in item_meta.findall(f"{NAR}link"):
            if link_element.get("href", "").startswith(("http://", "https://")):
                link = link_element.get("href", "")
                break
    body = _inline_xhtml(content_set)
    language = content_meta.find(f"{NAR}language") if content_meta is not None else None
    return ParsedItem(
        guid=guid,
        headline=headline,
        format="newsml-g2",
        version=_int(element.get("version"), 1),
        lead=lead,
        body=_clean_body(body),
        subjects=_concepts(content_meta, "subject"),
        places=_concepts(content_meta, "located"),
        renditions=renditions,
        urgency=_urgency(_first_text(content_meta, f"{NAR}urgency")),
        embargo_until=_iso(_first_text(item_meta, f"{NAR}embargoed")),
        pub_status=_status(pub_status.get("qcode", "") if pub_status is not None else ""),
        sent_at=_iso(_first_text(item_meta, f"{NAR}versionCreated"))
        or _iso(_first_text(item_meta, f"{NAR}firstCreated")),
        link=link,
        language=language.get("tag", "")
        if language is not None
        else element.get("{http://www.w3.org/XML/1998/namespace}lang", ""),
    )


# --- ninjs --------------------------------------------------------------------------------------


def parse_ninjs(content: bytes) -> list[ParsedItem]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DocumentError(_("the ninjs document is not UTF-8 (JSON must be)")) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise DocumentError(_("malformed JSON: %(error)s") % {"error": error}) from None
    if isinstance(data, dict) and isinstance(data.get("items"), list):
        data = data["items"]
    documents = data if isinstance(data, list) else [data]
    items = []
    for document in documents:
        if not isinstance(document, dict):
            raise DocumentError(_("a ninjs item is not a JSON object"))
        items.append(_ninjs_item(document))
    return items


def _pick(entries, role="main") -> dict:
    entries = [e for e in entries or [] if isinstance(e, dict)]
    for entry in entries:
        if entry.get("role", role) == role:
            return entry
    return entries[0] if entries else {}


def _ninjs_concepts(entries) -> list[dict]:
    found = []
    for entry in entries or []:
        if isinstance(entry, dict):
            code = entry.get("code") or entry.get("uri") or ""
            name = entry.get("name") or ""
            if code or name:
                found.append({"code": str(code), "name": str(name)})
    return found


def _ninjs_renditions(document: dict) -> list[dict]:
    found = []
    renditions = document.get("renditions")
    if isinstance(renditions, dict):  # 1.x: an object keyed by rendition name
        renditions = [dict(value, name=key) for key, value in renditions.items() if isinstance(value, dict)]
    for rendition in renditions or []:
        if isinstance(rendition, dict) and rendition.get("href"):
            found.append(
                {
                    "href": rendition["href"],
                    "type": rendition.get("contenttype") or rendition.get("mimetype", ""),
                    "role": rendition.get("name", ""),
                    "title": "",
                }
            )
    associations = document.get("associations")
    if isinstance(associations, dict):  # 1.x
        associations = [
            dict(value, name=key) for key, value in associations.items() if isinstance(value, dict)
        ]
    for association in associations or []:
        if not isinstance(association, dict):
            continue
        for rendition in _ninjs_renditions(association):
            rendition["title"] = association.get("headline") or _pick(association.get("headlines")).get(
                "value", ""
            )
            rendition["role"] = association.get("name") or association.get("rel") or rendition["role"]
            found.append(rendition)
        if association.get("uri") and not association.get("renditions"):
            found.append(
                {
                    "href": association["uri"],
                    "type": association.get("type", ""),
                    "role": "association",
                    "title": "",
                }
            )
    return found


def _ninjs_item(document: dict) -> ParsedItem:
    guid = str(document.get("uri") or document.get("guid") or "").strip()
    if not guid:
        raise DocumentError(_("a ninjs item has no uri"))
    if "headlines" in document or "bodies" in document:  # ninjs 2.x and later
        headline = str(_pick(document.get("headlines")).get("value", ""))
        body_entry = _pick(document.get("bodies"))
        body = str(body_entry.get("value", ""))
        if body and "html" not in body_entry.get("contenttype", "text/html"):
            body = _text_to_html(body)
        lead = str(_pick(document.get("descriptions"), "summary").get("value", ""))
        subjects = _ninjs_concepts(document.get("subjects"))
        places = _ninjs_concepts(document.get("places"))
        format_name = "ninjs-2"
    else:  # ninjs 1.x
        headline = str(document.get("headline", ""))
        body = str(document.get("body_html") or "") or _text_to_html(str(document.get("body_text") or ""))
        lead = str(document.get("description_text") or "") or _plain(
            str(document.get("description_html") or "")
        )
        subjects = _ninjs_concepts(document.get("subject"))
        places = _ninjs_concepts(document.get("place"))
        format_name = "ninjs-1"
    headline = _plain(headline)
    if not headline:
        raise DocumentError(_("the ninjs item %(guid)s has no headline") % {"guid": guid})
    sent_at = _iso(document.get("versioncreated")) or _iso(document.get("firstcreated"))
    return ParsedItem(
        guid=guid,
        headline=headline,
        format=format_name,
        version=_int(document.get("version"), 1),
        lead=_plain(lead),
        body=_clean_body(body),
        subjects=subjects,
        places=places,
        renditions=_ninjs_renditions(document),
        urgency=_urgency(document.get("urgency")),
        embargo_until=_iso(document.get("embargoed") or document.get("embargoeduntil")),
        pub_status=_status(str(document.get("pubstatus") or "usable")),
        sent_at=sent_at,
        link=next(
            (
                str(link.get("href"))
                for link in document.get("links") or []
                if isinstance(link, dict) and str(link.get("href", "")).startswith(("http://", "https://"))
            ),
            "",
        ),
        language=str(document.get("language") or ""),
    )
