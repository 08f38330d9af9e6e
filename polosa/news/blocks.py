"""The blocks an article body is made of."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.functional import cached_property
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.images.blocks import ImageChooserBlock
from wagtail.rich_text import RichText, expand_db_html
from wagtail.snippets.blocks import SnippetChooserBlock

from polosa.core.sanitize import clean_rendered_html, clean_stored_rich_text
from polosa.images.credits import clean_credit

from .embeds import POST_HOSTS, VK, Post, parse_post, render_post, vk_key

PARAGRAPH_FEATURES = ["bold", "italic", "link", "ol", "ul", "h2", "h3", "superscript", "subscript"]


class SafeRichText(RichText):
    """Rich text that is cleaned again on its way out, whatever reached the database."""

    def __html__(self):
        return clean_rendered_html(expand_db_html(self.source))

    def __str__(self):
        return mark_safe(self.__html__())


class SafeRichTextBlock(blocks.RichTextBlock):
    """Rich text cleaned with the project's allow-list before it is stored and when it is shown."""

    def to_python(self, value):
        return SafeRichText(value)

    def normalize(self, value):
        if isinstance(value, RichText):
            return SafeRichText(value.source)
        return SafeRichText(value or "")

    def value_from_form(self, value):
        return SafeRichText(clean_stored_rich_text(value))

    def get_prep_value(self, value):
        source = value.source if isinstance(value, RichText) else (value or "")
        return clean_stored_rich_text(source)

    class Meta:
        icon = "pilcrow"


class ParagraphBlock(SafeRichTextBlock):
    def __init__(self, **kwargs):
        super().__init__(features=PARAGRAPH_FEATURES, **kwargs)

    class Meta:
        icon = "pilcrow"
        label = _("Paragraph")
        template = "news/blocks/paragraph.html"


class QuoteBlock(blocks.StructBlock):
    """Direct speech with who said it and, when it was taken from an agency, where."""

    text = blocks.TextBlock(
        label=_("Quote"), help_text=_("Without quotation marks; they are added on the page.")
    )
    speaker = blocks.CharBlock(label=_("Speaker"), max_length=200)
    speaker_role = blocks.CharBlock(label=_("Speaker's position"), max_length=300, required=False)
    speaker_tag = SnippetChooserBlock(
        "news.Tag",
        label=_("Speaker's tag"),
        required=False,
        help_text=_("Links the name to the person's page."),
    )
    source = blocks.CharBlock(
        label=_("Source (name)"),
        max_length=200,
        required=False,
        help_text=_(
            "Only the name of the agency or outlet the quote was taken from, e.g. “TASS”: the page "
            "prints “quoted by TASS”. Empty when it was said to our newsroom."
        ),
    )

    class Meta:
        icon = "openquote"
        label = _("Quote")
        template = "news/blocks/quote.html"

    def clean(self, value):
        value = super().clean(value)
        value["source"] = clean_quote_source(value.get("source", ""))
        return value


# Phrases people type before a source's name that the page's «цитата по …» already says.
_SOURCE_LEADS = re.compile(
    r"^\s*(цитата\s+по|по\s+данным|со\s+ссылкой\s+на|по\s+сообщению|по|quoted\s+by|via|according\s+to)\s+",
    re.IGNORECASE,
)


def clean_quote_source(text: str) -> str:
    """ "по данным ТАСС" -> "ТАСС": the source field is a name (see QuoteBlock.source)."""
    text = (text or "").strip()
    while match := _SOURCE_LEADS.match(text):
        text = text[match.end() :].strip()
    return text


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Image"))
    caption = blocks.CharBlock(
        label=_("Caption"),
        required=False,
        max_length=500,
        help_text=_("Leave empty to use the image's caption."),
    )
    credit = blocks.CharBlock(
        label=_("Credit"),
        required=False,
        max_length=255,
        help_text=_("Leave empty to use the image's credit. Without “Photo:”: the page adds it."),
    )

    class Meta:
        icon = "image"
        label = _("Image")
        template = "news/blocks/image.html"

    def clean(self, value):
        value = super().clean(value)
        value["credit"] = clean_credit(value.get("credit", ""))
        return value


class RelatedArticleBlock(blocks.StructBlock):
    """A card for another article, rendered with its rubric, headline, photo and main person."""

    article = blocks.PageChooserBlock(page_type="news.ArticlePage", label=_("Article"))

    class Meta:
        icon = "doc-full"
        label = _("Related article")

    def render(self, value, context=None):
        # news/blocks/related.html, as a shared fragment (polosa.news.rendering.related_card), the
        # same card the article page shows: only for an article readers may open, nothing for a
        # deleted, unpublished or private one.
        from .rendering import related_card

        chosen = value.get("article")
        return related_card(chosen.pk if chosen is not None else None)


class FactBoxBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), max_length=200)
    items = blocks.ListBlock(blocks.CharBlock(max_length=500), label=_("Facts"), min_num=1)

    class Meta:
        icon = "list-ul"
        label = _("Fact box")
        template = "news/blocks/factbox.html"


# --- Embeds ---------------------------------------------------------------------------------------
# The player's address is built here from the URL the editor pasted; no HTML from outside is stored,
# and nothing is fetched from the provider at save or render time.

