"""Invalidate what a change to news content alters: listings it enters or leaves, the feed column."""

import hashlib

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from polosa.caching import forget_affected_keys, invalidate_on_commit, keys, replace_affected_keys

from .models import ArticlePage, Author, SectionPage, StoryPage, Tag


def feed_fingerprint(article: ArticlePage) -> str:
    """What the news-feed column shows of an article; the column is rebuilt only when this changes."""
    shown = (article.title, article.section_id, article.published_at, article.url_path, article.is_breaking)
    return hashlib.sha256(repr(shown).encode()).hexdigest()[:32]


def enter_listings(article: ArticlePage) -> None:
    """The article is shown to readers as it is now (published, or made public again): invalidate the
    listings it is in now and those it was in before, and the feed column if what it shows changed."""
    now_keys = article.listing_keys()
    fingerprint = feed_fingerprint(article)
    old_keys, old_fingerprint = replace_affected_keys(keys.page(article.pk), now_keys, fingerprint)
    touched = now_keys | old_keys
    if fingerprint != old_fingerprint:
        touched.add(keys.FEED)
    invalidate_on_commit(*touched)


def leave_listings(article: ArticlePage) -> None:
    """The article is no longer shown to readers (unpublished, or made private): invalidate every
    listing it was in, and the feed column."""
    old_keys = forget_affected_keys(keys.page(article.pk))
    invalidate_on_commit(keys.FEED, *article.listing_keys(), *old_keys)


@receiver(page_published, sender=ArticlePage)
def article_published(sender, instance, **kwargs):
    enter_listings(instance)


@receiver(page_published, sender=ArticlePage)
def queue_renditions(sender, instance, **kwargs):
    from .tasks import prepare_renditions

    if instance.hero_image_id or any(block.block_type == "image" for block in instance.body):
        prepare_renditions.enqueue(instance.pk)


@receiver(page_unpublished, sender=ArticlePage)
def article_unpublished(sender, instance, **kwargs):
    leave_listings(instance)


@receiver(post_delete, sender=ArticlePage)
def article_deleted(sender, instance, **kwargs):
    old_keys = forget_affected_keys(keys.page(instance.pk))
    invalidate_on_commit(keys.FEED, keys.ARTICLES, keys.page(instance.pk), *old_keys)


@receiver(post_page_move)
def page_moved(sender, instance, **kwargs):
    specific = instance.specific
    if isinstance(specific, ArticlePage):
        # The section follows the parent; save() keeps it in step, the move bypassed save().
        parent = specific.get_parent()
        ArticlePage.objects.filter(pk=specific.pk).update(section_id=parent.pk)
        specific.section_id = parent.pk
        if specific.live:
            article_published(sender=ArticlePage, instance=specific)
    elif isinstance(specific, SectionPage | StoryPage):
        invalidate_on_commit(keys.SITE, keys.ARTICLES, keys.FEED)


@receiver(page_published, sender=SectionPage)
@receiver(page_unpublished, sender=SectionPage)
def section_changed(sender, instance, **kwargs):
    # The section navigation is in every page's header.
    invalidate_on_commit(keys.SITE, keys.page(instance.pk), keys.section(instance.pk), keys.FEED)


@receiver(page_published, sender=StoryPage)
@receiver(page_unpublished, sender=StoryPage)
def story_changed(sender, instance, **kwargs):
    # The story index lists every story line by title.
    invalidate_on_commit(keys.page(instance.pk), keys.story(instance.pk), keys.page(instance.get_parent().pk))


@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
def privacy_changed(sender, instance, **kwargs):
    """A page made private leaves the listings like an unpublished one, with everything below it;
    made public again, it comes back. Privacy inherited from an ancestor still counts."""
    invalidate_on_commit(keys.VIEW_RESTRICTIONS)
    page = Page.objects.filter(pk=instance.page_id).first()
    if page is None:  # the page itself is being deleted; the delete handlers invalidate
        return
    subtree = ArticlePage.objects.descendant_of(page, inclusive=True).live()
    public = set(subtree.public().values_list("pk", flat=True))
    for article in subtree.prefetch_related("tag_links", "authors").iterator(chunk_size=500):
        if article.pk in public:
            enter_listings(article)
        else:
            leave_listings(article)
    # Sections are in every page's navigation, stories in the story index.
    for section in SectionPage.objects.descendant_of(page, inclusive=True):
        section_changed(sender=SectionPage, instance=section)
    for story in StoryPage.objects.descendant_of(page, inclusive=True):
        story_changed(sender=StoryPage, instance=story)


@receiver(post_save, sender=Tag)
@receiver(post_delete, sender=Tag)
def tag_changed(sender, instance, **kwargs):
    invalidate_on_commit(keys.tag(instance.pk), keys.tagged(instance.pk))


@receiver(post_save, sender=Author)
@receiver(post_delete, sender=Author)
def author_changed(sender, instance, **kwargs):
    invalidate_on_commit(keys.author(instance.pk))


def tag_and_author_urls(changed: frozenset[str]) -> list[str]:
    """The CDN addresses of tag and author pages whose keys changed (hook ``polosa_cdn_urls``)."""
    tag_ids, author_ids = set(), set()
    for key in changed:
        kind, _, value = key.partition(":")
        if value.isdigit():
            if kind in ("tag", "tagged"):
                tag_ids.add(int(value))
            elif kind in ("author", "authored"):
                author_ids.add(int(value))
    urls = [tag.get_absolute_url() for tag in Tag.objects.filter(pk__in=tag_ids).only("slug")]
    urls += [author.get_absolute_url() for author in Author.objects.filter(pk__in=author_ids).only("slug")]
    return urls
