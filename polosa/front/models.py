"""The front page: the main story and top stories chosen by the duty editor, then a block per section."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.models import Orderable, Page

from polosa.caching import depends_on, keys
from polosa.news.models import ArticlePage, SectionPage

TOP_STORIES_MAX = 6
SECTION_BLOCK_SIZE = 4


class HomePage(Page):
    main_story = models.ForeignKey(
        ArticlePage,
        verbose_name=_("main story"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Leave empty to show the newest article flagged as main story."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("main_story"),
        InlinePanel("top_stories", label=_("Top stories"), max_num=TOP_STORIES_MAX),
    ]
    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    class Meta:
        # The table of the feed app, where the model was before: moving it renamed nothing in the
        # database (migration front 0001).
        db_table = "feed_homepage"
        verbose_name = _("front page")
        verbose_name_plural = _("front pages")

    def route(self, request, path_components):
        # Most requests are for an article, /<section>/<slug>/: Wagtail's route would load the
        # section's page row, then its specific row, then the article; here it is one query.
        if len(path_components) == 2:
            article = SectionPage.article_under(self, *path_components)
            if article is not None:
                # Page.route with nothing left: the page itself if it is live, otherwise 404
                # (which polosa.newsroom turns into 410 for a withdrawn article).
                return article.route(request, [])
        return super().route(request, path_components)

    def get_context(self, request, *args, **kwargs):
        from . import assembly

        depends_on(keys.page(self.pk), keys.ARTICLES, keys.SITE, keys.HOME)
        context = super().get_context(request, *args, **kwargs)
        context.update(assembly.front_page(self))
        return context


class TopStory(Orderable):
    home = ParentalKey(HomePage, on_delete=models.CASCADE, related_name="top_stories")
    article = models.ForeignKey(
        ArticlePage, verbose_name=_("article"), on_delete=models.CASCADE, related_name="+"
    )

    panels = [FieldPanel("article")]

    class Meta(Orderable.Meta):
        db_table = "feed_topstory"
        verbose_name = _("top story")
        verbose_name_plural = _("top stories")
