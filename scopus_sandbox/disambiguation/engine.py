"""Blocking, pairwise evidence, constrained agglomerative clustering (see the package doc)."""

from __future__ import annotations

import heapq
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from scopus_sandbox.disambiguation.names import (
    CJK_SURNAMES,
    block_key_for,
    coauthor_keys,
    fold,
    given_compatible,
    name_keys,
    split_name,
)


class DisambiguationError(ValueError):
    """Input the disambiguation cannot use (raised with a message naming the bad item)."""


@dataclass(frozen=True)
class Signature:
    """One author position on one paper, as printed, with the evidence around it."""

    signature_id: str
    paper_id: str
    position: int
    first: str
    middle: str
    last: str
    affiliations: tuple[str, ...] = ()
    coauthors: tuple[str, ...] = ()
    venue: str = ""
    year: int | None = None
    subject_areas: tuple[str, ...] = ()
    email: str = ""
    orcid: str = ""


@dataclass
class Assignment:
    """Result of `assign`: signatures joining existing profiles, and groups forming new ones."""

    to_existing: dict[str, str] = field(default_factory=dict)
    new_profiles: list[list[str]] = field(default_factory=list)


# Weights of the evidence. Hand-set (no labelled training data): a merge needs THRESHOLD, which
# name agreement, venue and subject area alone can never reach; it takes a shared e-mail, a
# shared co-author, or a shared affiliation together with a matching full given name.
THRESHOLD = 2.0
W_EMAIL = 3.0
W_EMAIL_CONFLICT = -1.5
# Different e-mails at one shared affiliation: one institution gives a person one address, so
# this is the best sign of two namesakes in one department.
W_EMAIL_CONFLICT_SAME_PLACE = -3.0
# Shared co-authors, counted in units: one spelled out in full on both papers ("Chan, Kwok Man")
# is a unit; one known only by surname + initial ("Chen, M.") is half, a third under a very
# common Chinese or Korean surname. The first unit is worth most.
W_COAUTHOR = (1.5, 0.8, 0.5)
COAUTHOR_INITIALS = 0.5
COAUTHOR_INITIALS_COMMON = 0.35
W_AFFILIATION = 1.2
W_FULL_NAME = 1.0
W_FULL_NAME_COMMON = 0.6  # the same full given name under a very common CJK surname says less
W_MIDDLE = 0.3
W_VENUE = 0.5
W_SUBJECT = 0.2
W_SUBJECT_CONFLICT = -0.3
W_YEAR_GAP = -0.5
YEAR_GAP = 12
# An affiliation or venue counts for a cluster when at least 1/MAIN_SHARE of its papers carry it.
MAIN_SHARE = 5
# A co-author / affiliation / e-mail shared by more clusters than this stops proposing every
# pair (thousands of "Wang, J." at one university): it then proposes pairs sharing a full first
# given name only. Keeps huge blocks near-linear.
POSTING_CAP = 120

_ORCID = re.compile(r"(\d{4})-?(\d{4})-?(\d{4})-?(\d{3}[\dX])")
_SPACES = re.compile(r"[^a-z0-9]+")


def normalise_orcid(raw: str) -> str:
    """ORCID iD in any usual form (URL, no hyphens) → 0000-0000-0000-000X, or ""."""
    match = _ORCID.search((raw or "").upper())
    return "-".join(match.groups()) if match else ""


def _affiliation_key(raw: str) -> str:
    return _SPACES.sub(" ", fold(raw)).strip()


@dataclass(frozen=True)
class _Prepared:
    """A signature reduced to the keys the scoring compares."""

    signature_id: str
    paper_id: str
    block: str
    surname: str
    given: tuple[str, ...]
    coauthors: frozenset[str]
    coauthors_full: frozenset[str]
    affiliations: frozenset[str]
    email: str
    orcid: str
    venue: str
    subjects: frozenset[str]
    year: int | None


