"""The demo corpus: corpus.json, next to this module, read and checked for what the loader needs.

The file holds the demo newsroom's sections, story lines, authors, tags and articles as plain JSON (every
person, company and event in it is invented; the texts were written for the project). ``read_corpus()``
returns it as dicts, the shape the loader in ``__init__.py`` reads, after checking every entry: the fields
the loader uses are there and of the right type, slugs are unique, and every slug an article refers to
(section, story, authors, tags, main person, related articles) names an entry of the file. Anything else
is a ``CorpusError`` naming the file, the entry and the field, rather than a KeyError halfway through a
load or a tag that silently never appears.

No dependencies beyond the standard library, and nothing from Django: the tests read it without a database.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from typing import Any, NoReturn

FILE_NAME = "corpus.json"


class CorpusError(ValueError):
    """The corpus file is not what the loader needs; the message names the file, the entry and the field."""


@dataclass(frozen=True)
class Corpus:
    sections: list[dict[str, Any]]
    stories: list[dict[str, Any]]
    authors: list[dict[str, Any]]
    tags: list[dict[str, Any]]
    articles: list[dict[str, Any]]


# What each kind of value must be, with the words an error uses for it.
def _text(value):
    return isinstance(value, str) and value.strip() != ""


def _text_or_none(value):
    return value is None or _text(value)


def _number(value):
    return isinstance(value, int | float) and not isinstance(value, bool)


def _texts(value):
    return isinstance(value, list) and all(_text(v) for v in value)


def _flags(value):
    return isinstance(value, dict) and all(
        k in {"main_story", "breaking", "exclusive"} and isinstance(v, bool) for k, v in value.items()
    )


def _image(value):
    return isinstance(value, dict) and _text(value.get("title")) and set(value) <= {"title", "caption"}


def _blocks(value):
    return isinstance(value, list) and len(value) > 0


_KINDS = {
    _text: "a non-empty string",
    _text_or_none: "a non-empty string or null",
    _number: "a number",
    _texts: "a list of non-empty strings",
    _flags: 'an object of "main_story", "breaking", "exclusive" set to true or false',
    _image: 'an object with a "title" (and optionally a "caption")',
    _blocks: "a non-empty list of blocks",
}

# Per list: the fields every entry must have, then the ones it may have.
_FIELDS = {
    "sections": ({"slug": _text, "title": _text, "description": _text}, {}),
    "stories": ({"slug": _text, "title": _text, "description": _text}, {}),
    "authors": ({"slug": _text, "name": _text, "role": _text, "bio": _text}, {}),
    "tags": ({"slug": _text, "kind": _text, "name": _text}, {"role": _text, "description": _text}),
    "articles": (
        {
            "slug": _text,
            "section": _text,
            "headline": _text,
            "lead": _text,
            "hours_ago": _number,
            "authors": _texts,
            "tags": _texts,
            "image": _image,
            "body": _blocks,
        },
        {"story": _text_or_none, "main_person": _text_or_none, "flags": _flags, "genre": _text},
    ),
}

# Per body block type: the fields it must have besides "type", then the ones it may have.
_BLOCK_FIELDS = {
    "paragraph": ({"text": _text}, {}),
    "quote": ({"text": _text, "speaker": _text}, {"speaker_role": _text_or_none, "source": _text_or_none}),
    "related": ({"slug": _text}, {}),
    "factbox": ({"title": _text, "items": _texts}, {}),
}


def corpus_file():
    """corpus.json as shipped with this package (a path-like with ``read_text()``, also from a wheel)."""
    return resources.files(__package__).joinpath(FILE_NAME)


def read_corpus(source=None) -> Corpus:
    """The corpus from ``source`` (a path; by default the shipped corpus.json), checked."""
    if source is None:
        source = corpus_file()
    name = getattr(source, "name", str(source))
    try:
        raw = json.loads(source.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise CorpusError(f"{name}: not valid JSON: {error}") from error
    return _check(raw, name)


def _check(raw, name: str) -> Corpus:
    def fail(where: str, problem: str) -> NoReturn:
        raise CorpusError(f"{name}: {where}: {problem}")

    if not isinstance(raw, dict):
        fail("top level", "must be an object")
    unknown = set(raw) - set(_FIELDS) - {"about"}
    if unknown:
        fail("top level", f"unknown key(s) {', '.join(map(repr, sorted(unknown)))}")

    slugs: dict[str, set[str]] = {}
    for kind, (required, optional) in _FIELDS.items():
        entries = raw.get(kind)
        if not isinstance(entries, list):
            fail(kind, "missing, or not a list")
        slugs[kind] = set()
        for i, entry in enumerate(entries):
            where = _where(kind, i, entry)
            if not isinstance(entry, dict):
                fail(where, "must be an object")
            _fields(entry, required, optional, lambda problem, where=where: fail(where, problem))
            if entry["slug"] in slugs[kind]:
                fail(where, f"slug {entry['slug']!r} appears twice in {kind!r}")
            slugs[kind].add(entry["slug"])

    for i, article in enumerate(raw["articles"]):
        where = _where("articles", i, article)
        refs = [("section", "sections", article["section"])]
        refs += [("story", "stories", article["story"])] if article.get("story") else []
        refs += [("main_person", "tags", article["main_person"])] if article.get("main_person") else []
        refs += [("authors", "authors", s) for s in article["authors"]]
        refs += [("tags", "tags", s) for s in article["tags"]]
        for field, kind, slug in refs:
            if slug not in slugs[kind]:
                fail(where, f"{field!r} names {slug!r}, which is not in {kind!r}")
        for j, block in enumerate(article["body"]):
            block_where = f"{where}, body[{j}]"
            if not isinstance(block, dict) or block.get("type") not in _BLOCK_FIELDS:
                kinds = ", ".join(map(repr, _BLOCK_FIELDS))
                fail(block_where, f'must be an object whose "type" is one of {kinds}')
            block_where += f" ({block['type']})"
            required, optional = _BLOCK_FIELDS[block["type"]]
            optional = {**optional, "type": _text}
            _fields(block, required, optional, lambda problem, w=block_where: fail(w, problem))
            if block["type"] == "related" and block["slug"] not in slugs["articles"]:
                fail(block_where, f"'slug' names {block['slug']!r}, which is not in 'articles'")

    return Corpus(**{kind: raw[kind] for kind in _FIELDS})


def _where(kind: str, i: int, entry) -> str:
    slug = entry.get("slug") if isinstance(entry, dict) else None
    return f"{kind}[{i}]" + (f" ({slug!r})" if isinstance(slug, str) else "")


def _fields(entry: dict, required: dict, optional: dict, fail) -> None:
    for field in required:
        if field not in entry:
            fail(f"{field!r} is missing")
    for field, value in entry.items():
        valid = required.get(field) or optional.get(field)
        if valid is None:
            fail(f"unknown field {field!r}")
        if not valid(value):
            fail(f"{field!r} must be {_KINDS[valid]}, not {_short(value)}")


def _short(value) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
