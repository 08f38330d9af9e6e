"""The «Предложенные теги» / «Похожие материалы» panel in the article's edit view."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import Panel


class SuggestionsPanel(Panel):
    """Shows what the text suggests; its contents come from the nlp admin views (on load, after a
    save and on the editor's request), so the form itself never waits for the models."""

    def __init__(self, **kwargs):
        kwargs.setdefault("heading", _("Suggested tags"))
        super().__init__(**kwargs)

    class BoundPanel(Panel.BoundPanel):
        template_name = "nlp/panel.html"

        def get_context_data(self, parent_context=None):
            from django.urls import reverse

            context = super().get_context_data(parent_context)
            page = self.instance
            context["article_id"] = page.pk
            context["panel_url"] = reverse("nlp_panel", args=[page.pk]) if page.pk else ""
            # The label of the body's related-article block, which the panel picks from the menu.
            body = type(page)._meta.get_field("body")
            context["related_label"] = body.stream_block.child_blocks["related"].label
            return context
