"""Named entities (people, organisations, places) in Russian text, normalised to the nominative.

Natasha's slovnet models find the spans («Лавровым», «Банка России»); each span is then put into the
nominative («Лавров», «Банк России») from the morphology of its own words in their context.

Why not Natasha's full pipeline: its normalisation needs a morphology tag for every word of the text
and, for organisations, a syntax parse, which took 1.3–2 s for a 5,000-character article here (the
target is under 0.3 s) and 65 MB more memory. The morphology tagger is run on short windows around the
spans only (the span with the word before it, where the preposition that governs the case stands, and the
word after it),
and an organisation's head is taken as its leading adjectives and first noun («Московского
государственного университета» → «Московский государственный университет», «Министерства
иностранных дел» → «Министерство иностранных дел»), which is what the syntax parse gave for names.

Natasha's own `MorphVocab` is built on pymorphy2, which needs `pkg_resources` (gone from setuptools
81+, and not in a Python 3.12 virtualenv at all); `MorphVocab` here is the same class over pymorphy3,
which the project already uses for search.

The models are loaded once per process, on first use, behind a lock (`get_pipeline`).
"""

from __future__ import annotations

import html
import logging
import os
import re
import sys
import threading
import time
from dataclasses import dataclass
from functools import lru_cache

import pymorphy3
from django.conf import settings
from django.utils.html import strip_tags

logger = logging.getLogger(__name__)

# The taggers are small numpy networks run one request at a time; OpenBLAS's default of a thread per
# core made them 3-4 times slower on a busy 2-core machine (threads spinning against each other and
# against the other workers). Only effective before numpy is first imported, which is done here.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")
if "numpy" in sys.modules:  # pragma: no cover - depends on what the process imported before
    logger.debug("nlp: numpy was imported before polosa.nlp; its BLAS thread count is left as it is")

PER, ORG, LOC = "PER", "ORG", "LOC"
TYPES = (PER, ORG, LOC)

# Longer text is cut (at a word): an article is rarely over 20,000 characters, and the time grows
# with the length (about 40 ms per 1,000 characters after the load).
DEFAULT_MAX_CHARS = 20_000
# Below this share of Cyrillic among the letters the text is taken as not Russian: the models are
# trained on Russian news and find nonsense in English or Chinese text.
MIN_CYRILLIC_SHARE = 0.3
WINDOW_BEFORE = 1
WINDOW_AFTER = 1

TAG_RE = re.compile(r"<[^>]*>")
SPACE_RE = re.compile(r"\s+")
CYRILLIC_RE = re.compile(r"[а-яё]", re.IGNORECASE)
LETTER_RE = re.compile(r"[^\W\d_]")


@dataclass(frozen=True)
class Mention:
    """One occurrence of an entity: its type (PER/ORG/LOC), the text as written and its nominative."""

    type: str
    text: str
    normal: str
    start: int
    stop: int


def max_chars() -> int:
    return getattr(settings, "POLOSA_NLP_MAX_CHARS", DEFAULT_MAX_CHARS)


# --- Morphology over pymorphy3 ---------------------------------------------------------------------


def _morph_form_class():
    from natasha.morph.vocab import oc_grams, ud_feats, ud_pos

    class MorphForm(pymorphy3.analyzer.Parse):
        """A pymorphy3 parse with Natasha's Universal Dependencies view (pos, feats, normal)."""

        def __new__(cls, *args):
            self = super().__new__(cls, *args)
            self.normal = self.normal_form
            self.pos = ud_pos(self.tag)
            self.feats = dict(ud_feats(self.tag))
            return self

        def inflect(self, grams):
            return super().inflect(set(oc_grams(grams)))

    return MorphForm


class MorphVocab(pymorphy3.MorphAnalyzer):
    """Natasha's `MorphVocab` (what its normalisation and lemmatisation call) over pymorphy3."""

    def __init__(self):
        super().__init__(result_type=_morph_form_class())
        self._cached_parse = lru_cache(10_000)(super().parse)

    def parse(self, word):
        return self._cached_parse(word)

    __call__ = parse

    def lemmatize(self, word, pos, feats):
        from natasha.morph.lemma import lemmatize

        return lemmatize(self, word, pos, feats)


# --- The models, once per process ------------------------------------------------------------------


@dataclass
class LoadStats:
    seconds: float
    rss_before_mb: float
    rss_after_mb: float

    @property
    def added_mb(self) -> float:
        return self.rss_after_mb - self.rss_before_mb


