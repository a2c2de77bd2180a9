"""Blocking, pairwise evidence, constrained agglomerative clustering (see the package doc)."""

from __future__ import annotations

import gc
import heapq
import math
import re
import zlib
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache, partial

from scopus_sandbox.disambiguation import learned
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
    title: str = ""


@dataclass
class Assignment:
    """Result of `assign`: signatures joining existing profiles, and groups forming new ones."""

    to_existing: dict[str, str] = field(default_factory=dict)
    new_profiles: list[list[str]] = field(default_factory=list)


# Weights of the evidence. Hand-set, checked on the hand-labelled AMiner sets
# (bench/labelled_sets.py; never on INSPIRE data, which holds the hold-out): a merge needs
# THRESHOLD, which name agreement, venue and subject area alone can never reach; it takes a
# shared e-mail, a shared co-author, or a shared affiliation with a matching full given name.
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
# A co-author known only by surname + initial and shared by more than COAUTHOR_RARE clusters of
# a block at the start counts COAUTHOR_RARE / that number of its weight (inverse document
# frequency): "Chen, Y." beside thousands of "Wang, J." is mostly chance. A spelled-out
# co-author counts in full however often it appears (a real collaborator appears often).
COAUTHOR_RARE = 8
# Between grown clusters a co-author counts only when it is on at least 1/COAUTHOR_SHARE of
# each side's papers: a big cluster has met many names once, and one of them turning up again
# beside a namesake is chance, not a shared collaborator.
COAUTHOR_SHARE = 10
# The same for a spelled-out co-author (looser shares raised AMiner recall a little and cost
# pairwise precision on the AMiner-DBLP set: 0.98 → 0.79 at 1/40).
COAUTHOR_FULL_SHARE = 10
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
# A co-author known only by surname + initial ("Chen, Y.") shared by more clusters than this
# proposes no pair at all: at that crowd its weight (COAUTHOR_RARE / crowd) cannot tip a merge,
# and a co-author spelled out in full ("Chen, Yuxin") still proposes its pairs under its own key.
POSTING_CAP = 120
# A key shared by more clusters than SMALL_POSTING proposes pairs by sorted neighbourhood: each
# cluster meets the next WINDOW clusters of its given-name group, not all of them (bounded pairs:
# greedy merging chains the rest together when they really are one person).
SMALL_POSTING = 8
WINDOW = 6
# At most this many candidate partners per cluster (an ORCID iD's chain aside): bounded pairs
# per signature however large the block grows.
DEGREE_CAP = 24
# A paper with more authors than BIG_PAPER is a collaboration: its author list says little about
# any pair (two namesakes in one 3,000-author experiment share all their co-authors). Its
# co-authors are not evidence one by one; COLLAB_SAMPLE of them, chosen by a stable hash (a
# MinHash sketch: papers of one collaboration draw mostly the same names), stand for "the same
# collaboration", worth W_COLLAB: never enough alone.
BIG_PAPER = 30
COLLAB_SAMPLE = 4
W_COLLAB = 0.5

_ORCID = re.compile(r"(\d{4})-?(\d{4})-?(\d{4})-?(\d{3}[\dX])")
_SPACES = re.compile(r"[^a-z0-9]+")


def normalise_orcid(raw: str) -> str:
    """ORCID iD in any usual form (URL, no hyphens) → 0000-0000-0000-000X, or ""."""
    match = _ORCID.search((raw or "").upper())
    return "-".join(match.groups()) if match else ""


def _affiliation_key(raw: str) -> str:
    return _SPACES.sub(" ", fold(raw)).strip()


_STOPWORDS = frozenset(
    (
        "a", "an", "and", "are", "as", "at", "by", "for", "from", "in", "into", "is", "of", "on",
        "or", "the", "to", "with", "via", "using", "based", "its", "their", "new", "study",
        "analysis", "approach", "method", "methods", "toward", "towards", "under", "over",
        "between",
    )
)  # fmt: skip
TITLE_WORDS = 24  # at most this many words of one title count (a bounded key set per paper)


_SUFFIXES = ("ing", "ed", "es", "s")


def _stem(word: str) -> str:
    """A crude stem: "networks", "networked", "networking" → "network" (one suffix off)."""
    for suffix in _SUFFIXES:
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def title_words(title: str) -> frozenset[str]:
    """Content words of a title, folded to ASCII and stemmed: 3+ letters, no stop words."""
    words = [w for w in _SPACES.split(fold(title)) if len(w) > 2 and w not in _STOPWORDS]
    return frozenset(_stem(w) for w in words[:TITLE_WORDS])


@lru_cache(maxsize=65536)
def text_words(text: str) -> frozenset[str]:
    """Words of a venue or an affiliation (2+ letters, no stop words): "IEEE Trans. Neural
    Networks" and "IEEE Transactions on Neural Networks" share "ieee", "neural", "network"."""
    words = [w for w in _SPACES.split(fold(text)) if len(w) > 1 and w not in _STOPWORDS]
    return frozenset(_stem(w) for w in words[:TITLE_WORDS])


@dataclass(frozen=True)
class _Prepared:
    """A signature reduced to the keys the scoring compares.

    Each key set is a sorted tuple, not a set: a set of str iterates in an order that changes
    with PYTHONHASHSEED, and the clusters' counters take their order from these keys, so float
    sums over them (cosines, norms) and every tie would differ from process to process.
    """

    signature_id: str
    paper_id: str
    block: str
    surname: str
    given: tuple[str, ...]
    coauthors: tuple[str, ...]
    coauthors_full: tuple[str, ...]
    collaborations: tuple[str, ...]
    affiliations: tuple[str, ...]
    email: str
    orcid: str
    venue: str
    subjects: tuple[str, ...]
    year: int | None
    words: tuple[str, ...] = ()
    venue_words: tuple[str, ...] = ()
    place_words: tuple[str, ...] = ()


