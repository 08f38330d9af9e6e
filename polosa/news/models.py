"""The newsroom's content: sections (rubrics), story lines, articles, typed tags and authors."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from polosa.caching import depends_on, keys
from polosa.core.sanitize import clean_stored_rich_text
from polosa.core.sites import known_without_private_pages

from .blocks import ArticleBodyBlock

DESCRIPTION_FEATURES = ["bold", "italic", "link"]


class SafeRichTextField(RichTextField):
    """A rich-text column cleaned with the project's allow-list before it is stored."""

    def get_prep_value(self, value):
        return clean_stored_rich_text(super().get_prep_value(value))


# --- Tags and authors -----------------------------------------------------------------------------


class TagKind(models.TextChoices):
    PERSON = "person", _("Person")
    ORGANISATION = "organisation", _("Organisation")
    PLACE = "place", _("Place")
    TOPIC = "topic", _("Topic")


class ArticleGenre(models.TextChoices):
    """What kind of piece an article is. Readers see it above the headline (except for plain news);
    Yandex and search engines are told it too, so an interview is not presented as a wire report."""

    NEWS = "news", pgettext_lazy("article genre", "News")
    ANALYSIS = "analysis", pgettext_lazy("article genre", "Analysis")
    INTERVIEW = "interview", pgettext_lazy("article genre", "Interview")
    OPINION = "opinion", pgettext_lazy("article genre", "Opinion")


# schema.org has NewsArticle subtypes for analysis and opinion, none for an interview.
SCHEMA_TYPES = {
    ArticleGenre.NEWS: "NewsArticle",
    ArticleGenre.ANALYSIS: "AnalysisNewsArticle",
    ArticleGenre.INTERVIEW: "NewsArticle",
    ArticleGenre.OPINION: "OpinionNewsArticle",
}


class Tag(index.Indexed, models.Model):
    """A person, organisation, place or topic that articles are about; each has its own page."""

    kind = models.CharField(_("kind"), max_length=20, choices=TagKind.choices, default=TagKind.TOPIC)
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True, allow_unicode=False)
    role = models.CharField(
        _("role"),
        max_length=300,
        blank=True,
        help_text=_("For a person: position, e.g. “Minister of finance”."),
    )
    photo = models.ForeignKey(
        settings.WAGTAILIMAGES_IMAGE_MODEL,
        verbose_name=_("photo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    description = SafeRichTextField(_("description"), blank=True, features=DESCRIPTION_FEATURES)
    aliases = models.TextField(
        _("other names"),
        blank=True,
        help_text=_("One per line: abbreviations and other names texts use, e.g. “ЦБ”, “Банк России”."),
    )

    panels = [
        FieldPanel("kind"),
        FieldPanel("name"),
        FieldPanel("aliases"),
        FieldPanel("slug"),
        FieldPanel("role"),
        FieldPanel("photo"),
        FieldPanel("description"),
    ]
    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.FilterField("kind"),
    ]

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.get_kind_display()})"

    def get_absolute_url(self):
        return reverse("news:tag", kwargs={"slug": self.slug})

    @property
    def alias_list(self) -> list[str]:
        """The other names, one per line of `aliases`, without blanks."""
        return [line.strip() for line in self.aliases.splitlines() if line.strip()]


