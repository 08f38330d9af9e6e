"""The live broadcast ("Прямой эфир") and live blogs (онлайн-трансляции) with their entries.

Every change to a live blog's entries is written to `LiveBlogEvent`, an append-only log whose ids are
the event-stream ids: a reader reconnecting with ``Last-Event-ID`` gets what changed after it.
"""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable, Page, PageManager
from wagtail.query import PageQuerySet

from polosa.caching import depends_on, keys
from polosa.core.middleware import allow_scripts_from
from polosa.news.blocks import player_url, refused_embed_message
from polosa.news.embeds import Post, parse_post, render_post
from polosa.news.models import SafeRichTextField

ENTRY_FEATURES = ["bold", "italic", "link", "ol", "ul"]


def stream_host_allowed(url: str) -> bool:
    """Whether `url` is an https address on one of the allowed stream hosts (POLOSA_LIVE_STREAM_HOSTS)."""
    parts = urlsplit((url or "").strip())
    host = (parts.hostname or "").lower()
    if parts.scheme != "https" or not host:
        return False
    return any(host == h or host.endswith("." + h) for h in settings.POLOSA_LIVE_STREAM_HOSTS)


# --- Live broadcast -------------------------------------------------------------------------------


class LiveBroadcast(ClusterableModel):
    """A TV-style stream shown as the "Прямой эфир" block while one of its windows is on air."""

    title = models.CharField(_("title"), max_length=200)
    stream_url = models.URLField(
        _("HLS stream address"),
        max_length=500,
        blank=True,
        help_text=_("An https address of an .m3u8 playlist on an allowed stream host."),
    )
    embed_url = models.URLField(
        _("player link"),
        max_length=500,
        blank=True,
        help_text=_("Or a link to the broadcast on an allowed video site, whose own player is embedded."),
    )
    poster = models.ForeignKey(
        settings.WAGTAILIMAGES_IMAGE_MODEL,
        verbose_name=_("poster"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_enabled = models.BooleanField(
        _("enabled"), default=True, help_text=_("Switch off to hide the broadcast whatever its schedule.")
    )

    panels = [
        FieldPanel("title"),
        MultiFieldPanel([FieldPanel("stream_url"), FieldPanel("embed_url")], heading=_("Stream")),
        FieldPanel("poster"),
        FieldPanel("is_enabled"),
        InlinePanel("windows", label=_("On air"), min_num=0),
    ]

    class Meta:
        verbose_name = _("live broadcast")
        verbose_name_plural = _("live broadcasts")

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        errors = {}
        if bool(self.stream_url) == bool(self.embed_url):
            errors["stream_url"] = _("Give either an HLS stream address or a player link, not both.")
        if self.stream_url and not stream_host_allowed(self.stream_url):
            errors["stream_url"] = _(
                "The stream must be an https address on one of these hosts: %(hosts)s."
            ) % {"hosts": ", ".join(settings.POLOSA_LIVE_STREAM_HOSTS)}
        if self.embed_url and player_url(self.embed_url) is None:
            errors["embed_url"] = _(
                "Only https links to a video on these sites can be embedded: %(providers)s."
            ) % {"providers": ", ".join(settings.POLOSA_EMBED_PROVIDERS)}
        if errors:
            raise ValidationError(errors)

    @property
    def player(self) -> str | None:
        return player_url(self.embed_url) if self.embed_url else None


class BroadcastWindow(Orderable):
    broadcast = ParentalKey(LiveBroadcast, on_delete=models.CASCADE, related_name="windows")
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))

    panels = [FieldPanel("starts_at"), FieldPanel("ends_at")]

    class Meta(Orderable.Meta):
        verbose_name = _("on-air window")
        verbose_name_plural = _("on-air windows")
        indexes = [models.Index(fields=["ends_at", "starts_at"], name="live_window_idx")]

    def clean(self):
        super().clean()
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("A window must end after it starts.")})


def on_air(now: datetime | None = None) -> tuple[LiveBroadcast | None, datetime | None]:
    """The broadcast on air at `now` (the earliest started) and when that answer next changes."""
    now = now or timezone.now()
    windows = list(
        BroadcastWindow.objects.filter(broadcast__is_enabled=True, ends_at__gt=now)
        .select_related("broadcast", "broadcast__poster")
        .order_by("starts_at", "pk")[:100]
    )
    current = next((w for w in windows if w.starts_at <= now), None)
    edges = [w.starts_at for w in windows if w.starts_at > now]
    if current is not None:
        edges.append(current.ends_at)
    return (current.broadcast if current else None), (min(edges) if edges else None)


# --- Live blogs -----------------------------------------------------------------------------------


class LiveBlogPageQuerySet(PageQuerySet):
    def open(self):
        """Live blogs readers can follow now (published, public, not closed), the newest first."""
        return self.live().public().filter(is_closed=False).order_by("-first_published_at", "-pk")