def _str(value: object) -> str:
    """Text evidence as given, anything else (None, numbers from a careless caller) as ""."""
    return value if isinstance(value, str) else ""


def _texts(values: object) -> tuple[str, ...]:
    if isinstance(values, str):
        return (values,)
    if not isinstance(values, (tuple, list, set, frozenset)):
        return ()
    return tuple(v for v in values if isinstance(v, str) and v.strip())


def _minhash_key(text: str) -> tuple[int, str]:
    """A sort key the same in every process (unlike `hash`); the text breaks a tie of CRCs."""
    return zlib.crc32(text.encode("utf-8", "surrogatepass")), text


def _in_order(keys: Iterable[str]) -> tuple[str, ...]:
    """Distinct keys in sorted order: the same order in every process (see `_Prepared`)."""
    return tuple(sorted(set(keys)))


def _prepare(sig: Signature) -> _Prepared:
    surname, given = split_name(_str(sig.first), _str(sig.middle), _str(sig.last))
    block = block_key_for(surname, given)
    printed = _texts(sig.coauthors)
    collaborations: tuple[str, ...] = ()
    if len(printed) >= BIG_PAPER:
        sample = heapq.nsmallest(COLLAB_SAMPLE, set(printed), key=_minhash_key)
        collaborations = _in_order(_affiliation_key(name) for name in sample)
        printed = ()
    keys = [coauthor_keys(name) for name in printed]
    coauthors = _in_order(short for short, _ in keys if short and short != block)
    coauthors_full = _in_order(full for short, full in keys if full and short != block)
    return _Prepared(
        signature_id=str(sig.signature_id),
        paper_id=str(sig.paper_id),
        block=block,
        surname=surname,
        given=given,
        coauthors=coauthors,
        coauthors_full=coauthors_full,
        collaborations=collaborations,
        affiliations=_in_order(k for k in map(_affiliation_key, _texts(sig.affiliations)) if k),
        email=_str(sig.email).strip().lower(),
        orcid=normalise_orcid(_str(sig.orcid)),
        venue=_affiliation_key(_str(sig.venue)),
        subjects=_in_order(s.strip().lower() for s in _texts(sig.subject_areas)),
        # A year that is not an int (a caller passing "2006" or None) is simply not evidence.
        year=sig.year if isinstance(sig.year, int) and not isinstance(sig.year, bool) else None,
        words=_in_order(title_words(_str(sig.title))),
        venue_words=_in_order(text_words(_str(sig.venue))),
        place_words=_in_order(word for a in _texts(sig.affiliations) for word in text_words(a)),
    )


def block_key(sig: Signature) -> str:
    """Blocking key of a signature: normalised surname + first initial ("wong c")."""
    surname, given = split_name(_str(sig.first), _str(sig.middle), _str(sig.last))
    return block_key_for(surname, given)


def _union(mine: set[str], theirs: set[str]) -> set[str]:
    """Union that copies the smaller set into the larger (O(small) per merge); may reuse either."""
    if len(mine) < len(theirs):
        mine, theirs = theirs, mine
    mine |= theirs
    return mine


def _add_counts(mine: Counter[str], theirs: Counter[str]) -> Counter[str]:
    if len(mine) < len(theirs):
        mine, theirs = theirs, mine
    mine.update(theirs)
    return mine


def _main_keys(
    counts: Counter[str], size: int, share: int, candidates: set[str] | None = None
) -> set[str]:
    """Keys of `counts` on at least 1/share of `size` papers (looked for among `candidates`)."""
    keys = counts.keys() if candidates is None else candidates
    return {key for key in keys if counts[key] * share >= size}


def _mark_shared_papers(clusters: Sequence[_Cluster]) -> None:
    """Tell each cluster which of its papers other clusters of the block hold too.

    Two signatures of one paper never merge; only papers held twice in the block can ever
    trip that rule, so the check looks at those few instead of whole paper sets.
    """
    seen: Counter[str] = Counter()
    for cluster in clusters:
        seen.update(cluster.papers)
    for cluster in clusters:
        cluster.dup_papers = {paper for paper in cluster.papers if seen[paper] > 1}


def _share_a_paper(a: _Cluster, b: _Cluster) -> bool:
    if a.dup_papers is not None and b.dup_papers is not None:
        return not a.dup_papers.isdisjoint(b.dup_papers)
    return not a.papers.isdisjoint(b.papers)