def _prepare(sig: Signature) -> _Prepared:
    surname, given = split_name(sig.first, sig.middle, sig.last)
    block = block_key_for(surname, given)
    keys = [coauthor_keys(name) for name in sig.coauthors]
    coauthors = frozenset(short for short, _ in keys if short and short != block)
    coauthors_full = frozenset(full for short, full in keys if full and short != block)
    return _Prepared(
        signature_id=sig.signature_id,
        paper_id=sig.paper_id,
        block=block,
        surname=surname,
        given=given,
        coauthors=coauthors,
        coauthors_full=coauthors_full,
        affiliations=frozenset(k for k in map(_affiliation_key, sig.affiliations) if k),
        email=(sig.email or "").strip().lower(),
        orcid=normalise_orcid(sig.orcid),
        venue=_affiliation_key(sig.venue),
        subjects=frozenset(
            str(s).strip().lower() for s in sig.subject_areas if s and str(s).strip()
        ),
        # A year that is not an int (a caller passing "2006" or None) is simply not evidence.
        year=sig.year if isinstance(sig.year, int) and not isinstance(sig.year, bool) else None,
    )


def block_key(sig: Signature) -> str:
    """Blocking key of a signature: normalised surname + first initial ("wong c")."""
    surname, given = split_name(sig.first, sig.middle, sig.last)
    return block_key_for(surname, given)


class _Cluster:
    """A growing group of signatures with the union of their evidence."""

    __slots__ = (
        "affiliations",
        "alive",
        "coauthors",
        "coauthors_full",
        "emails",
        "existing",
        "forms",
        "forms_key",
        "full",
        "members",
        "multi",
        "orcid",
        "papers",
        "subjects",
        "venues",
        "version",
        "year_max",
        "year_min",
    )

    def __init__(self, existing: str | None = None, orcid: str = "") -> None:
        self.existing = existing
        self.orcid = orcid
        self.members: list[str] = []
        self.papers: set[str] = set()
        self.forms: set[tuple[str, ...]] = set()
        self.forms_key: frozenset[tuple[str, ...]] = frozenset()
        self.full = False  # some form spells out the first given name
        self.multi = False  # some form has more than one given part
        self.coauthors: set[str] = set()
        self.coauthors_full: set[str] = set()
        self.affiliations: Counter[str] = Counter()
        self.emails: set[str] = set()
        self.venues: Counter[str] = Counter()
        self.subjects: set[str] = set()
        self.year_min: int | None = None
        self.year_max: int | None = None
        self.alive = True
        self.version = 0

    def add(self, sig: _Prepared) -> None:
        self.members.append(sig.signature_id)
        self.papers.add(sig.paper_id)
        if sig.given and sig.given not in self.forms:
            self.forms.add(sig.given)
            self.forms_key = frozenset(self.forms)
            self.full = self.full or len(sig.given[0]) > 1
            self.multi = self.multi or len(sig.given) > 1
        self.coauthors |= sig.coauthors
        self.coauthors_full |= sig.coauthors_full
        self.affiliations.update(sig.affiliations)
        if sig.email:
            self.emails.add(sig.email)
        if sig.venue:
            self.venues[sig.venue] += 1
        self.subjects |= sig.subjects
        if sig.orcid and not self.orcid:
            self.orcid = sig.orcid
        if sig.year is not None:
            self.year_min = sig.year if self.year_min is None else min(self.year_min, sig.year)
            self.year_max = sig.year if self.year_max is None else max(self.year_max, sig.year)

    def absorb(self, other: _Cluster) -> None:
        self.members.extend(other.members)
        self.papers |= other.papers
        if not other.forms <= self.forms:
            self.forms |= other.forms
            self.forms_key = frozenset(self.forms)
        self.full = self.full or other.full
        self.multi = self.multi or other.multi
        self.coauthors |= other.coauthors
        self.coauthors_full |= other.coauthors_full
        self.affiliations.update(other.affiliations)
        self.emails |= other.emails
        self.venues.update(other.venues)
        self.subjects |= other.subjects
        self.orcid = self.orcid or other.orcid
        for year in (other.year_min, other.year_max):
            if year is not None:
                self.year_min = year if self.year_min is None else min(self.year_min, year)
                self.year_max = year if self.year_max is None else max(self.year_max, year)
        self.version += 1
        other.alive = False

    def sub_keys(self) -> set[str]:
        keys: set[str] = set()
        for form in self.forms:
            keys |= name_keys(form)
        return keys


