from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsroomConfig(AppConfig):
    name = "polosa.newsroom"
    label = "newsroom"
    verbose_name = _("Newsroom")

    def ready(self):
        from polosa.front.models import HomePage
        from polosa.live.models import LiveBlogPage
        from polosa.news.models import ArticlePage

        from . import forms, signal_handlers  # noqa: F401

        # No silent overwrites: a save based on an older revision than the latest is refused once
        # (see forms.py). Set here so the news and feed apps need not know about the newsroom; the
        # admin builds its edit forms lazily, after ready(). A live blog gets its address from its
        # Russian headline as an article does.
        for model in (ArticlePage, HomePage, LiveBlogPage):
            model.base_form_class = forms.NoSilentOverwriteForm