class _Cluster:
    """A growing group of signatures with the union of their evidence."""

    __slots__ = (
        "affiliations",
        "alive",
        "coauthors",
        "coauthors_full",
        "collaborations",
        "dup_papers",
        "emails",
        "existing",
        "forms",
        "forms_key",
        "full",
        "main_affiliations",
        "main_coauthors",
        "main_coauthors_full",
        "main_size",
        "main_venues",
        "members",
        "multi",
        "orcid",
        "papers",
        "place_words",
        "subjects",
        "venue_words",
        "venues",
        "version",
        "words",
        "year_max",
        "year_min",
    )

    def __init__(self, existing: str | None = None, orcid: str = "") -> None:
        self.existing = existing
        self.orcid = orcid
        self.members: list[str] = []
        self.papers: set[str] = set()
        # The papers of this cluster that other clusters of the block hold too (a paper with
        # two namesakes on it): set by `_mark_shared_papers`; None = not known, use `papers`.
        self.dup_papers: set[str] | None = None
        self.forms: set[tuple[str, ...]] = set()
        self.forms_key: frozenset[tuple[str, ...]] = frozenset()
        self.full = False  # some form spells out the first given name
        self.multi = False  # some form has more than one given part
        # Co-authors with the number of this cluster's papers they are on.
        self.coauthors: Counter[str] = Counter()
        self.coauthors_full: Counter[str] = Counter()
        self.collaborations: set[str] = set()
        self.affiliations: Counter[str] = Counter()
        self.emails: set[str] = set()
        self.venues: Counter[str] = Counter()
        self.subjects: set[str] = set()
        self.year_min: int | None = None
        self.year_max: int | None = None
        # Title words with the number of this cluster's papers they are in.
        self.words: Counter[str] = Counter()
        # Words of the venues and of the affiliations, with their number of papers.
        self.venue_words: Counter[str] = Counter()
        self.place_words: Counter[str] = Counter()
        # The keys of each counter on a fair share of this cluster's papers (the only ones a
        # score looks at): at most share × keys-per-paper of them, whatever the cluster's size,
        # so scoring two huge clusters costs no more than two small ones. None = not computed.
        self.main_coauthors: set[str] = set()
        self.main_coauthors_full: set[str] = set()
        self.main_affiliations: set[str] = set()
        self.main_venues: set[str] = set()
        self.main_size = -1  # the size the main keys were computed for
        self.alive = True
        self.version = 0

    def add(self, sig: _Prepared) -> None:
        self.members.append(sig.signature_id)
        self.papers.add(sig.paper_id)
        self.dup_papers = None
        if sig.given and sig.given not in self.forms:
            self.forms.add(sig.given)
            self.forms_key = frozenset(self.forms)
            self.full = self.full or len(sig.given[0]) > 1
            self.multi = self.multi or len(sig.given) > 1
        self.coauthors.update(sig.coauthors)
        self.coauthors_full.update(sig.coauthors_full)
        self.collaborations.update(sig.collaborations)
        self.affiliations.update(sig.affiliations)
        if sig.email:
            self.emails.add(sig.email)
        if sig.venue:
            self.venues[sig.venue] += 1
        self.subjects.update(sig.subjects)
        self.words.update(sig.words)
        self.venue_words.update(sig.venue_words)
        self.place_words.update(sig.place_words)
        if sig.orcid and not self.orcid:
            self.orcid = sig.orcid
        if sig.year is not None:
            self.year_min = sig.year if self.year_min is None else min(self.year_min, sig.year)
            self.year_max = sig.year if self.year_max is None else max(self.year_max, sig.year)

    def absorb(self, other: _Cluster) -> None:
        """Take over the other cluster's signatures and evidence, in time O(the smaller side)."""
        self.ensure_main()
        other.ensure_main()
        # A key on a fair share of the union is on a fair share of one side (the shares add
        # up), so the union's main keys are found among the two sides' main keys alone.
        candidates = (
            self.main_coauthors | other.main_coauthors,
            self.main_coauthors_full | other.main_coauthors_full,
            self.main_affiliations | other.main_affiliations,
            self.main_venues | other.main_venues,
        )
        if len(self.members) < len(other.members):
            self.members, other.members = other.members, self.members
        self.members.extend(other.members)
        self.papers = _union(self.papers, other.papers)
        if self.dup_papers is None or other.dup_papers is None:
            self.dup_papers = None
        else:
            self.dup_papers = _union(self.dup_papers, other.dup_papers)
        if not other.forms <= self.forms:
            self.forms |= other.forms
            self.forms_key = frozenset(self.forms)
        self.full = self.full or other.full
        self.multi = self.multi or other.multi
        self.coauthors = _add_counts(self.coauthors, other.coauthors)
        self.coauthors_full = _add_counts(self.coauthors_full, other.coauthors_full)
        self.collaborations = _union(self.collaborations, other.collaborations)
        self.affiliations = _add_counts(self.affiliations, other.affiliations)
        self.emails = _union(self.emails, other.emails)
        self.venues = _add_counts(self.venues, other.venues)
        self.subjects = _union(self.subjects, other.subjects)
        self.words = _add_counts(self.words, other.words)
        self.venue_words = _add_counts(self.venue_words, other.venue_words)
        self.place_words = _add_counts(self.place_words, other.place_words)
        self.orcid = self.orcid or other.orcid
        # Never both (two existing profiles never merge): the survivor keeps the profile's id.
        self.existing = self.existing or other.existing
        for year in (other.year_min, other.year_max):
            if year is not None:
                self.year_min = year if self.year_min is None else min(self.year_min, year)
                self.year_max = year if self.year_max is None else max(self.year_max, year)
        size = len(self.members)
        self.main_coauthors = _main_keys(self.coauthors, size, COAUTHOR_SHARE, candidates[0])
        self.main_coauthors_full = _main_keys(
            self.coauthors_full, size, COAUTHOR_FULL_SHARE, candidates[1]
        )
        self.main_affiliations = _main_keys(self.affiliations, size, MAIN_SHARE, candidates[2])
        self.main_venues = _main_keys(self.venues, size, MAIN_SHARE, candidates[3])
        self.main_size = size
        self.version += 1
        other.alive = False

    def ensure_main(self) -> None:
        """Compute the main keys of a cluster built by `add` (once; merges keep them)."""
        size = len(self.members)
        if self.main_size == size:
            return
        self.main_size = size
        self.main_coauthors = _main_keys(self.coauthors, size, COAUTHOR_SHARE)
        self.main_coauthors_full = _main_keys(self.coauthors_full, size, COAUTHOR_FULL_SHARE)
        self.main_affiliations = _main_keys(self.affiliations, size, MAIN_SHARE)
        self.main_venues = _main_keys(self.venues, size, MAIN_SHARE)

    def sub_keys(self) -> list[str]:
        """The `name_keys` of all its given-name forms, sorted (groups form in the same order
        in every process)."""
        keys: set[str] = set()
        for form in self.forms:
            keys |= name_keys(form)
        return sorted(keys)


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