_COMPATIBLE: dict[tuple[frozenset[tuple[str, ...]], frozenset[tuple[str, ...]]], bool] = {}


def _names_compatible(a: _Cluster, b: _Cluster) -> bool:
    """Every given-name form of one cluster is compatible with every form of the other."""
    if a.forms_key == b.forms_key or not a.forms_key or not b.forms_key:
        return True
    key = (a.forms_key, b.forms_key)
    known = _COMPATIBLE.get(key)
    if known is None:
        if len(_COMPATIBLE) > 500_000:
            _COMPATIBLE.clear()  # bounded memory on endless runs
        known = all(given_compatible(x, y) for x in a.forms_key for y in b.forms_key)
        _COMPATIBLE[key] = known
    return known


def _coauthor_weight(a: _Cluster, b: _Cluster) -> float:
    shared = a.coauthors & b.coauthors
    if not shared:
        return 0.0
    units = 0.0
    full = a.coauthors_full & b.coauthors_full
    if full:
        units = float(len(full))
        # "chan kwokman" covers "chan k": count that co-author once, as a full unit.
        shared = shared - {f[: f.index(" ") + 2] for f in full}
    for key in shared:
        units += (
            COAUTHOR_INITIALS_COMMON if key[: key.index(" ")] in CJK_SURNAMES else COAUTHOR_INITIALS
        )
    first, second, third = W_COAUTHOR
    if units <= 1.0:
        return first * units
    if units <= 2.0:
        return first + second * (units - 1.0)
    return first + second + third * min(units - 2.0, 1.0)


def _shared_main(a: Counter[str], b: Counter[str], size_a: int, size_b: int) -> bool:
    """Do both clusters share an affiliation (or venue) that is a main one for each of them?

    A big cluster collects many affiliations and venues; a match on one it saw once says little,
    and counting it would let big clusters snowball.
    """
    if len(a) > len(b):
        a, b, size_a, size_b = b, a, size_b, size_a
    for key, count in a.items():
        other = b.get(key)
        if other and count * MAIN_SHARE >= size_a and other * MAIN_SHARE >= size_b:
            return True
    return False


def _score(a: _Cluster, b: _Cluster, common: bool) -> float:
    """Evidence that two clusters are one person; -inf when a hard rule forbids the merge."""
    if a.existing is not None and b.existing is not None:
        return -math.inf
    if a.orcid and b.orcid and a.orcid != b.orcid:
        return -math.inf
    if a.orcid and a.orcid == b.orcid:
        return math.inf
    if not a.papers.isdisjoint(b.papers) or not _names_compatible(a, b):
        return -math.inf
    score = 0.0
    same_place = _shared_main(a.affiliations, b.affiliations, len(a.members), len(b.members))
    if same_place:
        score += W_AFFILIATION
    if a.emails and b.emails:
        if not a.emails.isdisjoint(b.emails):
            score += W_EMAIL
        else:
            score += W_EMAIL_CONFLICT_SAME_PLACE if same_place else W_EMAIL_CONFLICT
    score += _coauthor_weight(a, b)
    # Names are compatible by now, so two spelled-out first names agree.
    if a.full and b.full:
        score += W_FULL_NAME_COMMON if common else W_FULL_NAME
        if a.multi and b.multi:
            score += W_MIDDLE
    if _shared_main(a.venues, b.venues, len(a.members), len(b.members)):
        score += W_VENUE
    if a.subjects and b.subjects:
        score += W_SUBJECT if not a.subjects.isdisjoint(b.subjects) else W_SUBJECT_CONFLICT
    if (
        a.year_min is not None
        and b.year_min is not None
        and a.year_max is not None
        and b.year_max is not None
        and max(a.year_min, b.year_min) - min(a.year_max, b.year_max) > YEAR_GAP
    ):
        score += W_YEAR_GAP
    return score


