"""Paid material and its legal marking: advertisers, partner articles, special projects, event promos.

Russian advertising law (Federal Law "On Advertising", art. 18.1) requires every online ad to carry the
word «Реклама», the advertiser and the erid issued by an advertising data operator. Drafts may wait
for their erid; anything live must have both, which :meth:`AdMarking.guard_marking` enforces on every
save of a live object, whether it comes from the admin, a script or an import.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm, WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.models import DraftStateMixin, Page, RevisionMixin
from wagtail.search import index

from polosa.caching import depends_on, keys
from polosa.news.models import ArticlePage

from . import links
from .validators import text_colour_for, validate_erid, validate_hex_colour, validate_inn

PUBLISH_ACTION = "action-publish"


class Advertiser(index.Indexed, models.Model):
    """Who pays for an ad: named in its marking with the ИНН, linked to its site."""

    name = models.CharField(_("name"), max_length=255, help_text=_("As registered, e.g. ООО «Ромашка»."))
    inn = models.CharField(_("INN"), max_length=12, validators=[validate_inn])
    url = models.URLField(_("website"), blank=True)

    panels = [FieldPanel("name"), FieldPanel("inn"), FieldPanel("url")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name"), index.FilterField("inn")]

    class Meta:
        verbose_name = _("advertiser")
        verbose_name_plural = _("advertisers")
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.inn})"


class AdMarking(models.Model):
    """The advertiser and erid of an ad, and the rule that nothing live goes without them."""

    advertiser = models.ForeignKey(
        Advertiser,
        verbose_name=_("advertiser"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Required to publish."),
    )
    erid = models.CharField(
        _("erid"),
        max_length=64,
        blank=True,
        validators=[validate_erid],
        help_text=_("The ad identifier from the advertising data operator. Required to publish."),
    )

    marking_panels = [FieldPanel("advertiser"), FieldPanel("erid")]

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        # Guards every path that makes an ad live: forms, code, imports, save(clean=False), revisions.
        self.guard_marking(kwargs.get("update_fields"))
        return super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        self.check_marking()

    def marking_errors(self) -> dict[str, str]:
        """What stops this ad from being shown, by field; empty when it may be published."""
        errors = {}
        if not self.advertiser_id:
            errors["advertiser"] = gettext("An ad cannot be published without its advertiser.")
        if not (self.erid or "").strip():
            errors["erid"] = gettext("An ad cannot be published without the erid issued for it.")
        return errors

    def check_marking(self) -> None:
        """Raise ValidationError when a live ad lacks its advertiser or erid (model validation)."""
        if getattr(self, "_marking_checked_by_form", False):
            return  # the admin form decides: drafts may wait for their erid, publishing may not
        self.guard_marking()

    def guard_marking(self, update_fields=None) -> None:
        """The save-time guard: nothing becomes or stays live without its marking, whoever saves it."""
        if update_fields is not None and not {"live", "advertiser", "erid"} & set(update_fields):
            return
        if self.live:
            errors = self.marking_errors()
            if errors:
                raise ValidationError(errors)

    @property
    def marking_line(self) -> str:
        """«Реклама. ООО «Ромашка», ИНН 7700000000. erid: 2SDnje…» (empty while unmarked)."""
        if self.marking_errors():
            return ""
        return marking_line(self.advertiser.name, self.advertiser.inn, self.erid)

    def advertiser_link(self) -> str:
        """The advertiser's site with the erid in its query, or ""."""
        if not self.advertiser_id or not self.advertiser.url:
            return ""
        return links.with_erid(self.advertiser.url, self.erid)


def marking_line(name: str, inn: str, erid: str) -> str:
    return gettext("Advertisement. %(advertiser)s, INN %(inn)s. erid: %(erid)s") % {
        "advertiser": name,
        "inn": inn,
        "erid": erid,
    }