def _initial_key(full: str) -> str:
    surname, _, given = full.partition(" ")
    return f"{surname} {given[:1]}" if given else surname


def _rarity(key: str, crowd: Mapping[str, int]) -> float:
    """1 for a co-author few clusters of the block share, less for one that very many do."""
    return min(1.0, COAUTHOR_RARE / max(crowd.get(key, 1), 1))


def _coauthor_weight(a: _Cluster, b: _Cluster, crowd: Mapping[str, int]) -> float:
    # Called after `_score`, which brought both sides' main keys up to date.
    # Only co-authors on a fair share of each side's papers count (COAUTHOR_SHARE): the main
    # key sets hold exactly those, so this costs O(main keys), not O(all co-authors). A main
    # full name's initials key is main too (as often, same share), so no shared main initials
    # key means no shared co-author at all: the usual case, answered first.
    if a.main_coauthors.isdisjoint(b.main_coauthors):
        return 0.0
    full = a.main_coauthors_full & b.main_coauthors_full
    shared = a.main_coauthors & b.main_coauthors
    # "chan kwokman" covers "chan k": count that co-author once, as a full unit.
    if full:
        shared -= {_initial_key(f) for f in full}
    units = float(len(full))
    for key in sorted(shared):  # a set of str: a fixed order keeps the float sum bit-identical
        base = (
            COAUTHOR_INITIALS_COMMON if key.partition(" ")[0] in CJK_SURNAMES else COAUTHOR_INITIALS
        )
        units += base * _rarity(key, crowd)
    first, second, third = W_COAUTHOR
    if units <= 1.0:
        return first * units
    if units <= 2.0:
        return first + second * (units - 1.0)
    return first + second + third * min(units - 2.0, 1.0)


def _score(a: _Cluster, b: _Cluster, common: bool, crowd: Mapping[str, int]) -> float:
    """Evidence that two clusters are one person; -inf when a hard rule forbids the merge."""
    if a.existing is not None and b.existing is not None:
        return -math.inf
    if a.orcid and b.orcid and a.orcid != b.orcid:
        return -math.inf
    if a.orcid and a.orcid == b.orcid:
        return math.inf
    if _share_a_paper(a, b) or not _names_compatible(a, b):
        return -math.inf
    score = 0.0
    a.ensure_main()
    b.ensure_main()
    same_place = not a.main_affiliations.isdisjoint(b.main_affiliations)
    if same_place:
        score += W_AFFILIATION
    if a.emails and b.emails:
        if not a.emails.isdisjoint(b.emails):
            score += W_EMAIL
        else:
            score += W_EMAIL_CONFLICT_SAME_PLACE if same_place else W_EMAIL_CONFLICT
    score += _coauthor_weight(a, b, crowd)
    # Names are compatible by now, so two spelled-out first names agree.
    if a.full and b.full:
        score += W_FULL_NAME_COMMON if common else W_FULL_NAME
        if a.multi and b.multi:
            score += W_MIDDLE
    if not a.main_venues.isdisjoint(b.main_venues):
        score += W_VENUE
    if not a.collaborations.isdisjoint(b.collaborations):
        score += W_COLLAB
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


def _add_pair(pairs: set[tuple[int, int]], degree: list[int], i: int, j: int) -> None:
    """Propose the pair once, whichever way round it came, and count it for both partners."""
    pair = (i, j) if i < j else (j, i)
    if pair not in pairs:
        pairs.add(pair)
        degree[i] += 1
        degree[j] += 1


def _candidate_pairs(clusters: Sequence[_Cluster]) -> set[tuple[int, int]]:
    """Pairs of clusters sharing evidence, bounded: O(WINDOW) pairs per cluster and key.

    A key (co-author by initial or spelled out, affiliation, e-mail, collaboration, ORCID iD)
    held by at most SMALL_POSTING clusters proposes all their pairs; an initials-only co-author
    held by more than POSTING_CAP clusters proposes none. A more crowded key, and any affiliation or
    collaboration (which cannot reach the threshold without a full given name in common),
    proposes only clusters sharing a spelled-out given name, each with its next WINDOW
    neighbours in that name group (sorted neighbourhood).
    """
    postings: dict[str, list[int]] = defaultdict(list)
    for index, cluster in enumerate(clusters):
        for key in cluster.coauthors:
            postings["c " + key].append(index)
        for key in cluster.coauthors_full:
            postings["f " + key].append(index)
        for key in cluster.affiliations:
            postings["a " + key].append(index)
        for key in cluster.collaborations:
            postings["k " + key].append(index)
        for key in cluster.emails:
            postings["e " + key].append(index)
        if cluster.orcid:
            postings["o " + cluster.orcid].append(index)
    names: dict[int, list[str]] = {}
    pairs: set[tuple[int, int]] = set()
    degree = [0] * len(clusters)

    def propose(group: Sequence[int], window: int) -> None:
        for position, i in enumerate(group):
            for j in group[position + 1 : position + 1 + window]:
                if degree[i] >= DEGREE_CAP:
                    break
                if degree[j] >= DEGREE_CAP:
                    continue
                if clusters[i].existing is None or clusters[j].existing is None:
                    _add_pair(pairs, degree, i, j)

    # Rarest keys first: a cluster's first DEGREE_CAP partners come from its most telling keys.
    for key, members in sorted(postings.items(), key=lambda item: (len(item[1]), item[0])):
        if len(members) < 2:
            continue
        if key.startswith("o "):
            propose(members, 1)  # a chain is enough: a shared ORCID iD always merges
        elif key[0] == "c" and len(members) > POSTING_CAP:
            continue
        elif len(members) <= SMALL_POSTING and key[0] in "cef":
            propose(members, len(members))
        else:
            by_name: dict[str, list[int]] = defaultdict(list)
            for index in members:
                if index not in names:
                    names[index] = clusters[index].sub_keys()
                for name in names[index]:
                    by_name[name].append(index)
            for group in by_name.values():
                if len(group) > 1:
                    propose(group, WINDOW)
    return pairs


