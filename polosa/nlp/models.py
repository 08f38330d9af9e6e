"""What the text of an article suggests: its entities and the tags they match (never tags themselves)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from polosa.news.models import ArticlePage, Tag, TagKind


class ArticleAnalysis(models.Model):
    """The last analysis of an article's text, and of which revision (so a backfill can resume)."""

    article = models.OneToOneField(
        ArticlePage, verbose_name=_("article"), on_delete=models.CASCADE, related_name="nlp_analysis"
    )
    revision_id = models.PositiveBigIntegerField(_("revision"), null=True, blank=True)
    chars = models.PositiveIntegerField(_("characters read"), default=0)
    analysed_at = models.DateTimeField(_("analysed"), auto_now=True)

    class Meta:
        verbose_name = _("text analysis")
        verbose_name_plural = _("text analyses")

    def __str__(self):
        return f"{self.article_id}@{self.revision_id}"


class ArticleEntity(models.Model):
    """A person, organisation or place an article names, by its folded nominative (`key`)."""

    article = models.ForeignKey(ArticlePage, on_delete=models.CASCADE, related_name="nlp_entities")
    type = models.CharField(max_length=3)
    key = models.CharField(max_length=200)
    name = models.CharField(max_length=200)
    mentions = models.PositiveIntegerField(default=1)

    class Meta:
        indexes = [models.Index(fields=["key", "article"], name="nlp_entity_key_idx")]

    def __str__(self):
        return f"{self.name} ({self.type})"


class TagSuggestion(models.Model):
    """A tag the text suggests: an existing tag, or a new one of `kind` named `name`."""

    article = models.ForeignKey(
        ArticlePage, verbose_name=_("article"), on_delete=models.CASCADE, related_name="tag_suggestions"
    )
    tag = models.ForeignKey(
        Tag, verbose_name=_("tag"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=TagKind.choices)
    name = models.CharField(_("name"), max_length=200)
    mentions = models.PositiveIntegerField(_("mentions"), default=1)
    score = models.FloatField(default=0)

    class Meta:
        verbose_name = _("tag suggestion")
        verbose_name_plural = _("tag suggestions")
        ordering = ["-score", "name"]

    def __str__(self):
        return self.name
