"""Entities found in an article matched to the newsroom's typed tags, or offered as new tags.

A tag matches an entity when one of its names (the name or an alias, one per line) is the entity in
some case form, word for word: «Лаврову» and «Сергея Лаврова» both match «Сергей Лавров», whatever the
normaliser made of them, because each word is compared with every form of the tag's word (pymorphy3
lexemes, as search expands a query). A surname alone («Лавровым») matches the one person tag whose
last name it is a form of; when two people share the surname, each is offered.

Entities of the same article are grouped first: «Лавров» after «Сергей Лавров» is the same person.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from django.core.cache import cache
from django.db.models import Count, Max

from polosa.news.models import Tag, TagKind
from polosa.search import analysis

from .extraction import LOC, ORG, PER, Mention

KIND_OF_TYPE = {PER: TagKind.PERSON, ORG: TagKind.ORGANISATION, LOC: TagKind.PLACE}
TYPED_KINDS = tuple(KIND_OF_TYPE.values())

QUOTES_RE = re.compile(r"[«»\"“”„']")
WORD_RE = re.compile(r"[^\W_]+(?:-[^\W_]+)*", re.UNICODE)
# Shorter than this (after folding) is noise: «И», a stray initial.
MIN_NAME_CHARS = 2
TAGS_VERSION_KEY = "nlp:tags-version"


def fold(text: str) -> str:
    """Lower case, «ё» as «е», no quotes, single spaces: what two spellings of a name share."""
    text = QUOTES_RE.sub("", text or "").replace("ё", "е").replace("Ё", "Е").lower()
    return " ".join(text.split())


def name_words(text: str) -> list[str]:
    return WORD_RE.findall(fold(text))


# The tag index is rebuilt after any tag changes; the words of unchanged tags keep their forms here
# (about 1 ms a word to compute, so a 10,000-tag newsroom would otherwise wait seconds each time).
@lru_cache(maxsize=50_000)
def _forms(word: str) -> frozenset[str]:
    # A hyphenated word («Санкт-Петербург», «Ростов-на-Дону») changes at its parts.
    parts = word.split("-")
    if len(parts) > 1:
        return frozenset([word, *("-".join([*parts[:-1], f]) for f in analysis.word_forms(parts[-1]))])
    return frozenset(analysis.word_forms(word))


@dataclass
class Entity:
    """One entity of an article: its type, display name (the fullest nominative seen), mentions."""

    type: str
    name: str
    mentions: int = 0
    first: int = 0
    in_headline: bool = False
    variants: set[str] = field(default_factory=set)

    @property
    def key(self) -> str:
        return fold(self.name)


def group(mentions: list[Mention], headline_chars: int = 0) -> list[Entity]:
    """Mentions grouped into entities; a person's surname joins the full name that ends with it."""
    entities: dict[tuple[str, str], Entity] = {}
    for mention in mentions:
        if len(fold(mention.normal)) < MIN_NAME_CHARS:
            continue
        key = (mention.type, fold(mention.normal))
        entity = entities.get(key)
        if entity is None:
            entity = entities[key] = Entity(mention.type, mention.normal, first=mention.start)
        entity.mentions += 1
        entity.variants.add(mention.text)
        entity.in_headline = entity.in_headline or mention.start < headline_chars
    people = [e for e in entities.values() if e.type == PER and len(name_words(e.name)) > 1]
    for key, entity in list(entities.items()):
        words = name_words(entity.name)
        if entity.type != PER or len(words) != 1:
            continue
        forms = _forms(words[0])
        full = [p for p in people if name_words(p.name)[-1] in forms]
        if len(full) == 1:
            target = full[0]
            target.mentions += entity.mentions
            target.variants |= entity.variants
            target.in_headline = target.in_headline or entity.in_headline
            target.first = min(target.first, entity.first)
            del entities[key]
    return sorted(entities.values(), key=lambda e: e.first)


