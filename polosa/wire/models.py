"""Agency sources, the items they deliver, the documents they came in and the articles made from them.

An item is identified by its agency and the agency's guid: the same item delivered by two transports
(a feed and a folder of the same agency) or sent again is one row. A newer version updates the row;
a kill (``stat:canceled``) or a hold (``stat:withheld``) takes it out of the inbox. ``available_at``
is when editors may see it: when it arrived, or when its embargo ends if that is later. The inbox
reads only ``available_at <= now`` and not withdrawn, newest first, through one partial index.
"""

from __future__ import annotations

import os

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SourceKind(models.TextChoices):
    FEED = "feed", _("RSS or Atom feed over HTTP")
    FOLDER = "folder", _("NewsML-G2 or ninjs files in a folder")
    PUSH = "push", _("NewsML-G2 or ninjs pushed over HTTP")


class SourceQuerySet(models.QuerySet):
    def enabled(self):
        return self.filter(enabled=True)

    def due(self, moment=None):
        """Enabled sources whose back-off (if any) has run out."""
        moment = moment or timezone.now()
        return self.enabled().filter(
            models.Q(next_attempt_at__isnull=True) | models.Q(next_attempt_at__lte=moment)
        )


class Source(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(
        _("code"), max_length=100, unique=True, help_text=_("Used in the push address: /wire/push/<code>/.")
    )
    agency = models.CharField(
        _("agency"),
        max_length=100,
        help_text=_(
            "Sources of one agency share its items: an item delivered by two of them is stored once."
        ),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=SourceKind.choices, default=SourceKind.FEED)
    address = models.URLField(_("feed address"), max_length=1000, blank=True)
    folder = models.CharField(
        _("folder"), max_length=1000, blank=True, help_text=_("Where the agency drops its files (FTP/SFTP).")
    )
    username_env = models.CharField(_("environment variable with the user name"), max_length=100, blank=True)
    password_env = models.CharField(_("environment variable with the password"), max_length=100, blank=True)
    token_env = models.CharField(
        _("environment variable with the token"),
        max_length=100,
        blank=True,
        help_text=_("A bearer token: sent to the feed, or required from the agency on the push address."),
    )
    poll_interval = models.PositiveIntegerField(
        _("poll interval, seconds"), default=120, help_text=_("How often the feed or the folder is read.")
    )
    default_section = models.ForeignKey(
        "news.SectionPage",
        verbose_name=_("default section"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    attribution = models.CharField(
        _("attribution line"),
        max_length=200,
        help_text=_("Added to articles made from its items, e.g. «по данным ТАСС»."),
    )
    enabled = models.BooleanField(_("enabled"), default=True)

    # What the worker knows about the source; not edited by people.
    etag = models.CharField(max_length=500, blank=True, editable=False)
    last_modified = models.CharField(max_length=100, blank=True, editable=False)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True, editable=False)
    last_success_at = models.DateTimeField(_("last success"), null=True, blank=True, editable=False)
    last_error = models.TextField(_("last error"), blank=True, editable=False)
    last_error_at = models.DateTimeField(_("last error time"), null=True, blank=True, editable=False)
    failures = models.PositiveIntegerField(_("failures in a row"), default=0, editable=False)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True, editable=False)

    objects = SourceQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("wire source")
        verbose_name_plural = _("wire sources")

    def __str__(self) -> str:
        return self.name

    def clean(self):
        super().clean()
        if self.kind == SourceKind.FEED and not self.address:
            raise ValidationError({"address": _("A feed needs its address.")})
        if self.kind == SourceKind.FOLDER and not self.folder:
            raise ValidationError({"folder": _("A folder source needs its folder.")})
        if self.kind == SourceKind.PUSH and not self.token_env:
            raise ValidationError({"token_env": _("A push source needs the variable holding its token.")})

    def secret(self, field: str) -> str:
        """The value of the environment variable named in `field` ("" when unnamed or unset)."""
        name = getattr(self, field)
        return os.environ.get(name, "") if name else ""


class DocumentStatus(models.TextChoices):
    STORED = "stored", _("stored")
    FAILED = "failed", _("refused")


class RawDocument(models.Model):
    """A document as it arrived, kept for audit (its items) or for inspection (when it was refused)."""

    source = models.ForeignKey(Source, verbose_name=_("source"), null=True, on_delete=models.SET_NULL)
    transport = models.CharField(_("transport"), max_length=20)
    name = models.CharField(_("name"), max_length=1000, blank=True)
    content_type = models.CharField(max_length=200, blank=True)
    content = models.BinaryField(_("content"))
    received_at = models.DateTimeField(_("received"), default=timezone.now, db_index=True)
    status = models.CharField(_("status"), max_length=20, choices=DocumentStatus.choices)
    error = models.TextField(_("error"), blank=True)
    item_count = models.PositiveIntegerField(_("items"), default=0)

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("received document")
        verbose_name_plural = _("received documents")
        indexes = [models.Index(fields=["source", "status", "-received_at"], name="wire_doc_source_idx")]

    def __str__(self) -> str:
        return f"{self.transport} {self.name or self.pk} ({self.status})"


class PubStatus(models.TextChoices):
    USABLE = "usable", _("usable")
    WITHHELD = "withheld", _("withheld")
    CANCELED = "canceled", _("killed")


class WireItemQuerySet(models.QuerySet):
    def in_inbox(self, moment=None):
        """What editors see: not withdrawn and out of embargo, newest first."""
        moment = moment or timezone.now()
        return self.filter(withdrawn_at__isnull=True, available_at__lte=moment).order_by(
            "-available_at", "-id"
        )

    def held(self, moment=None):
        moment = moment or timezone.now()
        return self.filter(withdrawn_at__isnull=True, available_at__gt=moment)


class WireItem(models.Model):
    source = models.ForeignKey(
        Source, verbose_name=_("source"), on_delete=models.CASCADE, related_name="items"
    )
    agency = models.CharField(_("agency"), max_length=100)
    guid = models.CharField(_("agency's identifier"), max_length=500)
    version = models.BigIntegerField(_("version"), default=1)
    headline = models.CharField(_("headline"), max_length=1000)
    lead = models.TextField(_("lead"), blank=True)
    body = models.TextField(_("text"), blank=True)
    subjects = models.JSONField(_("subjects"), default=list, blank=True)
    places = models.JSONField(_("places"), default=list, blank=True)
    renditions = models.JSONField(_("pictures and renditions"), default=list, blank=True)
    urgency = models.PositiveSmallIntegerField(_("urgency"), null=True, blank=True)
    embargo_until = models.DateTimeField(_("embargo until"), null=True, blank=True)
    pub_status = models.CharField(
        _("status"), max_length=20, choices=PubStatus.choices, default=PubStatus.USABLE
    )
    link = models.URLField(_("agency's link"), max_length=1000, blank=True)
    language = models.CharField(_("language"), max_length=20, blank=True)
    format = models.CharField(_("format"), max_length=20)
    sent_at = models.DateTimeField(_("sent by the agency"), null=True, blank=True)
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated by the agency"), null=True, blank=True)
    available_at = models.DateTimeField(_("in the inbox from"), default=timezone.now)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    seen_at = models.DateTimeField(_("first opened"), null=True, blank=True)
    section = models.ForeignKey(
        "news.SectionPage",
        verbose_name=_("section"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    fingerprint = models.CharField(max_length=64, db_index=True)
    signature = models.CharField(max_length=300, blank=True)  # MinHash of the text, for near-duplicates
    group = models.ForeignKey(
        "self",
        verbose_name=_("similar items"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    search_stems = models.TextField(blank=True)  # " stem stem … " of headline, lead and text
    document = models.ForeignKey(
        RawDocument, null=True, blank=True, on_delete=models.SET_NULL, related_name="items"
    )

    objects = WireItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("agency item")
        verbose_name_plural = _("agency items")
        constraints = [models.UniqueConstraint(fields=["agency", "guid"], name="wire_item_agency_guid")]
        indexes = [
            models.Index(
                fields=["-available_at", "-id"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="wire_inbox_idx",
            ),
            models.Index(
                fields=["agency", "-available_at", "-id"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="wire_inbox_agency_idx",
            ),
            models.Index(
                fields=["section", "-available_at", "-id"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="wire_inbox_section_idx",
            ),
            models.Index(
                fields=["urgency", "-available_at", "-id"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="wire_inbox_urgency_idx",
            ),
            models.Index(fields=["source", "received_at"], name="wire_item_source_idx"),
        ]

    def __str__(self) -> str:
        return self.headline

    @property
    def is_held(self) -> bool:
        return self.available_at > timezone.now()


class WireBand(models.Model):
    """One band of an item's MinHash: items sharing a band are candidates for near-duplicates."""

    item = models.ForeignKey(WireItem, on_delete=models.CASCADE, related_name="bands")
    value = models.BigIntegerField(db_index=True)

    class Meta:
        verbose_name = _("similarity band")
        verbose_name_plural = _("similarity bands")

    def __str__(self) -> str:
        return f"{self.item_id}:{self.value}"


class WireArticle(models.Model):
    """An article made from an item; the agency's later updates and kills are noted on it."""

    item = models.ForeignKey(
        WireItem, verbose_name=_("agency item"), on_delete=models.CASCADE, related_name="uses"
    )
    page = models.ForeignKey(
        "news.ArticlePage", verbose_name=_("article"), on_delete=models.CASCADE, related_name="wire_uses"
    )
    item_version = models.BigIntegerField(_("item version used"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    agency_updated_at = models.DateTimeField(_("agency updated the item"), null=True, blank=True)
    agency_withdrew_at = models.DateTimeField(_("agency withdrew the item"), null=True, blank=True)

    class Meta:
        verbose_name = _("article from an agency item")
        verbose_name_plural = _("articles from agency items")

    def __str__(self) -> str:
        return f"{self.item_id} → {self.page_id}"
