"""Build the site's self-hosted PT Serif: one woff2 per weight holding Latin and Cyrillic, and the
metric overrides of its fallback face, so that swapping the web font in moves nothing (CLS 0).

Input: the @fontsource/pt-serif npm package (`npm ci`, as `make fonts` runs it), which ships each
weight split into Latin and Cyrillic files. They are merged, cut to the characters a Russian news
page uses and written to polosa/static/polosa/fonts/ with the licence. The overrides it prints go
into the fallback @font-face rules of polosa/static/polosa/site.css.

Needs fontTools and brotli (the dev extra): `python scripts/subset_fonts.py [node_modules]`.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from fontTools import subset
from fontTools.merge import Merger
from fontTools.ttLib import TTFont

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "polosa" / "static" / "polosa" / "fonts"
WEIGHTS = {"400": "Regular", "700": "Bold"}
# Basic Latin and Latin-1, Russian and the other Cyrillic letters the font has, punctuation
# (dashes, quotes «», ellipsis, bullets), №, ₽ and the combining acute for stressed vowels.
UNICODES = (
    "U+0020-007E,U+00A0-00FF,U+0131,U+0152-0153,U+02C6,U+02DA,U+02DC,U+0301,"
    "U+0400-045F,U+0490-0491,U+04B0-04B1,U+2000-206F,U+20AC,U+20BD,U+2116,U+2122,U+2212"
)
# The fallback the web font stands in for: Times New Roman, or Liberation Serif with its metrics.
FALLBACK = {
    "400": "/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf",
    "700": "/usr/share/fonts/truetype/liberation/LiberationSerif-Bold.ttf",
}
SAMPLE = (
    "Банк России снизил ключевую ставку до 17% годовых и допустил продолжение смягчения. "
    "Рубль, нефть Brent и индекс Мосбиржи: 21:52, 23 янв — «Политика». ЦБ РФ, ИНН 7701234560."
)


def merged(package: Path, weight: str, workdir: Path) -> TTFont:
    parts = []
    for script in ("latin", "cyrillic"):
        font = TTFont(package / "files" / f"pt-serif-{script}-{weight}-normal.woff2")
        font.flavor = None
        path = workdir / f"{script}-{weight}.ttf"
        font.save(path)
        parts.append(str(path))
    return Merger().merge(parts)


def advance(font: TTFont, text: str) -> float:
    cmap, hmtx = font.getBestCmap(), font["hmtx"]
    return sum(hmtx[cmap[ord(c)]][0] for c in text if ord(c) in cmap) / font["head"].unitsPerEm


def main(node_modules: Path) -> None:
    package = node_modules / "@fontsource" / "pt-serif"
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for weight, style in WEIGHTS.items():
            font = merged(package, weight, Path(tmp))
            options = subset.Options()
            options.flavor = "woff2"
            options.layout_features = ["kern", "liga", "locl"]
            options.name_IDs = ["*"]  # keep the copyright and licence notices
            subsetter = subset.Subsetter(options)
            subsetter.populate(unicodes=subset.parse_unicodes(UNICODES))
            subsetter.subset(font)
            target = OUT / f"pt-serif-{weight}.woff2"
            font.flavor = "woff2"
            font.save(target)

            fallback = TTFont(FALLBACK[weight])
            size_adjust = advance(font, SAMPLE) / advance(fallback, SAMPLE)
            upem = font["head"].unitsPerEm
            hhea = font["hhea"]
            print(  # noqa: T201 - a build script reports to its terminal
                f"{target.relative_to(ROOT)} {target.stat().st_size // 1024} KB; fallback {style}: "
                f"size-adjust: {size_adjust:.2%}; ascent-override: {hhea.ascent / upem / size_adjust:.2%}; "
                f"descent-override: {-hhea.descent / upem / size_adjust:.2%}; line-gap-override: 0%"
            )
    shutil.copyfile(package / "LICENSE", OUT / "OFL.txt")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "node_modules")
