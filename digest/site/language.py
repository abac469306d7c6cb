"""An article's language on its page: a BCP 47 tag for ``lang`` and the script's direction.

The tag comes from a feed or a page (untrusted): only the shape of a language
tag is kept ("en-US", "ur", "zh-Hant-TW"), anything else is no language at all,
so the value can stand in an HTML attribute as it is. The direction is
right-to-left for a tag naming a right-to-left script (``ku-Arab``, ``pa-Arab``)
or, without a script subtag, for a language written in one by default (Arabic,
Urdu, Persian, Hebrew, Pashto, Sindhi, Uyghur, Yiddish, Dhivehi, Sorani Kurdish...).
"""

from __future__ import annotations

import re

_TAG = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*")
# scripts written right to left (ISO 15924)
RTL_SCRIPTS = frozenset({"arab", "aran", "hebr", "thaa", "syrc", "nkoo", "adlm", "rohg",
                         "samr", "mand", "yezi"})
# languages written right to left when the tag names no script (CLDR's default scripts)
RTL_LANGUAGES = frozenset({"ar", "arc", "azb", "bal", "bqi", "ckb", "dv", "fa", "glk", "he",
                           "iw", "khw", "ks", "lrc", "mzn", "nqo", "pnb", "prs", "ps", "sd",
                           "sdh", "skr", "syr", "ug", "ur", "yi", "ji"})


def language_tag(value: object) -> str:
    """``value`` as a language tag ("en_us" -> "en-us" with the language lower-cased and a
    region upper-cased: "en-US"); "" for anything that is not one."""
    if not isinstance(value, str):
        return ""
    candidate = value.strip().replace("_", "-")
    if not _TAG.fullmatch(candidate):
        return ""
    first, *rest = candidate.split("-")
    parts = [first.lower()]
    for part in rest:
        if len(part) == 2 and part.isalpha():  # a region
            parts.append(part.upper())
        elif len(part) == 4 and part.isalpha():  # a script
            parts.append(part.title())
        else:
            parts.append(part.lower())
    return "-".join(parts)


def direction(tag: str) -> str:
    """"rtl" for a language tag written right to left, else "ltr"."""
    first, *rest = language_tag(tag).lower().split("-")
    scripts = [p for p in rest if len(p) == 4 and p.isalpha()]
    if scripts:
        return "rtl" if scripts[0] in RTL_SCRIPTS else "ltr"
    return "rtl" if first in RTL_LANGUAGES else "ltr"