class TagIndex:
    """Every typed tag's names, indexed by the forms of their last word."""

    def __init__(self, tags):
        self.by_last_form: dict[str, list[tuple[Tag, tuple[frozenset[str], ...]]]] = defaultdict(list)
        self.by_surname: dict[str, list[Tag]] = defaultdict(list)
        self.exact: dict[str, list[Tag]] = defaultdict(list)
        for tag in tags:
            names = [tag.name, *tag.alias_list]
            for name in names:
                self.exact[fold(name)].append(tag)
                words = name_words(name)
                if not words:
                    continue
                forms = tuple(_forms(w) for w in words)
                for form in forms[-1]:
                    self.by_last_form[form].append((tag, forms))
            words = name_words(tag.name)
            if tag.kind == TagKind.PERSON and len(words) > 1:
                for form in _forms(words[-1]):
                    self.by_surname[form].append(tag)

    def match(self, entity: Entity) -> list[Tag]:
        """The tags `entity` names: its own kind first, then any kind (the NER may call a country
        that acts an organisation); a surname alone matches people only."""
        candidates = list(self.exact.get(entity.key, ()))
        for text in {entity.name, *entity.variants}:
            words = name_words(text)
            if not words:
                continue
            for tag, forms in self.by_last_form.get(words[-1], ()):
                if len(forms) == len(words) and all(w in f for w, f in zip(words, forms, strict=True)):
                    candidates.append(tag)
            if entity.type == PER and len(words) == 1:
                candidates.extend(self.by_surname.get(words[0], ()))
        unique = list({tag.pk: tag for tag in candidates}.values())
        own = [tag for tag in unique if tag.kind == KIND_OF_TYPE[entity.type]]
        if own:
            return own
        if entity.type == PER:
            return []
        return unique


_index_cache: dict[str, object] = {}


def tag_index() -> TagIndex:
    """The process's index of typed tags, rebuilt when any tag changed (a version in the shared cache,
    bumped on every tag save and delete, so every process notices, and the tags' count and newest id)."""
    typed = Tag.objects.filter(kind__in=TYPED_KINDS)
    # The count and the newest id notice a tag added or deleted in this very transaction (a test, an
    # import), before the version is bumped on commit.
    version = (cache.get(TAGS_VERSION_KEY, 0), *typed.aggregate(n=Count("pk"), last=Max("pk")).values())
    if _index_cache.get("version") != version or "index" not in _index_cache:
        tags = typed.only("pk", "kind", "name", "aliases", "slug")
        _index_cache.update(version=version, index=TagIndex(list(tags)))
    return _index_cache["index"]


def tags_changed() -> None:
    """Make every process rebuild its tag index on its next use."""
    try:
        cache.incr(TAGS_VERSION_KEY)
    except ValueError:
        cache.set(TAGS_VERSION_KEY, 1, None)
    _index_cache.clear()


@dataclass
class Suggestion:
    """A tag to add: an existing tag (`tag`) or a new one of `kind` named `name`."""

    kind: str
    name: str
    mentions: int
    score: float
    tag: Tag | None = None


def suggest(entities: list[Entity], index: TagIndex | None = None) -> list[Suggestion]:
    """Suggestions for `entities`, best first; an existing tag appears once however it was named."""
    index = index or tag_index()
    found: dict[object, Suggestion] = {}
    for entity in entities:
        score = entity.mentions + (3 if entity.in_headline else 0)
        tags = index.match(entity)
        if tags:
            for tag in tags:
                current = found.get(tag.pk)
                if current is None:
                    found[tag.pk] = Suggestion(tag.kind, tag.name, entity.mentions, score, tag)
                else:
                    current.mentions += entity.mentions
                    current.score += score
            continue
        key = (KIND_OF_TYPE[entity.type], entity.key)
        if key in found:
            found[key].mentions += entity.mentions
            found[key].score += score
        else:
            found[key] = Suggestion(KIND_OF_TYPE[entity.type], entity.name, entity.mentions, score)
    return sorted(found.values(), key=lambda s: (-s.score, s.name))