class PublishMarkingMixin:
    """Admin form check: the publish button is refused, with a message on each missing field."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The form knows whether the editor saves a draft (allowed without erid) or publishes, so it
        # checks the marking itself; the model's own check still guards the publish that follows.
        self.instance._marking_checked_by_form = True

    def clean(self):
        cleaned = super().clean()
        if PUBLISH_ACTION in self.data:
            if not cleaned.get("advertiser"):
                self.add_error("advertiser", gettext("An ad cannot be published without its advertiser."))
            if not (cleaned.get("erid") or "").strip():
                self.add_error("erid", gettext("An ad cannot be published without the erid issued for it."))
        return cleaned


class MarkedPageForm(PublishMarkingMixin, WagtailAdminPageForm):
    pass


class MarkedSnippetForm(PublishMarkingMixin, WagtailAdminModelForm):
    pass


class DisplayWindow(models.Model):
    """Where and when a promo is placed."""

    show_from = models.DateTimeField(_("show from"), null=True, blank=True)
    show_until = models.DateTimeField(_("show until"), null=True, blank=True)
    feed_position = models.PositiveSmallIntegerField(
        _("position in the news feed"),
        null=True,
        blank=True,
        help_text=_("1 is the top row. Leave empty to keep it out of the feed."),
    )
    on_home = models.BooleanField(_("on the front page"), default=True)
    in_article_aside = models.BooleanField(_("beside articles"), default=False)

    window_panels = [
        FieldRowPanel([FieldPanel("show_from"), FieldPanel("show_until")], heading=_("Display window")),
        FieldRowPanel(
            [FieldPanel("feed_position"), FieldPanel("on_home"), FieldPanel("in_article_aside")],
            heading=_("Placement"),
        ),
    ]

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        if self.show_from and self.show_until and self.show_until <= self.show_from:
            raise ValidationError(
                {"show_until": gettext("The end of the display window must follow its start.")}
            )

    def showing_at(self, moment: datetime) -> bool:
        return (self.show_from is None or self.show_from <= moment) and (
            self.show_until is None or moment < self.show_until
        )


def showing_filter(moment: datetime) -> Q:
    return (Q(show_from__isnull=True) | Q(show_from__lte=moment)) & (
        Q(show_until__isnull=True) | Q(show_until__gt=moment)
    )


# --- Pages ----------------------------------------------------------------------------------------


class PartnerIndexPage(Page):
    """/partners/: where partner articles that belong to no special project live."""

    max_count = 1
    parent_page_types = ["front.HomePage"]
    subpage_types = ["promos.PartnerArticlePage"]

    class Meta:
        verbose_name = _("partner material")
        verbose_name_plural = _("partner material")

    def __str__(self):
        return self.title

    def get_context(self, request, *args, **kwargs):
        from polosa.news import listings

        depends_on(keys.page(self.pk), keys.PROMOS, keys.ARTICLES)
        context = super().get_context(request, *args, **kwargs)
        context["listing"] = listings.article_listing(
            request, ArticlePage.objects.published().filter(pk__in=PartnerArticlePage.objects.values("pk"))
        )
        return context


class PartnerArticlePage(AdMarking, ArticlePage):
    """An article paid for by a partner: labelled «Партнерский проект» and always marked «Реклама»."""

    base_form_class = MarkedPageForm
    template = "news/article_page.html"
    # Structured data must not present paid material as news.
    schema_type = "AdvertiserContentArticle"
    content_panels = [
        MultiFieldPanel(AdMarking.marking_panels, heading=_("Advertising marking")),
        *ArticlePage.content_panels,
    ]
    parent_page_types = ["promos.SpecialProjectPage", "promos.PartnerIndexPage"]
    subpage_types = []
    page_description = _("A partner article, marked as an advertisement.")

    class Meta:
        verbose_name = _("partner article")
        verbose_name_plural = _("partner articles")

    def __str__(self):
        return self.title

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # A partner article has no rubric; its place is the special project or the partner index.
        parent = self.get_parent()
        if parent is not None and parent.depth > 2:
            depends_on(keys.page(parent.pk))
            context["breadcrumbs"] = [(parent.title, parent.url), *context.get("breadcrumbs", [])]
        return context

    @cached_property
    def special_project(self) -> SpecialProjectPage | None:
        parent = self.get_parent()
        return parent.specific if parent and parent.specific_class is SpecialProjectPage else None


class SpecialProjectPage(AdMarking, DisplayWindow, Page):
    """A sponsored special project: its own accent colour, hashtag and partner, grouping its materials."""

    hashtag = models.CharField(
        _("hashtag"), max_length=60, blank=True, help_text=_("Shown as #hashtag, e.g. всенабиржу.")
    )
    accent_colour = models.CharField(
        _("accent colour"), max_length=7, default="#0b6e4f", validators=[validate_hex_colour]
    )
    intro = models.TextField(_("introduction"), max_length=1000, blank=True)
    image = models.ForeignKey(
        settings.WAGTAILIMAGES_IMAGE_MODEL,
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    base_form_class = MarkedPageForm
    content_panels = [
        *Page.content_panels,
        FieldPanel("hashtag"),
        FieldPanel("intro"),
        FieldPanel("image"),
        FieldPanel("accent_colour"),
        MultiFieldPanel(AdMarking.marking_panels, heading=_("Advertising marking")),
        MultiFieldPanel(DisplayWindow.window_panels, heading=_("Placement")),
    ]
    parent_page_types = ["front.HomePage"]
    subpage_types = ["promos.PartnerArticlePage"]
    page_description = _("A sponsored special project with its own colour, hashtag and materials.")
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    class Meta:
        verbose_name = _("special project")
        verbose_name_plural = _("special projects")

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()  # AdMarking: nothing live without its marking
        self.hashtag = (self.hashtag or "").strip().lstrip("#")
        if self.accent_colour:
            self.accent_colour = self.accent_colour.lower()

    @property
    def text_colour(self) -> str:
        try:
            return text_colour_for(self.accent_colour)
        except (TypeError, ValueError):
            return "#ffffff"

    @property
    def hashtag_label(self) -> str:
        return f"#{self.hashtag}" if self.hashtag else ""

    def materials(self):
        return ArticlePage.objects.published().child_of(self)

    def get_context(self, request, *args, **kwargs):
        from polosa.news import listings

        depends_on(keys.page(self.pk), keys.PROMOS, keys.ARTICLES)
        context = super().get_context(request, *args, **kwargs)
        context["listing"] = listings.article_listing(request, self.materials())
        context["accent_class"] = f"accent-{self.pk}"
        context["advertiser_href"] = ""
        if self.advertiser_id and self.advertiser.url:
            from .placement import click_url

            context["advertiser_href"] = click_url(ItemKind.PROJECT, self.pk, self.erid)
        return context


# --- Snippets -------------------------------------------------------------------------------------


class EventPromoQuerySet(models.QuerySet):
    def showing(self, moment: datetime | None = None):
        """Live promos inside their display window at `moment` (now by default)."""
        return self.filter(showing_filter(moment or timezone.now()), live=True)


class EventPromo(AdMarking, DisplayWindow, DraftStateMixin, RevisionMixin, models.Model):
    """An event with a call to action («Зарегистрироваться») leading to the organiser's page."""

    title = models.CharField(_("title"), max_length=200)
    teaser = models.TextField(_("teaser"), max_length=400, blank=True)
    image = models.ForeignKey(
        settings.WAGTAILIMAGES_IMAGE_MODEL,
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    starts_at = models.DateTimeField(_("date and time"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    cta_text = models.CharField(_("button text"), max_length=40, default="Зарегистрироваться")
    url = models.URLField(_("registration link"))
    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="event_promo")

    objects = EventPromoQuerySet.as_manager()

    base_form_class = MarkedSnippetForm
    panels = [
        FieldPanel("title"),
        FieldPanel("teaser"),
        FieldPanel("image"),
        FieldRowPanel([FieldPanel("starts_at"), FieldPanel("place")]),
        FieldRowPanel([FieldPanel("cta_text"), FieldPanel("url")]),
        MultiFieldPanel(AdMarking.marking_panels, heading=_("Advertising marking")),
        MultiFieldPanel(DisplayWindow.window_panels, heading=_("Placement")),
    ]

    class Meta:
        verbose_name = _("event promo")
        verbose_name_plural = _("event promos")
        ordering = ["-show_from", "-pk"]

    def __str__(self):
        return self.title

    @property
    def revisions(self):
        return self._revisions


# --- Counting -------------------------------------------------------------------------------------


class ItemKind(models.TextChoices):
    ARTICLE = "article", _("partner article")
    PROJECT = "project", _("special project")
    EVENT = "event", _("event promo")


class PromoDay(models.Model):
    """Impressions and clicks of one promo on one day (newsroom's zone). Nothing about readers."""

    kind = models.CharField(_("kind"), max_length=10, choices=ItemKind.choices)
    object_id = models.PositiveBigIntegerField(_("object id"))
    day = models.DateField(_("day"))
    impressions = models.PositiveIntegerField(_("impressions"), default=0)
    clicks = models.PositiveIntegerField(_("clicks"), default=0)

    class Meta:
        verbose_name = _("promo statistics for a day")
        verbose_name_plural = _("promo statistics")
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id", "day"], name="promos_day_unique"),
        ]
        indexes = [models.Index(fields=["day"], name="promos_day_idx")]

    def __str__(self):
        return f"{self.kind}:{self.object_id} {self.day}: {self.impressions}/{self.clicks}"
