from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NlpConfig(AppConfig):
    name = "polosa.nlp"
    label = "nlp"
    verbose_name = _("Tag suggestions")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from polosa.news.models import ArticlePage

        from . import panels, signal_handlers  # noqa: F401

        # The panel goes under the article's tags without the news app knowing about this one; the
        # admin builds its edit handler lazily, after ready() (as the newsroom sets the base form).
        if not any(isinstance(p, panels.SuggestionsPanel) for p in ArticlePage.content_panels):
            ArticlePage.content_panels = [*ArticlePage.content_panels, panels.SuggestionsPanel()]