def rss_mb() -> float:
    """This process's resident memory in MB (Linux; 0 where /proc is missing)."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


class Pipeline:
    """Natasha's segmenter, news embedding, NER and morphology taggers and the morphology vocabulary."""

    def __init__(self):
        from natasha import NewsEmbedding, NewsMorphTagger, NewsNERTagger, Segmenter

        before, started = rss_mb(), time.perf_counter()
        self.segmenter = Segmenter()
        embedding = NewsEmbedding()
        self.ner_tagger = NewsNERTagger(embedding)
        self.morph_tagger = NewsMorphTagger(embedding)
        self.vocab = MorphVocab()
        self.stats = LoadStats(time.perf_counter() - started, before, rss_mb())
        logger.info("nlp: models loaded in %.2f s, memory %+.0f MB", self.stats.seconds, self.stats.added_mb)

    def mentions(self, text: str) -> list[Mention]:
        from natasha import Doc

        doc = Doc(text)
        doc.segment(self.segmenter)
        doc.tag_ner(self.ner_tagger)
        spans = [span for span in doc.spans if span.type in TYPES and span.tokens]
        for span in spans:
            _trim_prepositions(span)
        spans = [span for span in spans if span.tokens]
        if not spans:
            return []
        self._tag_windows(doc.tokens, spans)
        normals = {}  # the same words with the same tags normalise the same way
        found = []
        for span in spans:
            key = (span.type, *((t.text, t.pos, tuple(sorted(t.feats.items()))) for t in span.tokens))
            if key not in normals:
                normals[key] = normalize_span(self.vocab, span)
            mention = Mention(span.type, span.text, normals[key], span.start, span.stop)
            previous = found[-1] if found else None
            if previous is not None and _is_complement(previous, span, text):
                # «МИД России»: the model often ends the organisation before its country.
                mention = Mention(
                    ORG,
                    text[previous.start : span.stop],
                    f"{previous.normal}{text[previous.stop : span.start]}{span.text}",
                    previous.start,
                    span.stop,
                )
                found[-1] = mention
                continue
            found.append(mention)
        return found

    def _tag_windows(self, tokens, spans) -> None:
        """Morphology tags for each span's words, from a short window of text around it.

        Windows with the same words are tagged once: a name repeated after the same preposition
        («в Москве») is common, and the tagger's time grows with the words it reads.
        """
        index = {id(token): i for i, token in enumerate(tokens)}
        windows = {}
        for span in spans:
            first, last = index[id(span.tokens[0])], index[id(span.tokens[-1])]
            low, high = max(0, first - WINDOW_BEFORE), min(len(tokens), last + 1 + WINDOW_AFTER)
            words = tuple(token.text for token in tokens[low:high])
            windows.setdefault(words, []).append((first - low, span.tokens))
        markups = self.morph_tagger.map([list(words) for words in windows])
        for placements, markup in zip(windows.values(), markups, strict=True):
            for offset, span_tokens in placements:
                for token, tagged in zip(span_tokens, markup.tokens[offset:], strict=False):
                    token.pos, token.feats = tagged.pos, tagged.feats


_pipeline: Pipeline | None = None
_lock = threading.Lock()


def get_pipeline() -> Pipeline:
    """The process's pipeline, loaded on first use (2–4 s and 150–240 MB, see benchmarks/nlp.py)."""
    global _pipeline
    if _pipeline is None:
        with _lock:
            if _pipeline is None:
                _pipeline = Pipeline()
    return _pipeline


def is_loaded() -> bool:
    return _pipeline is not None


# A capitalised preposition at the start of a sentence is sometimes taken into the name after it
# («Над Калининградом», «О Лаврове»).
PREPOSITIONS = frozenset(
    [
        "в",
        "во",
        "о",
        "об",
        "обо",
        "над",
        "под",
        "с",
        "со",
        "к",
        "ко",
        "из",
        "у",
        "по",
        "за",
        "на",
        "для",
        "от",
        "до",
        "при",
        "между",
        "перед",
        "без",
        "через",
        "про",
    ]
)


def _trim_prepositions(span) -> None:
    while len(span.tokens) > 1 and span.tokens[0].text.lower() in PREPOSITIONS:
        span.tokens = span.tokens[1:]
        start = span.tokens[0].start
        span.text = span.text[start - span.start :]
        span.start = start


def _is_complement(previous: Mention, span, text: str) -> bool:
    """Whether `span` is a place in the genitive right after an organisation («МИД | России»)."""
    if previous.type != ORG or span.type != LOC or text[previous.stop : span.start] != " ":
        return False
    return all(token.feats.get("Case") == "Gen" for token in span.tokens)


# --- Normalisation ---------------------------------------------------------------------------------


def _organisation_head(tokens) -> set[int]:
    """Indexes of the words of an organisation's name that change with its case: leading adjectives
    and the first noun («Государственной думы», «Банка России»); the rest is a complement
    («иностранных дел», «России») or a name in quotes that keeps its form."""
    head = set()
    for i, token in enumerate(tokens):
        pos = token.pos
        if pos == "ADJ":
            head.add(i)
            continue
        if pos in ("NOUN", "PROPN"):
            head.add(i)
        break
    return head


UD_CASES = {
    "Nom": ("nomn",),
    "Gen": ("gent", "gen2"),
    "Dat": ("datv",),
    "Acc": ("accs",),
    "Ins": ("ablt",),
    "Loc": ("loct", "loc2"),
}
UD_GENDERS = {"Masc": "masc", "Fem": "femn", "Neut": "neut"}
NAME_GRAMMEMES = frozenset({"Name", "Surn", "Patr"})
PLACE_GRAMMEMES = frozenset({"Geox"})


