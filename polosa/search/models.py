"""The search index: one row per published article, with its text as plain words.

On PostgreSQL the row also carries a ``tsvector`` built with the ``russian`` configuration (headline
and tags weigh most, then the lead, then the body) behind a GIN index. On SQLite the same text, reduced
to Snowball stems, lives in the FTS5 table ``search_fts`` (rowid = article id). Both are created by
migration 0001 for the database in use; only this table is a Django model.
"""

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchEntry(models.Model):
    article = models.OneToOneField(
        "news.ArticlePage", primary_key=True, on_delete=models.CASCADE, related_name="search_entry"
    )
    section = models.ForeignKey(
        "news.SectionPage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(_("published"))
    title = models.TextField(_("headline"))
    lead = models.TextField(_("lead"), blank=True)
    tags = models.TextField(_("tags"), blank=True)
    body = models.TextField(_("text"), blank=True)
    # PostgreSQL only (NULL on SQLite): setweight(to_tsvector('russian', …)) of the columns above.
    vector = SearchVectorField(null=True, editable=False)

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        indexes = [models.Index(fields=["-published_at"], name="search_entry_published_idx")]

    def __str__(self):
        return self.title