# Phase two (the learned pair model): a key held by at most WIDE_SMALL clusters proposes all
# their pairs, a more crowded one each cluster with its next WIDE_WINDOW clusters in order of
# first year; a title word held by more than WORD_CROWD of the block's clusters proposes none.
WIDE_SMALL = 12
WIDE_WINDOW = 6
# At most this many phase-two partners per cluster, rarest shared keys first.
WIDE_DEGREE_CAP = 12
WORD_CROWD = 0.2
# A block of at most ALL_PAIRS_CROWD clusters after phase one scores all its pairs in phase two.
ALL_PAIRS_CROWD = 200
# Phase two only joins a cluster of at most MODEL_SMALL_SIDE signatures to another: a wrong
# merge of two grown clusters costs size × size pairs. With co-author and title features that
# grow with cluster size, a model trained on aminer-110 and run on aminer-dblp took pairwise
# precision to 0.72 without a cap (so the cap was 1); with size-free features (overlap shares,
# mean title-word rarity) caps of 1, 3, 5, 10 and 20 kept it at 0.98 and raised recall, no cap
# still fell to 0.75 (BENCHMARKS.md, issue 11).
MODEL_SMALL_SIDE = 20
# ... but only in a block of at most MODEL_CROWD clusters after phase one: the model never saw a
# more crowded one (at most 138 in the AMiner sets), and in a generated block of thousands of
# namesakes sharing journals it joined grown clusters of different people (growth bench, 50k:
# pair P 0.96). In a more crowded block it joins single signatures only.
MODEL_CROWD = 200


def _small_side(clusters: int) -> int:
    return MODEL_SMALL_SIDE if clusters <= MODEL_CROWD else 1


# The pair model's inputs, in this order (learned.py checks a model file names the same).
FEATURES = (
    "hand_score",
    "coauthor_weight",
    "coauthor_overlap",
    "coauthor_full_overlap",
    "affiliation_share",
    "affiliations_known",
    "venue_share",
    "venue_cosine",
    "title_cosine",
    "title_idf_mean",
    "year_gap",
    "size_small",
    "size_large",
    "full_names",
    "common_surname",
    "collaboration",
    "email",
    "venue_word_cosine",
    "place_word_cosine",
    "coauthor_cosine",
    "coauthors_shared",
)


class _Context:
    """Block-wide figures the pair features need: co-author crowd, word and co-author rarity."""

    # The bags of words (and co-authors) compared by an IDF-weighted cosine, by kind.
    BAGS: dict[str, Callable[[_Cluster], Counter[str]]] = {
        "w": lambda cluster: cluster.words,
        "vw": lambda cluster: cluster.venue_words,
        "pw": lambda cluster: cluster.place_words,
        "c": lambda cluster: cluster.coauthors,
    }

    def __init__(self, clusters: Sequence[_Cluster], common: bool, crowd: Mapping[str, int]):
        self.common = common
        self.crowd = crowd
        self.count = len(clusters)
        # In how many of the block's clusters each word of each kind appears.
        self.frequency: dict[str, Counter[str]] = {kind: Counter() for kind in self.BAGS}
        for cluster in clusters:
            for kind, bag in self.BAGS.items():
                self.frequency[kind].update(bag(cluster).keys())
        self._idf: dict[tuple[str, str], float] = {}
        # Vector norms per cluster, keyed by id, kept with the cluster's version.
        self._norms: dict[tuple[int, str], tuple[int, float]] = {}

    def idf(self, word: str, kind: str = "w") -> float:
        value = self._idf.get((kind, word))
        if value is None:
            seen = max(self.frequency[kind].get(word, 1), 1)
            value = math.log(1.0 + self.count / seen)
            self._idf[(kind, word)] = value
        return value

    def norm(self, cluster: _Cluster, what: str) -> float:
        key = (id(cluster), what)
        known = self._norms.get(key)
        if known is not None and known[0] == cluster.version:
            return known[1]
        if what == "v":
            value = math.sqrt(sum(n * n for n in cluster.venues.values()))
        else:
            bag = self.BAGS[what](cluster)
            value = math.sqrt(sum((n * self.idf(w, what)) ** 2 for w, n in bag.items()))
        self._norms[key] = (cluster.version, value)
        return value

    def cosine(self, a: _Cluster, b: _Cluster, kind: str) -> tuple[float, float, int]:
        """IDF-weighted cosine of the two clusters' bags of `kind`, the mean IDF of the words
        they share (over the smaller bag's words) and how many they share."""
        bag_a, bag_b = self.BAGS[kind](a), self.BAGS[kind](b)
        small, large = (bag_a, bag_b) if len(bag_a) <= len(bag_b) else (bag_b, bag_a)
        dot = 0.0
        shared_idf = 0.0
        shared = 0
        for word, count in small.items():
            other = large.get(word)
            if other:
                weight = self.idf(word, kind)
                dot += count * other * weight * weight
                shared_idf += weight
                shared += 1
        norms = self.norm(a, kind) * self.norm(b, kind)
        return (
            dot / norms if norms else 0.0,
            shared_idf / len(small) if small else 0.0,
            shared,
        )