def inflect_word(vocab: MorphVocab, token, kind: str) -> str:
    """The token's word in the nominative (lower case; the caller restores its shape).

    The tagger gives the case and gender from the context; of pymorphy3's readings of the word the
    one with that case is taken, a first name or surname for a person and a place name for a place
    before others («Игоре» is «Игорь», not «игор»), and put into the nominative keeping its gender
    and number («Набиуллину» → «Набиуллина», «Казанью» → «Казань»). Natasha's own inflection
    requires the reading's gender to equal the tagger's and gives up (keeping the form) when not.
    """
    from natasha.norm import inflect_word as natasha_inflect

    case = token.feats.get("Case")
    if token.pos not in ("NOUN", "PROPN", "ADJ") or case in (None, "Nom"):
        return natasha_inflect(vocab, token)
    wanted = UD_CASES.get(case, ())
    gender = UD_GENDERS.get(token.feats.get("Gender"))
    preferred = NAME_GRAMMEMES if kind == PER else PLACE_GRAMMEMES if kind == LOC else frozenset()
    readings = [p for p in vocab(token.text.lower()) if any(c in p.tag.grammemes for c in wanted)]
    if not readings:
        return natasha_inflect(vocab, token)

    number = {"Sing": "sing", "Plur": "plur"}.get(token.feats.get("Number"))

    def rank(parse):
        grammemes = parse.tag.grammemes
        return (
            bool(preferred & grammemes),
            gender is None or gender in grammemes,
            number is None or number in grammemes,
            (token.pos == "ADJ") == ("ADJF" in grammemes),
            parse.score,
        )

    best = max(readings, key=rank)
    grams = {"nomn"}
    for extra in ("sing", "plur", "masc", "femn", "neut"):
        if extra in best.tag.grammemes and (extra in ("sing", "plur") or "sing" in best.tag.grammemes):
            grams.add(extra)
    form = pymorphy3.analyzer.Parse.inflect(best, grams) or pymorphy3.analyzer.Parse.inflect(best, {"nomn"})
    return form.word.replace("ё", "е") if form else natasha_inflect(vocab, token)


def normalize_span(vocab: MorphVocab, span) -> str:
    """The span in the nominative, written as in the text (capitals, hyphens, spaces kept)."""
    from natasha.norm import recover_shapes, recover_spaces

    tokens = span.tokens
    if span.type == PER and len(tokens) > 1 and tokens[0].feats.get("Gender"):
        # A first name is tagged more surely than a surname («Марина Кудрина»: the surname alone
        # may be a man's in the genitive); the whole name shares its gender and case.
        for token in tokens[1:]:
            if token.pos in ("PROPN", "NOUN") and "Case" in tokens[0].feats:
                token.feats = {
                    **token.feats,
                    "Gender": tokens[0].feats["Gender"],
                    "Case": tokens[0].feats["Case"],
                }
    head = _organisation_head(tokens) if span.type == ORG else set(range(len(tokens)))
    words = [inflect_word(vocab, t, span.type) if i in head else t.text for i, t in enumerate(tokens)]
    try:
        return recover_spaces(list(recover_shapes(words, tokens)), tokens)
    except Exception:  # a shape Natasha cannot restore (mixed case inside a word): keep the text
        return span.text


# --- Entry point -----------------------------------------------------------------------------------


def clean_text(text: str) -> str:
    """Plain text: tags dropped, entities decoded, runs of white space made one space."""
    if "<" in text:
        text = strip_tags(text) if len(text) < 200_000 else TAG_RE.sub(" ", text)
    if "&" in text:
        text = html.unescape(text)
    return SPACE_RE.sub(" ", text).strip()


def looks_russian(text: str) -> bool:
    sample = text[:5000]
    letters = len(LETTER_RE.findall(sample))
    return letters > 0 and len(CYRILLIC_RE.findall(sample)) >= MIN_CYRILLIC_SHARE * letters


def extract(text: str, *, label: str = "text") -> list[Mention]:
    """The people, organisations and places in `text`, in order of appearance.

    Never raises on bad input: empty, non-Russian or markup-only text gives no mentions, text longer
    than `POLOSA_NLP_MAX_CHARS` is cut; each case is logged with `label` (say, the article).
    """
    text = clean_text(text or "")
    if not text:
        logger.info("nlp: %s is empty, no entities", label)
        return []
    limit = max_chars()
    if len(text) > limit:
        cut = text.rfind(" ", 0, limit)
        logger.warning("nlp: %s is %d characters, only the first %d are read", label, len(text), limit)
        text = text[: cut if cut > limit // 2 else limit]
    if not looks_russian(text):
        logger.info("nlp: %s does not look like Russian text, no entities", label)
        return []
    return get_pipeline().mentions(text)