def _candidate_pairs(clusters: list[_Cluster]) -> set[tuple[int, int]]:
    """Pairs of clusters sharing a co-author, e-mail or ORCID iD, or an affiliation and a name.

    An affiliation alone cannot reach the threshold without a full given name in common, so
    affiliations propose only pairs that also share a spelled-out given name.
    """
    postings: dict[str, list[int]] = defaultdict(list)
    for index, cluster in enumerate(clusters):
        keys = [f"c {k}" for k in cluster.coauthors]
        keys += [f"a {k}" for k in cluster.affiliations]
        keys += [f"e {k}" for k in cluster.emails]
        if cluster.orcid:
            keys.append(f"o {cluster.orcid}")
        for key in keys:
            postings[key].append(index)
    pairs: set[tuple[int, int]] = set()
    for key, members in postings.items():
        if len(members) < 2:
            continue
        if key.startswith("o ") or (len(members) <= POSTING_CAP and not key.startswith("a ")):
            groups: Iterable[list[int]] = (members,)
        else:
            by_name: dict[str, list[int]] = defaultdict(list)
            for index in members:
                for name in clusters[index].sub_keys():
                    by_name[name].append(index)
            groups = (g[:POSTING_CAP] for g in by_name.values() if len(g) > 1)
        for group in groups:
            for i_pos, i in enumerate(group):
                for j in group[i_pos + 1 :]:
                    if clusters[i].existing is None or clusters[j].existing is None:
                        pairs.add((i, j) if i < j else (j, i))
    return pairs


def _cluster_block(clusters: list[_Cluster], common: bool) -> None:
    """Merge clusters of one block, best evidence first, until no pair reaches THRESHOLD."""
    neighbours: dict[int, set[int]] = defaultdict(set)
    heap: list[tuple[float, int, int, int, int]] = []
    for i, j in _candidate_pairs(clusters):
        neighbours[i].add(j)
        neighbours[j].add(i)
        score = _score(clusters[i], clusters[j], common)
        if score >= THRESHOLD:
            heap.append((-score, i, j, 0, 0))
    heapq.heapify(heap)
    while heap:
        negative, i, j, version_i, version_j = heapq.heappop(heap)
        a, b = clusters[i], clusters[j]
        if not (a.alive and b.alive):
            continue
        if a.version != version_i or b.version != version_j:
            # One side grew since this pair was scored; the merge that grew it re-scored the
            # pair with the pooled evidence and pushed a fresh entry, so this one is obsolete.
            continue
        # Keep the existing profile (if any) as the survivor: existing profiles keep their ids.
        keep, drop = (j, i) if b.existing is not None else (i, j)
        clusters[keep].absorb(clusters[drop])
        merged = neighbours.pop(drop, set()) | neighbours.get(keep, set())
        merged.discard(keep)
        merged.discard(drop)
        neighbours[keep] = merged
        survivor = clusters[keep]
        for k in merged:
            other = clusters[k]
            if not other.alive:
                continue
            neighbours[k].discard(drop)
            neighbours[k].add(keep)
            score = _score(survivor, other, common)
            if score >= THRESHOLD:
                low, high = (keep, k) if keep < k else (k, keep)
                heapq.heappush(
                    heap, (-score, low, high, clusters[low].version, clusters[high].version)
                )


def _is_common(block: str) -> bool:
    return block.split(" ", 1)[0] in CJK_SURNAMES