_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{6,20}$")
_RUTUBE_ID = re.compile(r"^[0-9a-f]{32}$")
_VK_VIDEO = re.compile(r"^/video(-?\d+)_(\d+)$")
_TELEGRAM_POST = re.compile(r"^/([A-Za-z0-9_]{4,64})/(\d+)$")


def _host_allowed(host: str) -> bool:
    return any(host == p or host.endswith("." + p) for p in settings.POLOSA_EMBED_PROVIDERS)


def player_url(url: str) -> str | None:
    """The https address of the provider's own player for a pasted link, or None if unsupported."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    if parts.scheme != "https" or not host or not _host_allowed(host):
        return None
    path = parts.path.rstrip("/")
    if host.endswith("youtube.com"):
        video = parse_qs(parts.query).get("v", [""])[0] if path == "/watch" else path.rsplit("/", 1)[-1]
        if path.startswith(("/watch", "/embed/", "/shorts/")) and _YOUTUBE_ID.match(video):
            return f"https://www.youtube-nocookie.com/embed/{video}"
    elif host == "youtu.be":
        video = path.lstrip("/")
        if _YOUTUBE_ID.match(video):
            return f"https://www.youtube-nocookie.com/embed/{video}"
    elif host.endswith("rutube.ru"):
        video = path.rsplit("/", 1)[-1]
        if _RUTUBE_ID.match(video):
            return f"https://rutube.ru/play/embed/{video}"
    elif host.endswith(("vk.com", "vkvideo.ru")):
        match = _VK_VIDEO.match(path)
        if match:
            return f"https://vkvideo.ru/video_ext.php?oid={match[1]}&id={match[2]}"
    elif host == "t.me":
        match = _TELEGRAM_POST.match(path)
        if match:
            return f"https://t.me/{match[1]}/{match[2]}?embed=1"
    return None


def refused_embed_message(url: str) -> str:
    """Why a pasted link cannot be embedded, in words an editor can act on."""
    parts = urlsplit((url or "").strip())
    if parts.scheme == "https" and (parts.hostname or "").lower() in POST_HOSTS:
        return _(
            "This is not a link to a single post. Paste the post's own link, such as "
            "https://t.me/channel/123 for Telegram or https://vk.com/wall-123_456 for VK."
        )
    return _("Only https links to a video or post on these sites can be embedded: %(providers)s.") % {
        "providers": ", ".join(settings.POLOSA_EMBED_PROVIDERS)
    }


class EmbedURLBlock(blocks.URLBlock):
    def clean(self, value):
        value = super().clean(value)
        if value and parse_post(value) is None and player_url(value) is None:
            raise ValidationError(refused_embed_message(value))
        return value


class EmbedValue(blocks.StructValue):
    @cached_property
    def post(self) -> Post | None:
        """A Telegram or VK post (shown as a card that loads it on request), or None for a video."""
        post = parse_post(self.get("url") or "")
        return post.with_key(self.get("vk_code") or "") if post else None

    @cached_property
    def player(self) -> str | None:
        return None if self.post else player_url(self.get("url") or "")

    def post_html(self) -> str:
        return render_post(self.post, self.get("title") or "", self.get("caption") or "")


class EmbedBlock(blocks.StructBlock):
    url = EmbedURLBlock(
        label=_("Link to the video or post"),
        help_text=_(
            "A video on YouTube, Rutube or VK Video, or a post such as https://t.me/channel/123 or "
            "https://vk.com/wall-123_456. Posts load from Telegram or VK only when the reader asks."
        ),
    )
    title = blocks.CharBlock(
        label=_("What it shows"),
        max_length=200,
        help_text=_("Read to screen-reader users as the frame's title."),
    )
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=500)
    vk_code = blocks.TextBlock(
        label=_("VK export code"),
        required=False,
        help_text=_(
            "VK posts only: the code from the post's menu → “Export” (or just its key). Without it "
            "readers get a link to the post instead of the post itself."
        ),
    )

    class Meta:
        icon = "media"
        label = _("Embedded video or post")
        template = "news/blocks/embed.html"
        value_class = EmbedValue

    def clean(self, value):
        value = super().clean(value)
        post = parse_post(value.get("url") or "")
        code = value.get("vk_code") or ""
        if post is None or post.network != VK:
            # Only a VK post has a use for the code; nothing else is kept.
            value["vk_code"] = ""
        elif (key := vk_key(code, post)) is None:
            raise StructBlockValidationError(
                block_errors={
                    "vk_code": ValidationError(
                        _(
                            "This is not VK's export code for this post. "
                            "Copy it again from the post's menu → “Export”."
                        )
                    )
                }
            )
        else:
            # Only the key is stored, never the pasted script.
            value["vk_code"] = key
        return value


class ArticleBodyBlock(blocks.StreamBlock):
    paragraph = ParagraphBlock()
    quote = QuoteBlock()
    image = ImageBlock()
    related = RelatedArticleBlock()
    embed = EmbedBlock()
    factbox = FactBoxBlock()

    class Meta:
        block_counts = {"paragraph": {"min_num": 1}}