def _max_share(a: Counter[str], b: Counter[str], size_a: int, size_b: int) -> float:
    """The largest min(share in a, share in b) over keys both counters hold."""
    if len(a) > len(b):
        a, b, size_a, size_b = b, a, size_b, size_a
    best = 0.0
    for key, count in a.items():
        other = b.get(key)
        if other:
            best = max(best, min(count / size_a, other / size_b))
    return best


def _overlap(a: Counter[str], b: Counter[str]) -> float:
    """Share of the smaller side's keys the other side holds too (0 when either has none)."""
    if len(a) > len(b):
        a, b = b, a
    if not a:
        return 0.0
    return sum(1 for key in a if key in b) / len(a)


def pair_features(a: _Cluster, b: _Cluster, context: _Context) -> list[float]:
    """The FEATURES of a pair of clusters (no hard rule forbids the pair)."""
    size_a, size_b = len(a.members), len(b.members)
    hand = _score(a, b, context.common, context.crowd)
    venue_dot = 0.0
    small_v, large_v = (
        (a.venues, b.venues) if len(a.venues) <= len(b.venues) else (b.venues, a.venues)
    )
    for key, count in small_v.items():
        venue_dot += count * large_v.get(key, 0)
    venue_norms = context.norm(a, "v") * context.norm(b, "v")
    title_cosine, title_idf, _ = context.cosine(a, b, "w")
    venue_words, _, _ = context.cosine(a, b, "vw")
    place_words, _, _ = context.cosine(a, b, "pw")
    coauthor_cosine, _, coauthors_shared = context.cosine(a, b, "c")
    if a.year_min is None or b.year_min is None or a.year_max is None or b.year_max is None:
        gap = -1.0
    else:
        gap = float(max(0, max(a.year_min, b.year_min) - min(a.year_max, b.year_max)))
    email = 0.0
    if a.emails and b.emails:
        email = 1.0 if not a.emails.isdisjoint(b.emails) else -1.0
    return [
        max(-5.0, min(hand, 10.0)),
        _coauthor_weight(a, b, context.crowd),
        _overlap(a.coauthors, b.coauthors),
        _overlap(a.coauthors_full, b.coauthors_full),
        _max_share(a.affiliations, b.affiliations, size_a, size_b),
        float(bool(a.affiliations)) + float(bool(b.affiliations)),
        _max_share(a.venues, b.venues, size_a, size_b),
        venue_dot / venue_norms if venue_norms else 0.0,
        title_cosine,
        title_idf,
        gap,
        float(min(size_a, size_b)),
        float(max(size_a, size_b)),
        float(a.full and b.full),
        float(context.common),
        float(not a.collaborations.isdisjoint(b.collaborations)),
        email,
        venue_words,
        place_words,
        coauthor_cosine,
        float(min(coauthors_shared, 10)),
    ]


def _forbidden(a: _Cluster, b: _Cluster) -> float | None:
    """-inf / inf when a hard rule decides the pair (as in `_score`), else None."""
    if a.existing is not None and b.existing is not None:
        return -math.inf
    if a.orcid and b.orcid and a.orcid != b.orcid:
        return -math.inf
    if a.orcid and a.orcid == b.orcid:
        return math.inf
    if _share_a_paper(a, b) or not _names_compatible(a, b):
        return -math.inf
    return None


def _model_score(
    a: _Cluster, b: _Cluster, context: _Context, model: learned.TreeModel, small_side: int
) -> float:
    decided = _forbidden(a, b)
    if decided is not None:
        return decided
    if min(len(a.members), len(b.members)) > small_side or not (a.full and b.full):
        return -math.inf
    if a.emails and b.emails and a.emails.isdisjoint(b.emails):
        # Different e-mails are strong evidence of two people (the hand weights' view); the
        # model never saw an e-mail (its training sets have none), so it is not asked.
        return -math.inf
    # Below the threshold the exact probability does not matter (the pair is not queued).
    return model.probability_if_at_least(pair_features(a, b, context), model.threshold)


