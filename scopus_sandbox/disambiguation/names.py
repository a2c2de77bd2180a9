"""Author names as printed → comparable parts: surname key, given-name tokens, block key.

Folding: any script to ASCII (anyascii: "Müller" → "muller", "Łukasz" → "lukasz", "王" → "wang"),
lower case, letters only. Surnames lose spaces and hyphens ("Au-Yeung" = "Au Yeung" = "Auyeung").
Given names become tokens; a one-letter token is an initial. "Tai-Ming", "Tai Ming" and "T.M."
are three tokens lists, ("tai", "ming"), ("tai", "ming"), ("t", "m"); run-together "Taiming" is
one token that `given_compatible` can still split into syllables to meet "T. M.".
"""

from __future__ import annotations

import re
from functools import lru_cache

from anyascii import anyascii

# Separators inside a given name; a hyphen joins syllables of one name ("Tai-Ming", "Min-Jun").
_GIVEN_SPLIT = re.compile(r"[\s.\-‐‑‒–—_,;:/()'’]+")
_NOT_LETTER = re.compile(r"[^a-z]+")
_VOWELS = set("aeiouy")
_CJK = re.compile(r"[\u4e00-\u9fff\u3400-\u4dbf\uac00-\ud7af]")

# Common Chinese (Mandarin and Cantonese romanisations) and Korean surnames. Used to recognise a
# reversed name ("Wong, Tai Ming" printed as first "Wong", last "Tai Ming") and to weaken the
# evidence of a full given name in the most crowded blocks.
CJK_SURNAMES: frozenset[str] = frozenset(
    [
        "wang",
        "li",
        "zhang",
        "liu",
        "chen",
        "yang",
        "huang",
        "zhao",
        "wu",
        "zhou",
        "xu",
        "sun",
        "ma",
        "zhu",
        "hu",
        "guo",
        "he",
        "lin",
        "gao",
        "luo",
        "zheng",
        "liang",
        "xie",
        "song",
        "tang",
        "han",
        "feng",
        "deng",
        "cao",
        "peng",
        "zeng",
        "xiao",
        "tian",
        "dong",
        "pan",
        "yuan",
        "cai",
        "jiang",
        "yu",
        "du",
        "ye",
        "cheng",
        "wei",
        "su",
        "lu",
        "ding",
        "ren",
        "shen",
        "yao",
        "jin",
        "fu",
        "zhong",
        "cui",
        "tan",
        "lai",
        "fan",
        "shi",
        "qian",
        "xue",
        "wong",
        "chan",
        "cheung",
        "lee",
        "leung",
        "lau",
        "ng",
        "ho",
        "lam",
        "tsang",
        "yip",
        "chow",
        "tsui",
        "kwok",
        "kwan",
        "chu",
        "mak",
        "fung",
        "yeung",
        "auyeung",
        "siu",
        "poon",
        "law",
        "lo",
        "choi",
        "tse",
        "yuen",
        "chiu",
        "hui",
        "ko",
        "kong",
        "mok",
        "tam",
        "to",
        "tong",
        "yau",
        "chung",
        "kim",
        "park",
        "jung",
        "jeong",
        "kang",
        "cho",
        "yoon",
        "jang",
        "lim",
        "han",
        "oh",
        "seo",
        "shin",
        "kwon",
        "hwang",
        "ahn",
        "song",
        "hong",
    ]
)

# Western short forms a person may print instead of the full first name: "short | full".
# Two different full names of one line (Christopher, Christine) are still different names.
_NICKNAME_LINES = (
    "chris | christopher christian christine christina",
    "bill will billy willy | william",
    "bob rob bobby robbie | robert",
    "mike mick | michael",
    "dave | david",
    "tom tommy | thomas",
    "jim jimmy jamie | james",
    "joe joey | joseph",
    "kate kathy cathy katie | katherine catherine",
    "liz beth lizzie | elizabeth",
    "tony | anthony",
    "alex sasha | alexander alexandra",
    "andy drew | andrew",
    "ben benny | benjamin",
    "dan danny | daniel",
    "ed eddie ted | edward",
    "fred freddie | frederick",
    "greg | gregory",
    "jen jenny | jennifer",
    "jon | jonathan",
    "ken kenny | kenneth",
    "larry | lawrence laurence",
    "matt | matthew",
    "nick | nicholas nicolas",
    "pat | patrick patricia",
    "pete | peter",
    "rick dick rich | richard",
    "sam | samuel samantha",
    "steve | stephen steven",
    "sue | susan suzanne",
    "tim | timothy",
    "vicky | victoria",
    "maggie peggy | margaret",
)
# short form -> the full names it may stand for
_FULL_FORMS: dict[str, frozenset[str]] = {}
for _line in _NICKNAME_LINES:
    _shorts, _fulls = _line.split("|")
    for _short in _shorts.split():
        _FULL_FORMS[_short] = _FULL_FORMS.get(_short, frozenset()) | frozenset(_fulls.split())

