"""The Accept header (RFC 9110 §12.5.1): media ranges with q-values, and the choice of what to
answer in among the representations a service offers.

    accept = parse_accept(request.headers.get("Accept"))
    accept.quality("application/json")              # 0.0 … 1.0: the caller's weight for it
    accept.choose({"application/xml": 1.0,          # the best offer, or None (406); the
                   "application/json": 0.9})        # values are the server's own preference

The rules, one set for every service:
- No header, or a header that is only empty list elements (",, ,"), accepts anything at q=1.
- The most specific range that matches decides (exact type, then type/*, then */*), so
  "application/json;q=0, */*" refuses JSON. Parameters other than q are not matched: the
  services here offer no parameterised types, and "application/json; charset=utf-8" means JSON.
- q follows the grammar exactly ("0" to "1" with at most three decimals). A range whose q cannot
  be read (q=abc, q=nan, q=2) is kept at the lowest weight, 0.001: the caller named the type,
  so it is acceptable, but every range with a readable weight outranks it.
- A malformed range (no "type/subtype" of tokens, "*/json", control characters) is skipped.
  A header that had elements but not one well-formed accepts nothing (406): the caller said
  something, and it was not a type the service can honour.
- At most MAX_HEADER_LENGTH characters and MAX_RANGES list elements are read, so a hostile
  header costs linear time and bounded memory; a range cut by the length limit is dropped.

Django's `HttpRequest.get_preferred_type` is close but drops q=0 ranges before matching (so
"application/json;q=0, */*" would accept JSON) and reads a bad q as 1; hence this module.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

MAX_HEADER_LENGTH = 4_096
MAX_RANGES = 64
UNREADABLE_QUALITY = 0.001

# RFC 9110 §5.6.2 token characters; §12.4.2 qvalue.
_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
_QVALUE = re.compile(r"0(\.[0-9]{0,3})?|1(\.0{0,3})?")


@dataclass(frozen=True)
class MediaRange:
    """One element of an Accept header: type, subtype (either may be "*") and its weight."""

    type: str
    subtype: str
    quality: float

    def specificity(self, media_type: str) -> int:
        """How closely this range names a media type: 2 exact, 1 type/*, 0 */*, -1 no match."""
        main, _, sub = media_type.lower().partition("/")
        if self.type == "*":
            return 0
        if self.type != main:
            return -1
        if self.subtype == "*":
            return 1
        return 2 if self.subtype == sub else -1


@dataclass(frozen=True)
class Accept:
    """A parsed Accept header: its well-formed ranges and whether it said anything at all."""

    ranges: tuple[MediaRange, ...]
    stated: bool

    def quality(self, media_type: str) -> float:
        """The caller's weight for a media type: the most specific matching range decides."""
        if not self.stated:
            return 1.0
        best_specificity = -1
        weights: list[float] = []
        for media_range in self.ranges:
            specificity = media_range.specificity(media_type)
            if specificity > best_specificity:
                best_specificity, weights = specificity, [media_range.quality]
            elif specificity == best_specificity >= 0:
                weights.append(media_range.quality)
        return max(weights) if weights else 0.0

    def accepts(self, media_type: str) -> bool:
        """Whether a media type may be sent at all (its weight is above zero)."""
        return self.quality(media_type) > 0

    def choose(self, offered: Mapping[str, float]) -> str | None:
        """The offer with the highest caller weight times server preference; ties go to the
        first offered; None when the caller accepts none of them."""
        best: tuple[float, str] | None = None
        for media_type, preference in offered.items():
            weight = self.quality(media_type)
            if weight <= 0:
                continue
            score = weight * preference
            if best is None or score > best[0]:
                best = (score, media_type)
        return best[1] if best else None


def _quality(raw: str) -> float:
    return float(raw) if _QVALUE.fullmatch(raw) else UNREADABLE_QUALITY


def _media_range(element: str) -> MediaRange | None:
    """One list element as a range, or None when it is malformed."""
    media, *parameters = element.split(";")
    kind, slash, subtype = media.strip().partition("/")
    if not slash or not _TOKEN.fullmatch(kind) or not _TOKEN.fullmatch(subtype):
        return None
    if kind == "*" and subtype != "*":
        return None
    quality = 1.0
    for parameter in parameters:
        name, _, value = parameter.partition("=")
        # The first q ends the media type's own parameters; what follows is accept-ext.
        if name.strip().lower() == "q":
            quality = _quality(value.strip())
            break
    return MediaRange(kind.lower(), subtype.lower(), quality)


def parse_accept(header: str | None) -> Accept:
    """Read an Accept header value (None when the request had none)."""
    if header is None:
        return Accept((), stated=False)
    elements = header[:MAX_HEADER_LENGTH].split(",")
    stated = False
    if len(header) > MAX_HEADER_LENGTH:
        # The last element may have been cut short by the limit: it is not to be trusted.
        stated = bool(elements.pop().strip())
    ranges: list[MediaRange] = []
    for element in elements[:MAX_RANGES]:
        if not element.strip():
            continue  # RFC 9110 §5.6.1.2: empty list elements do not count
        stated = True
        media_range = _media_range(element)
        if media_range is not None:
            ranges.append(media_range)
    return Accept(tuple(ranges), stated=stated)
