"""Text as ORCID accepts it: cleaned before it is sent, so one bad title cannot poison a bulk.

ORCID keeps records as XML 1.0 (orcid-model's XSDs) and refuses a document holding a character
XML 1.0 cannot carry, even when the JSON escaped it (a title with U+000B from a pasted PDF
refuses the whole bulk POST of works). What is cleaned, and why:
- characters outside XML 1.0's Char production (C0 controls but tab, LF and CR; lone surrogates;
  U+FFFE and U+FFFF) and the C1 controls XML 1.0 discourages (§2.2): vertical tab, form feed
  and the separators (U+001C–U+001F, U+0085, U+2028, U+2029) become a space, the rest go;
- Unicode NFC, so one title is always the same text (and the same content hash);
- runs of white space in one-line fields (titles, names) become one space, both ends trimmed;
- lengths capped at the XSDs' maxLength for the element (`LIMITS`), counted in characters as
  XML Schema counts them.
"""

from __future__ import annotations

import re
import unicodedata

# orcid-model common-3.0.xsd / work-3.0.xsd / researcher-url-3.0.xsd maxLength per element.
LIMITS = {
    "title": 1000,  # common:title, string-1000
    "subtitle": 1000,  # common:subtitle
    "journal-title": 1000,  # work:journal-title, string-1000
    "short-description": 5000,  # common:short-description
    "credit-name": 150,  # common:credit-name, string-150
    "url-name": 350,  # researcher-url:url-name, string-350
    "department-name": 4000,  # common:long-text
    "role-title": 4000,  # common:long-text
    "url": 2084,  # common:url, string-2084 where bounded
}
# Controls that separate words: a space keeps "Part\x0bTwo" from becoming "PartTwo".
_SEPARATORS = re.compile("[\x0b\x0c\x1c-\x1f\x85\u2028\u2029]")
# What XML 1.0 cannot carry (Char production), plus DEL and the C1 controls it discourages.
_UNWRITABLE = re.compile("[^\t\n\r\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_WHITE_SPACE = re.compile(r"\s+")


def clean(value: str, field: str) -> str:
    """`value` as ORCID accepts it in `field` (a key of LIMITS), single-line."""
    text = _UNWRITABLE.sub("", _SEPARATORS.sub(" ", unicodedata.normalize("NFC", value)))
    return _WHITE_SPACE.sub(" ", text).strip()[: LIMITS[field]].rstrip()


def clean_paragraphs(value: str, field: str) -> str:
    """`value` as ORCID accepts it in a multi-line `field` (line breaks kept)."""
    text = _UNWRITABLE.sub("", _SEPARATORS.sub(" ", unicodedata.normalize("NFC", value)))
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.strip()[: LIMITS[field]].rstrip()