# One syllable of Mandarin pinyin, Cantonese (Hong Kong government) or Korean romanisation: an
# optional initial, one to three vowels, an optional coda. Good enough to tell "Tai Ming" from
# "Smith" when deciding whether a name was printed in reverse order.
_SYLLABLE = re.compile(
    r"(?:zh|ch|sh|ts|ng|kw|gw|ph|th|kh|[bpmfdtnlgkhjqxrzcsywv])?[aeiouy]{1,3}(?:ng|n|m|k|p|t)?"
)


def fold(text: str) -> str:
    """Any script → lower-case ASCII (diacritics and ligatures folded)."""
    return anyascii(text).lower() if text else ""


def surname_key(text: str) -> str:
    """Surname → letters only, so "Au-Yeung", "Au Yeung" and "AU YEUNG" meet."""
    return _NOT_LETTER.sub("", fold(text))


def _given_tokens(raw: str) -> tuple[str, ...]:
    """Given name as printed → tokens; run-together capital initials ("TM", "JR") split."""
    ascii_text = anyascii(raw) if raw else ""
    tokens: list[str] = []
    for part in _GIVEN_SPLIT.split(ascii_text):
        letters = "".join(ch for ch in part if ch.isalpha())
        if not letters:
            continue
        # "TM" or "JR" printed without dots: upper case, short, no vowel → initials.
        if 1 < len(letters) <= 3 and letters.isupper() and not _VOWELS & set(letters.lower()):
            tokens.extend(letters.lower())
        else:
            tokens.append(letters.lower())
    return tuple(tokens)


# Longer than any real romanised given name: such input is not split at all (bounded work on
# hostile input, where the backtracking below could otherwise explode).
_MAX_SPLIT = 30


@lru_cache(maxsize=65536)
def _segments_cached(word: str) -> bool:
    return len(word) <= _MAX_SPLIT and _segments(word, 0) is not None


def _segments(word: str, start: int) -> list[str] | None:
    if start == len(word):
        return []
    for end in range(len(word), start, -1):
        if _SYLLABLE.fullmatch(word, start, end):
            rest = _segments(word, end)
            if rest is not None:
                return [word[start:end], *rest]
    return None


@lru_cache(maxsize=262144)
def split_name(first: str, middle: str, last: str) -> tuple[str, tuple[str, ...]]:
    """Printed first/middle/last → (surname key, given tokens), undoing reversed order."""
    first, middle, last = (first or "").strip(), (middle or "").strip(), (last or "").strip()
    if not last and first:
        # Whole name in one field: an upper-case word is the surname ("Chris WONG"), else the last.
        first, last = _split_single_field(first)
    elif last and not first and not middle and (len(last.split()) > 1 or _CJK.match(last)):
        first, last = _split_single_field(last)
    given_raw = f"{first} {middle}".strip()
    surname = surname_key(last)
    given = _given_tokens(given_raw)
    # Reversed order: the "first" field holds a Chinese/Korean surname and the "last" field reads
    # as romanised given syllables that are not themselves a surname ("Wong" / "Tai Ming").
    first_key = surname_key(first)
    if (
        first_key in CJK_SURNAMES
        and len(first.split()) == 1
        and surname not in CJK_SURNAMES
        and all(_segments_cached(t) for t in _given_tokens(last))
        and len(surname) > 1
    ):
        return first_key, _given_tokens(f"{middle} {last}")
    return surname, given


