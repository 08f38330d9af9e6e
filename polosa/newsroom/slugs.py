"""Latin addresses from Russian headlines, for articles whose address the editor left empty.

Wagtail's admin script fills the address from the title only for Latin text when Unicode slugs are
off (as here), so a Russian headline left the field empty and the form refused to save. This is a
simple, readable transliteration (close to the one Yandex and most Russian newsrooms use in URLs).
"""

from django.utils.text import slugify

_TABLE = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch",
    "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
}  # fmt: skip

MAX_LENGTH = 80


def transliterate(text: str) -> str:
    return "".join(_TABLE.get(ch, _TABLE.get(ch.lower(), ch)) for ch in text.lower())


def slug_from_title(title: str) -> str:
    """ "Городской совет утвердил план" -> "gorodskoy-sovet-utverdil-plan" (cut at a word)."""
    slug = slugify(transliterate(title))
    if len(slug) > MAX_LENGTH:
        slug = slug[:MAX_LENGTH].rsplit("-", 1)[0]
    return slug