class Author(index.Indexed, models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    role = models.CharField(_("position"), max_length=300, blank=True)
    photo = models.ForeignKey(
        settings.WAGTAILIMAGES_IMAGE_MODEL,
        verbose_name=_("photo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    bio = models.TextField(_("about"), blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="author_profile",
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("role"),
        FieldPanel("photo"),
        FieldPanel("bio"),
        FieldPanel("user"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        verbose_name = _("author")
        verbose_name_plural = _("authors")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("news:author", kwargs={"slug": self.slug})


# --- Pages ----------------------------------------------------------------------------------------


class SectionPage(Page):
    """A rubric: Politics, Economics, Sport… Articles live under their section."""

    description = models.TextField(_("description"), blank=True, max_length=500)

    content_panels = [*Page.content_panels, FieldPanel("description")]
    parent_page_types = ["front.HomePage"]
    subpage_types = ["news.ArticlePage"]
    page_description = _("A rubric of the site; articles are created inside it.")

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")

    def route(self, request, path_components):
        # An article's address is /<section>/<slug>/. Wagtail's route loads the child page, then its
        # specific row, and the template then loads its story line and photo: here that is one
        # query. Anything else (a deeper path, a page of another type) goes Wagtail's way.
        if len(path_components) == 1:
            article = self.child_article(path_components[0])
            if article is not None:
                # Page.route with nothing left: the page itself if it is live, otherwise 404
                # (which polosa.newsroom turns into 410 for a withdrawn article).
                return article.route(request, [])
        return super().route(request, path_components)

    def child_article(self, slug: str) -> ArticlePage | None:
        """The article with this slug directly under this section, with its story line and photo."""
        try:
            article = (
                ArticlePage.objects.filter(
                    depth=self.depth + 1,
                    # The range treebeard's get_children() uses: an index range scan on path.
                    path__range=(
                        self.path + self.alphabet[0] * self.steplen,
                        self.path + self.alphabet[-1] * self.steplen,
                    ),
                    slug=slug,
                )
                .select_related("story", "hero_image")
                .get()
            )
        except ArticlePage.DoesNotExist:
            return None
        if article.specific_class is not ArticlePage:
            return None  # a subtype has more columns of its own
        article._cached_parent_obj = self  # as Wagtail's route does: get_parent() needs no query
        if article.section_id == self.pk:
            article.section = self
        return article

    @classmethod
    def article_under(cls, root: Page, section_slug: str, slug: str) -> ArticlePage | None:
        """The article at /<section_slug>/<slug>/ below `root` (the site's front page), with its
        section, story line and photo, in one query; None when that address is not such an article
        directly under its own section (Wagtail's routing then decides)."""
        try:
            article = (
                ArticlePage.objects.filter(
                    depth=root.depth + 2,
                    path__startswith=root.path,
                    slug=slug,
                    section__slug=section_slug,
                    section__depth=root.depth + 1,
                )
                .select_related("section", "story", "hero_image")
                .get()
            )
        except (ArticlePage.DoesNotExist, ArticlePage.MultipleObjectsReturned):
            return None
        section = article.section
        # The article must be the section's child (not, say, the same article seen from an alias),
        # and of exactly this type: a subtype has more columns of its own.
        if article.path[: -cls.steplen] != section.path or article.specific_class is not ArticlePage:
            return None
        # As Wagtail's route does: get_parent() needs no query, up to the root (which the article's
        # view restrictions walk).
        section._cached_parent_obj = root
        article._cached_parent_obj = section
        return article

    def get_context(self, request, *args, **kwargs):
        from . import listings

        depends_on(keys.page(self.pk), keys.section(self.pk))
        context = super().get_context(request, *args, **kwargs)
        context["listing"] = listings.article_listing(
            request, ArticlePage.objects.published().in_section(self)
        )
        return context


class StoryIndexPage(Page):
    """The list of story lines at /stories/."""

    max_count = 1
    parent_page_types = ["front.HomePage"]
    subpage_types = ["news.StoryPage"]

    class Meta:
        verbose_name = _("story lines")
        verbose_name_plural = _("story lines")

    def get_context(self, request, *args, **kwargs):
        depends_on(keys.page(self.pk), keys.ARTICLES)
        context = super().get_context(request, *args, **kwargs)
        context["stories"] = StoryPage.objects.child_of(self).live().public().order_by("-is_active", "title")
        return context


class StoryPage(Page):
    """A story line (сюжет) that groups articles from any section, such as a long-running event."""

    description = SafeRichTextField(_("description"), blank=True, features=DESCRIPTION_FEATURES)
    image = models.ForeignKey(
        settings.WAGTAILIMAGES_IMAGE_MODEL,
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_active = models.BooleanField(_("developing story"), default=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("description"),
        FieldPanel("image"),
        FieldPanel("is_active"),
    ]
    parent_page_types = ["news.StoryIndexPage"]
    subpage_types = []
    search_fields = [*Page.search_fields, index.SearchField("description")]

    class Meta:
        verbose_name = _("story line")
        verbose_name_plural = _("story lines")

    def get_context(self, request, *args, **kwargs):
        from . import listings

        depends_on(keys.page(self.pk), keys.story(self.pk))
        context = super().get_context(request, *args, **kwargs)
        parent = self.get_parent()
        context["story_crumbs"] = [(parent.title, parent.url)]
        context["listing"] = listings.article_listing(request, ArticlePage.objects.published().in_story(self))
        return context


class ArticleQuerySet(PageQuerySet):
    def published(self):
        """Live, public articles, newest first: what readers may see in any listing."""
        return self.live().public().filter(published_at__isnull=False).order_by("-published_at", "-pk")

    def in_section(self, section):
        return self.filter(section=section)

    def in_story(self, story):
        return self.filter(story=story)

    def with_tag(self, tag):
        return self.filter(tag_links__tag=tag)

    def for_cards(self):
        """What a card shows (rubric, story, photo, main person) in a fixed number of queries."""
        return self.select_related("section", "story", "hero_image").prefetch_related(
            models.Prefetch(
                "tag_links", queryset=ArticleTag.objects.select_related("tag").order_by("sort_order")
            )
        )


ArticleManager = PageManager.from_queryset(ArticleQuerySet)


class ArticlePage(Page):
    lead = models.TextField(
        _("lead"), max_length=600, help_text=_("One or two sentences under the headline.")
    )
    genre = models.CharField(
        _("genre"),
        max_length=20,
        choices=ArticleGenre.choices,
        default=ArticleGenre.NEWS,
        help_text=_("Shown above the headline unless it is news; news aggregators are told it too."),
    )
    hero_image = models.ForeignKey(
        settings.WAGTAILIMAGES_IMAGE_MODEL,
        verbose_name=_("main photo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    hero_caption = models.CharField(
        _("photo caption"), max_length=500, blank=True, help_text=_("Leave empty to use the image's caption.")
    )
    body = StreamField(ArticleBodyBlock(), verbose_name=_("text"))
    section = models.ForeignKey(
        SectionPage,
        verbose_name=_("section"),
        null=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="articles",
    )
    story = models.ForeignKey(
        StoryPage,
        verbose_name=_("story line"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="articles",
    )
    authors = ParentalManyToManyField(Author, verbose_name=_("authors"), blank=True, related_name="articles")
    published_at = models.DateTimeField(
        _("published"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("When the article first went live; listings are ordered by it."),
    )
    updated_at = models.DateTimeField(
        _("updated"), null=True, blank=True, help_text=_("Set when the article was substantially updated.")
    )
    is_breaking = models.BooleanField(_("breaking news"), default=False)
    is_main_story = models.BooleanField(
        _("main story"),
        default=False,
        help_text=_("Shown as the main story on the front page unless another is chosen."),
    )
    is_exclusive = models.BooleanField(_("exclusive"), default=False)

    objects = ArticleManager()

    content_panels = [
        FieldPanel("title", heading=_("Headline")),
        FieldPanel("genre"),
        FieldPanel("lead"),
        MultiFieldPanel([FieldPanel("hero_image"), FieldPanel("hero_caption")], heading=_("Main photo")),
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("story"), FieldPanel("authors"), InlinePanel("tag_links", label=_("Tags"))],
            heading=_("Story line, authors and tags"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("is_breaking"),
                FieldPanel("is_main_story"),
                FieldPanel("is_exclusive"),
                FieldPanel("updated_at"),
            ],
            heading=_("Flags"),
        ),
        InlinePanel("corrections", label=_("Updates and corrections"), heading=_("Updates and corrections")),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("lead"),
        index.SearchField("body"),
        index.RelatedFields("tag_links", [index.RelatedFields("tag", [index.SearchField("name")])]),
        index.FilterField("section"),
        index.FilterField("story"),
        index.FilterField("published_at"),
    ]
    parent_page_types = ["news.SectionPage"]
    subpage_types = []
    page_description = _("A news article.")

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        indexes = [
            models.Index(fields=["-published_at", "-page_ptr"], name="article_published_idx"),
            models.Index(fields=["section", "-published_at", "-page_ptr"], name="article_section_idx"),
            models.Index(fields=["story", "-published_at", "-page_ptr"], name="article_story_idx"),
            # The front page falls back to the newest flagged main story; without this the query
            # walks every article when none is flagged.
            models.Index(
                fields=["-published_at", "-page_ptr"],
                condition=models.Q(is_main_story=True),
                name="article_main_story_idx",
            ),
        ]

    def clean(self):
        super().clean()
        if self.updated_at and self.published_at and self.updated_at < self.published_at:
            raise ValidationError({"updated_at": _("An update cannot be earlier than the publication.")})

    def save(self, *args, **kwargs):
        parent = self.get_parent() if self.path else None
        if parent is not None and parent.specific_class is SectionPage:
            self.section_id = parent.pk
        if self.live and self.published_at is None:
            self.published_at = self.first_published_at or timezone.now()
        # A dated update or correction note counts as an update (dateModified, "Обновлено …").
        noted = max((c.noted_at for c in self.corrections.all() if c.noted_at), default=None)
        after_publication = noted and (self.published_at is None or noted >= self.published_at)
        if after_publication and (self.updated_at is None or noted > self.updated_at):
            self.updated_at = noted
        return super().save(*args, **kwargs)

    def with_content_json(self, content):
        # A revision saved before the first publish carries no publication time; the live one wins.
        obj = super().with_content_json(content)
        obj.published_at = self.published_at or obj.published_at
        obj.section_id = self.section_id
        return obj

    def get_view_restrictions(self):
        # Wagtail reads every ancestor (one query) to resolve aliases before it reads their
        # restrictions. An article routed to (HomePage.route, SectionPage.route) already holds
        # its parent chain up to the site's root page; when no page in it is an alias, the
        # restrictions on the article and its ancestors are those on the pages of its path prefixes:
        # one query. The tree's root above the site root cannot be an alias (aliases are copies
        # placed under a parent).
        page = self
        while page.depth > 2:
            if page.alias_of_id:
                return super().get_view_restrictions()
            page = page.__dict__.get("_cached_parent_obj")
            if page is None:
                return super().get_view_restrictions()
        if page.alias_of_id:
            return super().get_view_restrictions()
        from wagtail.models import PageViewRestriction

        if known_without_private_pages(page):
            return PageViewRestriction.objects.none()
        prefixes = [self.path[:end] for end in range(self.steplen, len(self.path) + 1, self.steplen)]
        return PageViewRestriction.objects.filter(page__path__in=prefixes)

    # --- What readers see ---

    @cached_property
    def tags(self) -> list[Tag]:
        prefetched = getattr(self, "_prefetched_objects_cache", {})
        # select_related is a no-op on an unsaved preview's in-memory links, a join otherwise.
        links = prefetched["tag_links"] if "tag_links" in prefetched else self.tag_links.select_related("tag")
        return [link.tag for link in links]

    @cached_property
    def author_list(self) -> list[Author]:
        return list(self.authors.all())

    @property
    def main_person(self) -> Tag | None:
        return next((t for t in self.tags if t.kind == TagKind.PERSON), None)

    @property
    def genre_label(self) -> str:
        """The genre as readers see it; plain news carries no label."""
        return "" if self.genre == ArticleGenre.NEWS else self.get_genre_display()

    @property
    def schema_type(self) -> str:
        return SCHEMA_TYPES.get(self.genre, "NewsArticle")

    @property
    def caption(self) -> str:
        if self.hero_caption:
            return self.hero_caption
        return self.hero_image.caption if self.hero_image else ""

    @property
    def modified_at(self):
        """When readers last saw a change: the later of the update mark and the last publish."""
        candidates = [d for d in (self.updated_at, self.last_published_at, self.published_at) if d]
        return max(candidates) if candidates else None

    def listing_keys(self) -> set[str]:
        """The listings this article appears in (see polosa.caching); a change to it changes them."""
        found = {keys.page(self.pk), keys.ARTICLES}
        if self.section_id:
            found.add(keys.section(self.section_id))
        if self.story_id:
            found.add(keys.story(self.story_id))
        found.update(keys.tagged(link.tag_id) for link in self.tag_links.all())
        found.update(keys.authored(author.pk) for author in self.authors.all())
        return found

    def shown_keys(self) -> set[str]:
        """What the article page shows besides itself: its section's and story's names, its tags."""
        found = {keys.page(self.pk)}
        if self.section_id:
            found.add(keys.page(self.section_id))
        if self.story_id:
            found.add(keys.page(self.story_id))
        # The page lists the tags anyway: the same query serves both.
        found.update(keys.tag(tag.pk) for tag in self.tags)
        # The byline names the authors.
        found.update(keys.author(author.pk) for author in self.author_list)
        return found

    def serve(self, request, *args, **kwargs):
        from polosa.core.middleware import allow_scripts_from

        from .embeds import posts_in, script_sources

        response = super().serve(request, *args, **kwargs)
        # The widgets of the Telegram or VK posts in the body, loaded when a reader asks, need their
        # network's script: allowed on this page only. The page cache keeps the header with the page.
        allow_scripts_from(response, script_sources(posts_in(self.body)))
        return response

    def get_context(self, request, *args, **kwargs):
        from . import rendering

        depends_on(keys.page(self.pk))
        context = super().get_context(request, *args, **kwargs)
        context.update(rendering.article_context(self, request))
        return context


class ArticleTag(Orderable):
    article = ParentalKey(ArticlePage, on_delete=models.CASCADE, related_name="tag_links")
    tag = models.ForeignKey(
        Tag, verbose_name=_("tag"), on_delete=models.CASCADE, related_name="article_links"
    )

    panels = [FieldPanel("tag")]

    class Meta(Orderable.Meta):
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        indexes = [models.Index(fields=["tag", "article"], name="articletag_tag_idx")]


class CorrectionKind(models.TextChoices):
    UPDATE = "update", _("Update")
    CORRECTION = "correction", _("Correction")


class ArticleCorrection(Orderable):
    """A dated note on an article: an update (new facts) or a correction (an error put right).

    Part of the article's revisions, so it is reviewed, published and reverted with the text. The
    newest note's time becomes the article's update time (dateModified).
    """

    article = ParentalKey(ArticlePage, on_delete=models.CASCADE, related_name="corrections")
    kind = models.CharField(
        _("kind"), max_length=20, choices=CorrectionKind.choices, default=CorrectionKind.UPDATE
    )
    noted_at = models.DateTimeField(_("time"), default=timezone.now)
    note = models.TextField(_("note"), max_length=1000, help_text=_("What changed, in one or two sentences."))

    panels = [FieldPanel("kind"), FieldPanel("noted_at"), FieldPanel("note")]

    class Meta(Orderable.Meta):
        verbose_name = _("update or correction")
        verbose_name_plural = _("updates and corrections")
