from django import template

from polosa.syndication import structured_data

register = template.Library()


@register.inclusion_tag("syndication/article_meta.html", takes_context=True)
def article_meta(context, article):
    crumbs = context.get("breadcrumbs") or []
    return {
        "SITE_NAME": context.get("SITE_NAME"),
        "share": structured_data.sharing_tags(article),
        "news_article": structured_data.news_article(article),
        "breadcrumb_list": structured_data.breadcrumb_list(crumbs, (article.title, article.url)),
        "translations": structured_data.translations(article),
    }