class LiveBlogPage(Page):
    """An онлайн-трансляция: entries newest first, updated in open pages while the blog is open."""

    lead = models.TextField(_("lead"), max_length=600, help_text=_("What the live blog covers."))
    is_closed = models.BooleanField(
        _("closed"),
        default=False,
        help_text=_("A closed live blog no longer updates in readers' browsers; it stays as a page."),
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)

    content_panels = [
        FieldPanel("title", heading=_("Headline")),
        FieldPanel("lead"),
        FieldPanel("is_closed"),
    ]
    parent_page_types = ["front.HomePage"]
    subpage_types = []
    page_description = _("A live blog: short entries added as events unfold.")

    objects = PageManager.from_queryset(LiveBlogPageQuerySet)()

    class Meta:
        verbose_name = _("live blog")
        verbose_name_plural = _("live blogs")

    def save(self, *args, **kwargs):
        if self.is_closed and self.closed_at is None:
            self.closed_at = timezone.now()
        elif not self.is_closed:
            self.closed_at = None
        return super().save(*args, **kwargs)

    def with_content_json(self, content):
        obj = super().with_content_json(content)
        obj.closed_at = self.closed_at if obj.is_closed else None
        return obj

    def get_context(self, request, *args, **kwargs):
        from . import rendering

        depends_on(keys.page(self.pk))
        context = super().get_context(request, *args, **kwargs)
        context.update(rendering.blog_context(self, request))
        return context

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        # A post's widget needs its network's script, allowed on this page only. While the blog is
        # open any entry may bring one, so every enabled network is allowed; a closed blog allows
        # those its entries show. The page cache keeps the header with the page.
        context = getattr(response, "context_data", None) or {}
        allow_scripts_from(response, context.get("post_script_sources"))
        return response


class EntryQuerySet(models.QuerySet):
    def published(self):
        """Entries readers see, in reading order: pinned first, then newest first."""
        return self.filter(page__live=True).order_by("-is_pinned", "-posted_at", "-pk")

    def for_display(self):
        return self.select_related("author", "image")


class LiveBlogEntry(models.Model):
    page = models.ForeignKey(
        LiveBlogPage, verbose_name=_("live blog"), on_delete=models.CASCADE, related_name="entries"
    )
    posted_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    body = SafeRichTextField(_("text"), features=ENTRY_FEATURES, blank=True)
    image = models.ForeignKey(
        settings.WAGTAILIMAGES_IMAGE_MODEL,
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    quote = models.TextField(_("quote"), blank=True)
    quote_source = models.CharField(_("who said it"), max_length=300, blank=True)
    embed_url = models.URLField(
        _("embedded video or post"),
        max_length=500,
        blank=True,
        help_text=_("A link to a video or post on an allowed site."),
    )
    is_pinned = models.BooleanField(_("pinned"), default=False, help_text=_("Kept at the top of the blog."))
    is_key_event = models.BooleanField(_("key event"), default=False)
    author = models.ForeignKey(
        "news.Author",
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="live_entries",
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = EntryQuerySet.as_manager()

    panels = [
        FieldPanel("page"),
        FieldPanel("posted_at"),
        FieldPanel("body"),
        FieldPanel("image"),
        MultiFieldPanel([FieldPanel("quote"), FieldPanel("quote_source")], heading=_("Quote")),
        FieldPanel("embed_url"),
        MultiFieldPanel([FieldPanel("is_pinned"), FieldPanel("is_key_event")], heading=_("Flags")),
        FieldPanel("author"),
    ]

    class Meta:
        verbose_name = _("live blog entry")
        verbose_name_plural = _("live blog entries")
        indexes = [models.Index(fields=["page", "-is_pinned", "-posted_at"], name="live_entry_order_idx")]

    def __str__(self):
        return Truncator(self.summary).words(12) or f"#{self.pk}"

    @property
    def summary(self) -> str:
        """The entry as plain text: its text, else its quote."""
        from html import unescape

        from polosa.core.sanitize import strip_tags

        return unescape(strip_tags(self.body)).strip() or self.quote

    def clean(self):
        super().clean()
        if self.embed_url and self.post is None and player_url(self.embed_url) is None:
            raise ValidationError({"embed_url": refused_embed_message(self.embed_url)})
        if not (self.body or self.image_id or self.quote or self.embed_url):
            raise ValidationError(_("An entry needs a text, an image, a quote or an embed."))

    @property
    def sort_key(self) -> str:
        """Reading order for the page's script: posting time in microseconds, then id (newest first)."""
        return f"{int(self.posted_at.timestamp() * 1_000_000)}.{self.pk}"

    @property
    def anchor(self) -> str:
        return f"entry-{self.pk}"

    @property
    def post(self) -> Post | None:
        """The Telegram or VK post the embed link points to: shown as the articles' click-to-load card,
        so the network's script and cookies arrive only when a reader asks for them."""
        return parse_post(self.embed_url) if self.embed_url else None

    @property
    def post_card(self) -> str:
        post = self.post
        return render_post(post) if post is not None else ""

    @property
    def player(self) -> str | None:
        if not self.embed_url or self.post is not None:
            return None
        return player_url(self.embed_url)


class EventKind(models.TextChoices):
    ENTRY = "entry", _("entry added or changed")
    DELETE = "delete", _("entry deleted")
    CLOSED = "closed", _("live blog closed")


class LiveBlogEvent(models.Model):
    """One change to a live blog, in the order readers must apply them; the id is the stream id."""

    page = models.ForeignKey(LiveBlogPage, on_delete=models.CASCADE, related_name="events")
    entry_id = models.BigIntegerField(null=True, blank=True)
    kind = models.CharField(max_length=10, choices=EventKind.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["page", "id"], name="live_event_page_idx")]

    def __str__(self):
        return f"{self.kind} {self.entry_id} @ {self.page_id}"