def _wide_pairs(clusters: Sequence[_Cluster], small_side: int) -> set[tuple[int, int]]:
    """Phase two's candidate pairs, one side of at most `small_side` signatures: in a block of
    at most ALL_PAIRS_CROWD clusters every pair sharing a spelled-out given name; in a more
    crowded one, clusters sharing a venue, a title word, a co-author, an affiliation, a
    collaboration or an e-mail.

    Bounded: a key held by more than WIDE_SMALL clusters proposes, within each group of clusters
    sharing a spelled-out first name, each cluster with its next WIDE_WINDOW in order of first
    year; keys are taken rarest first and no cluster gets more than WIDE_DEGREE_CAP partners.
    """
    # Only clusters with a spelled-out given name take part: the model learned from such
    # signatures only, and "J." beside a big "Jun" cluster sharing a venue is chance.
    small = [len(c.members) <= small_side and c.full for c in clusters]
    if len(clusters) <= ALL_PAIRS_CROWD:
        # A small block: every pair of clusters sharing a spelled-out given name (at most
        # ALL_PAIRS_CROWD² / 2 pairs), so two clusters of one person sharing no key (a new
        # topic, new co-authors) still meet.
        groups: dict[str, list[int]] = defaultdict(list)
        for index, cluster in enumerate(clusters):
            if cluster.full:
                for name in cluster.sub_keys():
                    groups[name].append(index)
        every: set[tuple[int, int]] = set()
        for group in groups.values():
            for position, i in enumerate(group):
                for j in group[position + 1 :]:
                    if (small[i] or small[j]) and (
                        clusters[i].existing is None or clusters[j].existing is None
                    ):
                        every.add((i, j) if i < j else (j, i))
        return every
    postings: dict[str, list[int]] = defaultdict(list)
    for index, cluster in enumerate(clusters):
        for prefix, keys in (
            ("c ", cluster.coauthors),
            ("a ", cluster.affiliations),
            ("v ", cluster.venues),
            ("w ", cluster.words),
            ("k ", cluster.collaborations),
            ("e ", cluster.emails),
        ):
            for key in keys:
                postings[prefix + key].append(index)
    crowded = max(WIDE_SMALL, int(len(clusters) * WORD_CROWD))
    first_year = [c.year_min if c.year_min is not None else 0 for c in clusters]
    names: dict[int, list[str]] = {}
    degree = [0] * len(clusters)
    pairs: set[tuple[int, int]] = set()

    def propose(group: Sequence[int], window: int) -> None:
        for position, i in enumerate(group):
            for j in group[position + 1 : position + 1 + window]:
                if degree[i] >= WIDE_DEGREE_CAP:
                    break
                if (
                    degree[j] < WIDE_DEGREE_CAP
                    and (small[i] or small[j])
                    and clusters[i].full
                    and clusters[j].full
                    and (clusters[i].existing is None or clusters[j].existing is None)
                ):
                    _add_pair(pairs, degree, i, j)

    for key, members in sorted(postings.items(), key=lambda item: (len(item[1]), item[0])):
        if len(members) < 2 or (key[0] == "w" and len(members) > crowded):
            continue
        if len(members) <= WIDE_SMALL:
            propose(members, len(members))
            continue
        by_name: dict[str, list[int]] = defaultdict(list)
        for index in members:
            if index not in names:
                names[index] = clusters[index].sub_keys()
            for name in names[index]:
                by_name[name].append(index)
        for group in by_name.values():
            if len(group) > 1:
                group.sort(key=lambda index: (first_year[index], index))
                propose(group, WIDE_WINDOW)
    return pairs


def pair_training_rows(
    signatures: Sequence[Signature], truth: Mapping[str, str]
) -> list[tuple[str, list[float], int]]:
    """(block, FEATURES, same person?) of every phase-two candidate pair, after phase one.

    For training the pair model offline (bench/pair_model.py): a cluster's person is the
    majority truth of its signatures.
    """
    by_block: dict[str, list[_Cluster]] = defaultdict(list)
    for sig in signatures:
        prepared = _prepare(sig)
        if not prepared.block:
            continue
        cluster = _Cluster()
        cluster.add(prepared)
        by_block[prepared.block].append(cluster)
    rows: list[tuple[str, list[float], int]] = []
    for block, clusters in by_block.items():
        common = _is_common(block)
        crowd = _hand_phase(clusters, common)
        grown = [cluster for cluster in clusters if cluster.alive]
        person = [Counter(truth.get(m, m) for m in c.members).most_common(1)[0][0] for c in grown]
        context = _Context(grown, common, crowd)
        for i, j in sorted(_wide_pairs(grown, _small_side(len(grown)))):
            if _forbidden(grown[i], grown[j]) is not None:
                continue
            rows.append(
                (block, pair_features(grown[i], grown[j], context), int(person[i] == person[j]))
            )
    return rows


def _cluster_block(clusters: list[_Cluster], common: bool) -> None:
    """Merge clusters of one block: hand-weighted evidence first, then the learned model.

    Phase one merges while the hand-weighted `_score` reaches THRESHOLD (precision first: a
    shared e-mail, co-author or affiliation is needed). Phase two, when the pair model
    (learned.py) is on, scores the grown clusters' wider candidate pairs (shared venue, title
    words, co-authors, affiliations) with the model and merges while its probability reaches
    the model's calibrated threshold; the hard rules of `_score` hold in both phases.
    """
    crowd = _hand_phase(clusters, common)
    model = learned.active_model()
    if model is None:
        return
    grown = [cluster for cluster in clusters if cluster.alive]
    if len(grown) < 2:
        return
    context = _Context(grown, common, crowd)
    small_side = _small_side(len(grown))
    _merge(
        grown,
        _wide_pairs(grown, small_side),
        lambda a, b: _model_score(a, b, context, model, small_side),
        model.threshold,
    )


def _hand_phase(clusters: list[_Cluster], common: bool) -> Counter[str]:
    """Phase one: merge by the hand-weighted `_score`; returns the block's co-author crowd."""
    # How many clusters of the block each co-author appears with at the start: a co-author of
    # very many namesakes (a lab head, a chance "Chen, Y.") is weak evidence for any pair.
    crowd: Counter[str] = Counter()
    for cluster in clusters:
        crowd.update(cluster.coauthors)
    _mark_shared_papers(clusters)
    _merge(
        clusters,
        _candidate_pairs(clusters),
        lambda a, b: _score(a, b, common, crowd),
        THRESHOLD,
    )
    return crowd