def assign(
    new: Sequence[Signature],
    existing: Mapping[str, Sequence[Signature]],
    *,
    profile_orcids: Mapping[str, str] | None = None,
) -> Assignment:
    """Assign new signatures to existing profiles or to new groups; never split or merge existing.

    `existing` needs only the profiles with signatures in the blocks of `new` (see `block_key`);
    `profile_orcids` should name every profile carrying an ORCID iD quoted in `new`, whatever its
    block, because a quoted ORCID iD links straight to its profile.
    """
    orcid_to_profile: dict[str, str] = {}
    for profile_id, raw in (profile_orcids or {}).items():
        orcid = normalise_orcid(raw)
        if orcid:
            orcid_to_profile.setdefault(orcid, profile_id)
    known: dict[str, str] = {}
    existing_by_block: dict[str, dict[str, _Cluster]] = defaultdict(dict)
    for profile_id, signatures in existing.items():
        profile_orcid = normalise_orcid((profile_orcids or {}).get(profile_id, ""))
        for sig in signatures:
            prepared = _prepare(sig)
            known[sig.signature_id] = profile_id
            if not prepared.block:
                continue
            profiles_in_block = existing_by_block[prepared.block]
            cluster = profiles_in_block.get(profile_id)
            if cluster is None:
                cluster = _Cluster(existing=profile_id, orcid=profile_orcid)
                profiles_in_block[profile_id] = cluster
            # Without an ORCID from the caller, an iD quoted on its signatures still keeps
            # another iD out (add() takes the first one).
            cluster.add(prepared)
    result = Assignment()
    seen: set[str] = set()
    pending: list[_Prepared] = []
    orcid_groups: dict[str, list[_Prepared]] = defaultdict(list)
    for sig in new:
        if sig.signature_id in seen:
            continue
        seen.add(sig.signature_id)
        if sig.signature_id in known:
            result.to_existing[sig.signature_id] = known[sig.signature_id]
            continue
        prepared = _prepare(sig)
        if prepared.orcid and prepared.orcid in orcid_to_profile:
            profile_id = orcid_to_profile[prepared.orcid]
            if prepared.block:
                # Joins its profile inside the block too, so its evidence can bring others along.
                in_block = existing_by_block[prepared.block]
                if profile_id not in in_block:
                    in_block[profile_id] = _Cluster(existing=profile_id, orcid=prepared.orcid)
                in_block[profile_id].add(prepared)
            result.to_existing[sig.signature_id] = profile_id
        elif prepared.orcid:
            orcid_groups[prepared.orcid].append(prepared)
        else:
            pending.append(prepared)
    # New signatures quoting one unknown ORCID iD are one person, across blocks; they cluster in
    # the block of the first of them, so others there can still join by evidence.
    by_block: dict[str, list[_Cluster]] = defaultdict(list)
    for orcid, members in orcid_groups.items():
        cluster = _Cluster(orcid=orcid)
        for prepared in members:
            cluster.add(prepared)
        by_block[members[0].block or f"\0{members[0].signature_id}"].append(cluster)
    for prepared in pending:
        cluster = _Cluster()
        cluster.add(prepared)
        # No surname: nothing to block on, so the signature stays alone (precision first).
        by_block[prepared.block or f"\0{prepared.signature_id}"].append(cluster)
    for block, fresh in by_block.items():
        clusters = list(existing_by_block.get(block, {}).values()) + fresh
        if len(clusters) > 1:
            _cluster_block(clusters, _is_common(block))
        for cluster in clusters:
            if not cluster.alive:
                continue
            if cluster.existing is not None:
                for signature_id in cluster.members:
                    if signature_id not in known:
                        result.to_existing[signature_id] = cluster.existing
            else:
                result.new_profiles.append(list(cluster.members))
    return result


def cluster_all(signatures: Sequence[Signature]) -> list[list[str]]:
    """Cluster signatures from scratch (offline): each inner list is one author profile."""
    return assign(signatures, {}).new_profiles
