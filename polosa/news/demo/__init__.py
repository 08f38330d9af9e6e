"""Demo newsroom content: sections, story lines, authors, tags and original articles.

The content itself is data, corpus.json next to this module, read and checked by ``data.read_corpus()``.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from wagtail.models import Page

from polosa.caching import invalidate, keys
from polosa.core.demo_images import demo_image

from ..models import (
    ArticleGenre,
    ArticlePage,
    ArticleTag,
    Author,
    SectionPage,
    StoryIndexPage,
    StoryPage,
    Tag,
)
from .data import read_corpus


def _home():
    from polosa.front.models import HomePage

    return HomePage.objects.first()


def _publish(page, at=None):
    revision = page.save_revision()
    revision.publish()
    if at is not None:
        # The demo spreads articles over the last three days, as if written then.
        type(page).objects.filter(pk=page.pk).update(published_at=at)
        Page.objects.filter(pk=page.pk).update(first_published_at=at, last_published_at=at)


def _sections(home, entries) -> dict[str, SectionPage]:
    found = {s.slug: s for s in SectionPage.objects.child_of(home)}
    for data in entries:
        if data["slug"] not in found:
            section = home.add_child(
                instance=SectionPage(
                    title=data["title"],
                    slug=data["slug"],
                    description=data["description"],
                    show_in_menus=True,
                )
            )
            _publish(section)
            found[data["slug"]] = section
    return found


def _stories(home, entries) -> dict[str, StoryPage]:
    index = StoryIndexPage.objects.child_of(home).first()
    if index is None:
        index = home.add_child(instance=StoryIndexPage(title="Сюжеты", slug="stories"))
        _publish(index)
    found = {s.slug: s for s in StoryPage.objects.child_of(index)}
    for data in entries:
        if data["slug"] not in found:
            image = demo_image(f"Сюжет: {data['title']}", data["slug"])
            story = index.add_child(
                instance=StoryPage(
                    title=data["title"],
                    slug=data["slug"],
                    description=f"<p>{data['description']}</p>",
                    image=image,
                )
            )
            _publish(story)
            found[data["slug"]] = story
    return found


def _authors(entries) -> dict[str, Author]:
    found = {}
    for data in entries:
        author, _ = Author.objects.get_or_create(
            slug=data["slug"], defaults={"name": data["name"], "role": data["role"], "bio": data["bio"]}
        )
        found[author.slug] = author
    return found


def _tags(entries) -> dict[str, Tag]:
    found = {}
    for data in entries:
        defaults = {"kind": data["kind"], "name": data["name"], "role": data.get("role", "")}
        if data.get("description"):
            defaults["description"] = f"<p>{data['description']}</p>"
        tag, _ = Tag.objects.get_or_create(slug=data["slug"], defaults=defaults)
        found[tag.slug] = tag
    return found


def _body(data, tags, articles) -> list[dict]:
    body = []
    for block in data["body"]:
        kind = block["type"]
        if kind == "paragraph":
            body.append(("paragraph", f"<p>{block['text']}</p>"))
        elif kind == "quote":
            tag = tags.get(block["speaker"])
            body.append(
                (
                    "quote",
                    {
                        "text": block["text"],
                        "speaker": tag.name if tag else block["speaker"],
                        "speaker_role": block.get("speaker_role") or (tag.role if tag else ""),
                        "speaker_tag": tag,
                        "source": block.get("source") or "",
                    },
                )
            )
        elif kind == "related" and block["slug"] in articles:
            body.append(("related", {"article": articles[block["slug"]]}))
        elif kind == "factbox":
            body.append(("factbox", {"title": block["title"], "items": block["items"]}))
    return body


def load(stdout) -> None:
    home = _home()
    if home is None:
        stdout.write("No front page found; run migrations first.")
        return
    corpus = read_corpus()
    existing = set(ArticlePage.objects.values_list("slug", flat=True))
    if all(a["slug"] in existing for a in corpus.articles):
        stdout.write("News: demo articles already loaded.")
        return

    sections = _sections(home, corpus.sections)
    stories = _stories(home, corpus.stories)
    authors = _authors(corpus.authors)
    tags = _tags(corpus.tags)
    now = timezone.now()

    # First create every missing article as a draft, so related-article cards can point anywhere.
    articles = {a.slug: a for a in ArticlePage.objects.filter(slug__in=[a["slug"] for a in corpus.articles])}
    fresh = []
    for data in corpus.articles:
        if data["slug"] in articles:
            continue
        image_data = data["image"]
        image = demo_image(image_data["title"], data["slug"])
        article = sections[data["section"]].add_child(
            instance=ArticlePage(
                title=data["headline"],
                slug=data["slug"],
                lead=data["lead"],
                hero_image=image,
                body=[("paragraph", f"<p>{data['lead']}</p>")],
                live=False,
            )
        )
        articles[data["slug"]] = article
        fresh.append(data)

    # Then fill and publish them, oldest first, as the newsroom would have.
    for data in sorted(fresh, key=lambda d: -d["hours_ago"]):
        article = articles[data["slug"]]
        article.body = _body(data, tags, articles)
        article.story = stories.get(data["story"]) if data.get("story") else None
        flags = data.get("flags", {})
        article.is_main_story = flags.get("main_story", False)
        article.is_breaking = flags.get("breaking", False)
        article.is_exclusive = flags.get("exclusive", False)
        article.genre = data.get("genre", ArticleGenre.NEWS)
        article.authors.set([authors[s] for s in data["authors"] if s in authors])
        article.tag_links = [
            ArticleTag(tag=tags[s], sort_order=i) for i, s in enumerate(data["tags"]) if s in tags
        ]
        _publish(article, at=now - timedelta(hours=data["hours_ago"]))
    # Publication times were moved back after publishing, so rebuild whatever shows them.
    invalidate(
        keys.FEED, keys.ARTICLES, keys.HOME, *(k for d in fresh for k in articles[d["slug"]].listing_keys())
    )
    stdout.write(f"News: {len(fresh)} demo articles published in {len(sections)} sections.")
