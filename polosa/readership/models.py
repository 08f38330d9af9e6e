"""Counted reads of articles: per hour for the "most read" block, in total for the counters."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from polosa.news.models import ArticlePage


class ArticleReadHour(models.Model):
    """Reads of one article within one clock hour (UTC), flushed from the cache in batches.

    Only the last two days are kept: they feed the "most read" block. Nothing about the reader is
    stored, not even a hashed address: the rate limit keeps its short-lived keys in the cache only.
    """

    article = models.ForeignKey(
        ArticlePage, verbose_name=_("article"), on_delete=models.CASCADE, related_name="+", db_index=False
    )
    hour = models.DateTimeField(_("hour"))
    reads = models.PositiveIntegerField(_("reads"), default=0)

    class Meta:
        # The feed app's tables, where the models were before (migration readership 0001).
        db_table = "feed_articlereadhour"
        verbose_name = _("reads per hour")
        verbose_name_plural = _("reads per hour")
        constraints = [models.UniqueConstraint(fields=["article", "hour"], name="feed_read_hour_unique")]
        # The most-read query scans the last day's rows; the unique constraint serves the upsert.
        indexes = [models.Index(fields=["hour", "article"], name="feed_read_hour_idx")]

    def __str__(self):
        return f"{self.article_id} @ {self.hour:%Y-%m-%d %H}: {self.reads}"


class ArticleReadTotal(models.Model):
    """All reads of an article since it was published (the counter beside its story line)."""

    article = models.OneToOneField(
        ArticlePage, verbose_name=_("article"), on_delete=models.CASCADE, related_name="+", primary_key=True
    )
    reads = models.PositiveBigIntegerField(_("reads"), default=0)

    class Meta:
        db_table = "feed_articlereadtotal"
        verbose_name = _("read count")
        verbose_name_plural = _("read counts")

    def __str__(self):
        return f"{self.article_id}: {self.reads}"