def _merge(
    clusters: list[_Cluster],
    pairs: set[tuple[int, int]],
    scorer: Callable[[_Cluster, _Cluster], float],
    threshold: float,
) -> None:
    """Merge clusters, best-scoring pair first, until no candidate pair reaches `threshold`.

    Bounded work: the candidate pairs are bounded (`_candidate_pairs`, `_wide_pairs`) and each
    score costs O(main keys), whatever the clusters' sizes. A merge re-scores at once at most
    RESCORE_CAP of the neighbours the two sides had in common (where evidence adds up: the
    best-scoring ones) and, when it first brings a spelled-out name, at most RESCORE_CAP of the
    neighbours that gain it; every other queued pair of either side is re-scored lazily when it
    reaches the top of the queue, and never twice for the same versions of its two sides.
    Neighbour sets and evidence merge small-into-large, so a huge cluster is never copied.
    """
    # Sets of ints and of int pairs iterate the same in every process (only str hashes change
    # with PYTHONHASHSEED), given the pairs arrive in the same order: the callers see to that.
    neighbours: list[set[int]] = [set() for _ in clusters]
    # Index of the cluster each index was merged into (union-find, path halving).
    parent = list(range(len(clusters)))
    # The last score of each pair (low, high) and the versions of its sides it was taken at.
    scored: dict[tuple[int, int], tuple[int, int, float]] = {}

    def find(index: int) -> int:
        while parent[index] != index:
            parent[index] = parent[parent[index]]
            index = parent[index]
        return index

    heap: list[tuple[float, int, int, int, int]] = []
    for i, j in pairs:
        neighbours[i].add(j)
        neighbours[j].add(i)
        score = scorer(clusters[i], clusters[j])
        if score >= threshold:
            version_i, version_j = clusters[i].version, clusters[j].version
            # Only queued pairs are remembered: the others are asked again only after a merge.
            scored[(i, j)] = (version_i, version_j, score)
            heap.append((-score, i, j, version_i, version_j))
    heapq.heapify(heap)

    def push(i: int, j: int) -> None:
        low, high = (i, j) if i < j else (j, i)
        version_low, version_high = clusters[low].version, clusters[high].version
        known = scored.get((low, high))
        if known is not None and known[0] == version_low and known[1] == version_high:
            return  # already scored as the two sides are now (queued, or below the threshold)
        score = scorer(clusters[low], clusters[high])
        scored[(low, high)] = (version_low, version_high, score)
        if score >= threshold:
            heapq.heappush(heap, (-score, low, high, version_low, version_high))

    def last_score(i: int, j: int) -> float:
        known = scored.get((i, j) if i < j else (j, i))
        return known[2] if known is not None else -math.inf

    def both_scores(one: int, other: int, k: int) -> float:
        return last_score(one, k) + last_score(other, k)

    while heap:
        _negative, i, j, version_i, version_j = heapq.heappop(heap)
        root_i, root_j = find(i), find(j)
        if root_i == root_j:
            continue
        a, b = clusters[root_i], clusters[root_j]
        if (root_i, root_j) != (i, j) or a.version != version_i or b.version != version_j:
            # One side grew since this pair was scored: score it again with the pooled
            # evidence (unless done already) and queue it afresh if it still reaches the
            # threshold.
            push(root_i, root_j)
            continue
        # The side with more neighbours survives (its set is not copied); the survivor takes
        # over the other's evidence and, if the other is an existing profile, its id.
        keep, drop = (i, j) if len(neighbours[i]) >= len(neighbours[j]) else (j, i)
        survivor, gone = clusters[keep], clusters[drop]
        # A merge that first brings a spelled-out (or multi-part) given name to one side
        # changes that side's scores against all its neighbours: re-score the best of them now.
        lacking: list[int] = []
        if (gone.full and not survivor.full) or (gone.multi and not survivor.multi):
            lacking = _best(neighbours[keep], partial(last_score, keep))
        if (survivor.full and not gone.full) or (survivor.multi and not gone.multi):
            lacking += _best(neighbours[drop], partial(last_score, drop))
        small, large = sorted((neighbours[keep], neighbours[drop]), key=len)
        common_neighbours = _best(
            [k for k in small if k in large], partial(both_scores, keep, drop)
        )
        survivor.absorb(gone)
        parent[drop] = keep
        for k in neighbours[drop]:
            neighbours[k].discard(drop)
            if k != keep:
                neighbours[k].add(keep)
        neighbours[keep] |= neighbours[drop]
        neighbours[keep].discard(keep)
        neighbours[keep].discard(drop)
        neighbours[drop] = set()
        for k in common_neighbours + lacking:
            if k not in (keep, drop) and clusters[k].alive:
                push(keep, k)


# A merge re-scores at once at most this many of the clusters' shared neighbours (the rest wait
# in the queue, re-scored lazily): bounded work per merge however crowded the block.
RESCORE_CAP = 32


def _best(candidates: Collection[int], key: Callable[[int], float]) -> list[int]:
    """The RESCORE_CAP candidates with the highest `key` (all of them when there are few);
    of equal keys the lower index wins, whatever order the candidates come in."""
    if len(candidates) <= RESCORE_CAP:
        return list(candidates)
    return heapq.nlargest(RESCORE_CAP, candidates, key=lambda index: (key(index), -index))


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

    Reproducible: the same arguments (in the same order) give the same result, groups and
    their members in the same order, in every process whatever its PYTHONHASHSEED.
    """
    # Clustering allocates millions of small containers and creates no reference cycles: the
    # cyclic collector's full passes over them only cost time (12 % on a 50,000 block).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _assign(new, existing, profile_orcids)
    finally:
        if collecting:
            gc.enable()


def _assign(
    new: Sequence[Signature],
    existing: Mapping[str, Sequence[Signature]],
    profile_orcids: Mapping[str, str] | None,
) -> Assignment:
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
