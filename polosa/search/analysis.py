"""Russian text analysis shared by the index, the query and the snippets.

Words are lower-cased, «ё» is folded to «е», and each word is reduced to its Snowball stem, the same
algorithm PostgreSQL's ``russian`` configuration uses. The Snowball stemmer alone treats some forms of
one word differently (it reduces «Лавров» to «лавр» but «Лаврова» to «лавров»), so a query word is
first expanded with pymorphy3 into every form of its dictionary word (its lexeme: «Лавров», «Лаврова»,
«Лаврову», «Лавровым»…), and the article matches when it contains any of those forms' stems.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import pymorphy3
import Stemmer

# A query longer than this is cut (a reader's query is a few words; 10 KB of text is an attack).
MAX_QUERY_CHARS = 200
MAX_QUERY_WORDS = 8
MAX_WORD_CHARS = 40
# How many of pymorphy3's readings of a word, and how many forms of each, the expansion may use.
MAX_PARSES = 3
MAX_FORMS_PER_WORD = 60

WORD_RE = re.compile(r"[^\W_]+", re.UNICODE)

# Function words that PostgreSQL's russian configuration drops too; a query made of them finds nothing.
STOPWORDS = frozenset(
    [
        "и",
        "в",
        "во",
        "не",
        "что",
        "он",
        "на",
        "я",
        "с",
        "со",
        "как",
        "а",
        "то",
        "все",
        "она",
        "так",
        "его",
        "но",
        "да",
        "ты",
        "к",
        "у",
        "же",
        "вы",
        "за",
        "бы",
        "по",
        "только",
        "ее",
        "мне",
        "было",
        "вот",
        "от",
        "меня",
        "еще",
        "нет",
        "о",
        "из",
        "ему",
        "теперь",
        "когда",
        "даже",
        "ну",
        "вдруг",
        "ли",
        "если",
        "уже",
        "или",
        "ни",
        "быть",
        "был",
        "него",
        "до",
        "вас",
        "нибудь",
        "опять",
        "уж",
        "вам",
        "ведь",
        "там",
        "потом",
        "себя",
        "ничего",
        "ей",
        "может",
        "они",
        "тут",
        "где",
        "есть",
        "надо",
        "ней",
        "для",
        "мы",
        "тебя",
        "их",
        "чем",
        "была",
        "сам",
        "чтоб",
        "без",
        "будто",
        "чего",
        "раз",
        "тоже",
        "себе",
        "под",
        "будет",
        "ж",
        "тогда",
        "кто",
        "этот",
        "того",
        "потому",
        "этого",
        "какой",
        "совсем",
        "ним",
        "здесь",
        "этом",
        "один",
        "почти",
        "мой",
        "тем",
        "чтобы",
        "нее",
        "сейчас",
        "были",
        "куда",
        "зачем",
        "всех",
        "никогда",
        "можно",
        "при",
        "наконец",
        "два",
        "об",
        "другой",
        "хоть",
        "после",
        "над",
        "больше",
        "тот",
        "через",
        "эти",
        "нас",
        "про",
        "всего",
        "них",
        "какая",
        "много",
        "разве",
        "три",
        "эту",
        "моя",
        "впрочем",
        "хорошо",
        "свою",
        "этой",
        "перед",
        "иногда",
        "лучше",
        "чуть",
        "том",
        "нельзя",
        "такой",
        "им",
        "более",
        "всегда",
        "конечно",
        "всю",
        "между",
    ]
)


@lru_cache(maxsize=1)
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("russian")


@lru_cache(maxsize=1)
def _english_stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("english")


@lru_cache(maxsize=1)
def _morph() -> pymorphy3.MorphAnalyzer:
    return pymorphy3.MorphAnalyzer(lang="ru")


def normalize_word(word: str) -> str:
    return word.lower().replace("ё", "е")


def words(text: str) -> list[str]:
    """The words of `text`, lower-cased, with «ё» folded (letters and digits; punctuation dropped)."""
    return [normalize_word(w) for w in WORD_RE.findall(text or "")]


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The Snowball stem of a normalized word (Russian; Latin words get the English stemmer)."""
    if word.isascii():
        return _english_stemmer().stemWord(word)
    return _stemmer().stemWord(word)


def stems_text(text: str) -> str:
    """`text` as a space-separated string of stems, stopwords removed: what the SQLite index stores."""
    return " ".join(stem(w) for w in words(text) if w not in STOPWORDS)


@lru_cache(maxsize=4096)
def word_forms(word: str) -> tuple[str, ...]:
    """The word itself and every form of the dictionary words it may be (pymorphy3 lexemes)."""
    forms = [word]
    if word.isascii() or word.isdigit():
        return tuple(forms)
    seen = {word}
    for parse in _morph().parse(word)[:MAX_PARSES]:
        for form in parse.lexeme:
            candidate = normalize_word(form.word)
            if candidate not in seen and WORD_RE.fullmatch(candidate):
                seen.add(candidate)
                forms.append(candidate)
            if len(forms) >= MAX_FORMS_PER_WORD:
                return tuple(forms)
    return tuple(forms)


@dataclass(frozen=True)
class QueryTerm:
    """One word of the reader's query: the word as typed, its forms and their stems."""

    word: str
    forms: tuple[str, ...]
    stems: frozenset[str]

    @property
    def distinct_forms(self) -> tuple[str, ...]:
        """One form per distinct stem (the typed word first): what PostgreSQL is asked to stem."""
        chosen: dict[str, str] = {}
        for form in self.forms:
            chosen.setdefault(stem(form), form)
        return tuple(chosen.values())


@dataclass(frozen=True)
class ParsedQuery:
    text: str  # the query as it will be shown back (trimmed, cut to MAX_QUERY_CHARS)
    terms: tuple[QueryTerm, ...]
    truncated: bool

    @property
    def is_empty(self) -> bool:
        return not self.terms

    @property
    def all_stems(self) -> frozenset[str]:
        found: set[str] = set()
        for term in self.terms:
            found |= term.stems
        return frozenset(found)


def parse_query(raw: str) -> ParsedQuery:
    """Reduce whatever a reader typed to at most MAX_QUERY_WORDS plain words.

    Quotes, operators, brackets, SQL and emoji are not syntax here: only letters and digits survive,
    so no input can break the database's query parser. Stopwords and repeated words are dropped.
    """
    raw = (raw or "").replace("\x00", " ")
    truncated = len(raw) > MAX_QUERY_CHARS
    text = " ".join(raw[:MAX_QUERY_CHARS].split())
    terms: list[QueryTerm] = []
    seen: set[str] = set()
    for word in words(text):
        if len(terms) >= MAX_QUERY_WORDS:
            truncated = True
            break
        word = word[:MAX_WORD_CHARS]
        if word in STOPWORDS or word in seen:
            continue
        seen.add(word)
        forms = word_forms(word)
        terms.append(QueryTerm(word, forms, frozenset(stem(f) for f in forms)))
    return ParsedQuery(text=text, terms=tuple(terms), truncated=truncated)
