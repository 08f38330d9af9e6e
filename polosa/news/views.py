from django.shortcuts import get_object_or_404, render

from polosa.caching import depends_on, keys

from . import listings
from .models import ArticlePage, Author, Tag


def tag_page(request, slug):
    tag = get_object_or_404(Tag.objects.select_related("photo"), slug=slug)
    depends_on(keys.tag(tag.pk), keys.tagged(tag.pk), keys.SITE)
    listing = listings.article_listing(request, ArticlePage.objects.published().with_tag(tag))
    return render(request, "news/tag_page.html", {"tag": tag, "listing": listing})


def author_page(request, slug):
    author = get_object_or_404(Author.objects.select_related("photo"), slug=slug)
    depends_on(keys.author(author.pk), keys.authored(author.pk), keys.SITE)
    listing = listings.article_listing(request, ArticlePage.objects.published().filter(authors=author))
    return render(request, "news/author_page.html", {"author": author, "listing": listing})
