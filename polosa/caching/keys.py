"""Builders for dependency keys, so every app spells them the same way."""


def page(page_id: int) -> str:
    return f"page:{page_id}"


def section(section_id: int) -> str:
    return f"section:{section_id}"


def story(story_id: int) -> str:
    return f"story:{story_id}"


def tag(tag_id: int) -> str:
    """The tag's own name, kind, photo and description."""
    return f"tag:{tag_id}"


def image(image_id: int) -> str:
    """A photo: its file, crop (focal point), caption and credit, wherever a page shows it."""
    return f"image:{image_id}"


def tagged(tag_id: int) -> str:
    """The list of articles carrying the tag."""
    return f"tagged:{tag_id}"


def author(author_id: int) -> str:
    return f"author:{author_id}"


ARTICLES = "articles"
FEED = "feed"
SITE = "site"
HOME = "home"
# Whether any page is private (Wagtail's page view restrictions): any restriction saved or deleted.
VIEW_RESTRICTIONS = "view-restrictions"
# The "most read" block; the reads flush invalidates it when the order changes (polosa.readership.reads).
MOST_READ = "most-read"
# Bank of Russia rates (polosa.rates): stored whenever an import adds or changes a rate.
RATES = "rates"
# Paid material (polosa.promos): advertisers, partner articles' marking, special projects, event
# promos and where they are placed. Any change to any of them invalidates it; every surface that shows
# a promo or an ad marking records it.
PROMOS = "promos"


def authored(author_id: int) -> str:
    """The list of articles by an author (their page); `author` is the author's own name and photo."""
    return f"authored:{author_id}"


# The live broadcast's schedule, stream and poster (polosa.live): the "Прямой эфир" block.
LIVE_BROADCASTS = "live-broadcasts"
# Which live blogs (онлайн-трансляции, polosa.live) are open, with their titles: the «Онлайн» rows on
# the front page and in the feed column. Opening, closing, publishing or unpublishing one invalidates it.
LIVE_BLOGS = "live-blogs"
# The breaking-news banner ("Срочно") shown at the top of every page (polosa.newsroom).
BANNER = "banner"