def _split_single_field(text: str) -> tuple[str, str]:
    if "," in text:
        family, _, given = text.partition(",")
        return given.strip(), family.strip()
    words = text.split()
    if len(words) == 1 and _CJK.match(text) and len(text) > 1:
        # A name in Chinese characters or Hangul runs family name first: 王大明, 김민준.
        return " ".join(anyascii(ch) for ch in text[1:]), text[0]
    if len(words) == 1:
        return "", words[0]
    capitals = [w for w in words if len(w) > 1 and w.isupper() and w.isalpha()]
    if len(capitals) == 1:
        rest = " ".join(w for w in words if w is not capitals[0])
        return rest, capitals[0]
    if (
        surname_key(words[0]) in CJK_SURNAMES
        and surname_key(words[-1]) not in CJK_SURNAMES
        and all(_segments_cached(surname_key(w)) for w in words[1:])
    ):
        # Family name first, as Chinese and Korean names run: "Chan Kwok Man" (not "Lee Smith").
        return " ".join(words[1:]), words[0]
    return " ".join(words[:-1]), words[-1]


def block_key_for(surname: str, given: tuple[str, ...]) -> str:
    """Normalised surname + first initial: "wong c"; no surname → "" (never merged)."""
    if not surname:
        return ""
    return f"{surname} {given[0][0]}" if given else surname


def coauthor_key(printed: str) -> str:
    """A co-author as printed ("Wong, C.", "Chris WONG") → "wong c"."""
    family, given = _parse_printed(printed)
    return block_key_for(family, given)


@lru_cache(maxsize=262144)
def coauthor_keys(printed: str) -> tuple[str, str]:
    """A co-author as printed → (surname + initial, surname + full first name or "")."""
    family, given = _parse_printed(printed)
    first = full_first(given)
    return block_key_for(family, given), f"{family} {first}" if family and first else ""


def _parse_printed(printed: str) -> tuple[str, tuple[str, ...]]:
    text = (printed or "").strip()
    if not text:
        return "", ()
    if "," in text:
        family, _, given_raw = text.partition(",")
        return surname_key(family), _given_tokens(given_raw)
    given_raw, family = _split_single_field(text)
    return surname_key(family), _given_tokens(given_raw)


def _token_compatible(a: str, b: str) -> bool:
    if len(a) == 1 or len(b) == 1:
        return a[0] == b[0]
    if a == b:
        return True
    full_a, full_b = _FULL_FORMS.get(a), _FULL_FORMS.get(b)
    if full_a and full_b:
        return not full_a.isdisjoint(full_b)  # two short forms of one name: Bill / Will
    return b in (full_a or ()) or a in (full_b or ())


def _split_matches(word: str, parts: tuple[str, ...]) -> bool:
    """Can the run-together word ("taiming") be cut into pieces that meet parts ("t", "m")?"""
    if not parts:
        return not word
    head, rest = parts[0], parts[1:]
    if not rest:
        return _token_compatible(word, head) if len(head) == 1 else word == head
    for cut in range(2, len(word) - 1):
        piece = word[:cut]
        if (piece[0] == head[0] if len(head) == 1 else piece == head) and _split_matches(
            word[cut:], rest
        ):
            return True
    return False


@lru_cache(maxsize=262144)
def given_compatible(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """May these two given names belong to one person? Missing parts never conflict."""
    if not a or not b:
        return True
    if all(_token_compatible(x, y) for x, y in zip(a, b, strict=False)):
        return True
    # Run-together form against a split one: "Taiming" vs "Tai Ming" / "T. M.".
    if max(len(a[0]), len(b[0])) > _MAX_SPLIT or max(len(a), len(b)) > 4:
        return False
    if len(a) == 1 and len(a[0]) > 1 and len(b) > 1:
        return _split_matches(a[0], b)
    if len(b) == 1 and len(b[0]) > 1 and len(a) > 1:
        return _split_matches(b[0], a)
    return False


def full_first(given: tuple[str, ...]) -> str:
    """The first given name spelled out in full ("" when only an initial was printed)."""
    return given[0] if given and len(given[0]) > 1 else ""


def name_keys(given: tuple[str, ...]) -> set[str]:
    """Keys under which two spelled-out given names may meet: the first name (a short form also
    under the full names it stands for) and the run-together names ("tai ming" → "taiming")."""
    keys: set[str] = set()
    joined = ""
    for token in given:
        if len(token) == 1:
            break
        if not joined:
            keys.add(token)
            keys |= _FULL_FORMS.get(token, frozenset())
        joined += token
        keys.add(joined)
    return keys
