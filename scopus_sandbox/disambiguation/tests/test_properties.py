"""Property-based: hostile names, papers and S2AND files are clustered or refused, never a crash.

Hypothesis generates single-token names, initials only, empty or missing first names,
particles, text in every Unicode script, papers of any author count and S2AND entries with
fields missing or of the wrong type; `cluster_all` and `assign` must place every signature
exactly once, `assign` must never split or merge existing profiles, and the S2AND reader must
either read an entry or refuse it with the file, the entry and the reason.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scopus_sandbox.disambiguation import (
    S2andFormatError,
    Signature,
    assign,
    cluster_all,
    normalise_orcid,
    signatures_from_dicts,
)
from scopus_sandbox.disambiguation.engine import BIG_PAPER

PARTICLES = ["van", "von", "de", "da", "del", "van der", "de la", "bin", "al-", "O'", "Mc"]
SHAPES = [
    "Chris",
    "C.",
    "C",
    "TM",
    "Tai-Ming",
    "Taiming",
    "J.-P.",
    "",
    " ",
    ".",
    "-",
    "Wong",
    "王大明",
    "김민준",
    "Łukasz",
    "Дмитрий",
    "محمد",
    "Νίκος",
    "ศักดิ์",
]

# Any printable text, any script (surrogates excluded: they are not text).
any_text = st.text(st.characters(exclude_categories=["Cs"]), max_size=40)
name_part = st.one_of(
    st.sampled_from(SHAPES),
    any_text,
    st.builds(lambda p, n: f"{p} {n}", st.sampled_from(PARTICLES), st.sampled_from(SHAPES)),
    st.text("abcXYZ. -'", max_size=8),
)
coauthor_list = st.one_of(
    st.lists(name_part, max_size=8),
    # Occasionally a big collaboration: over BIG_PAPER authors, up to a few hundred.
    st.integers(BIG_PAPER, 300).map(lambda n: [f"Author{i}, A." for i in range(n)]),
)


@st.composite
def signatures(draw: st.DrawFn, count: int = 12) -> list[Signature]:
    papers = draw(st.lists(st.sampled_from("abcdef"), min_size=1, max_size=count))
    result = []
    for index, paper in enumerate(papers):
        result.append(
            Signature(
                signature_id=f"s{index}",
                paper_id=paper,
                position=index,
                first=draw(name_part),
                middle=draw(st.one_of(st.just(""), name_part)),
                last=draw(st.one_of(st.sampled_from(["Wong", "wong", "WONG", ""]), name_part)),
                affiliations=tuple(draw(st.lists(st.sampled_from(["U1", "U2", ""]), max_size=2))),
                coauthors=tuple(draw(coauthor_list)),
                venue=draw(st.sampled_from(["", "V1", "V2"])),
                year=draw(st.one_of(st.none(), st.integers(1900, 2100))),
                email=draw(st.sampled_from(["", "a@x.org", "b@x.org"])),
                orcid=draw(st.sampled_from(["", "0000-0000-0000-0001", "0000000000000028", "bad"])),
            )
        )
    return result


FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(signatures())
def test_cluster_all_places_every_hostile_signature_once(sigs: list[Signature]) -> None:
    # given any signatures / when clustered
    clusters = cluster_all(sigs)
    # then each is placed exactly once, and no profile holds two authors of one paper (unless
    # they quote one ORCID iD: the iD is the stronger statement)
    placed = [member for cluster in clusters for member in cluster]
    assert sorted(placed) == sorted(s.signature_id for s in sigs)
    unlinked = {s.signature_id: s.paper_id for s in sigs if not normalise_orcid(s.orcid)}
    for cluster in clusters:
        papers = [unlinked[m] for m in cluster if m in unlinked]
        assert len(set(papers)) == len(papers)


@FAST
@given(signatures(), signatures())
def test_assign_never_splits_or_merges_existing_profiles(
    old: list[Signature], new: list[Signature]
) -> None:
    # given profiles from a first batch, and a second batch with ids of its own
    new = [replace(s, signature_id="n" + s.signature_id, paper_id="n" + s.paper_id) for s in new]
    by_id = {s.signature_id: s for s in old}
    existing = {f"P{i}": [by_id[m] for m in c] for i, c in enumerate(cluster_all(old))}
    # when the second batch is assigned
    result = assign(new, existing, profile_orcids={"P0": "0000-0000-0000-0001"})
    # then every new signature lands once, existing profiles only gain, none is merged or split
    placed = list(result.to_existing) + [m for group in result.new_profiles for m in group]
    assert sorted(placed) == sorted(s.signature_id for s in new)
    assert set(result.to_existing.values()) <= set(existing)
    assert not {m for g in result.new_profiles for m in g} & set(result.to_existing)


json_value = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), any_text),
    lambda children: st.one_of(
        st.lists(children, max_size=3), st.dictionaries(any_text, children, max_size=3)
    ),
    max_leaves=8,
)


@st.composite
def s2and_entries(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Any]]:
    """papers.json and signatures.json contents with any field missing or of any type."""
    papers: dict[str, Any] = {}
    for paper_id in draw(st.lists(st.sampled_from(["1", "2", "3"]), max_size=3, unique=True)):
        paper: dict[str, Any] = {"paper_id": paper_id}
        if draw(st.booleans()):
            paper["authors"] = draw(
                st.one_of(
                    json_value,
                    st.lists(
                        st.fixed_dictionaries(
                            {},
                            optional={
                                "position": st.one_of(st.integers(0, 5), json_value),
                                "author_name": st.one_of(name_part, json_value),
                            },
                        ),
                        max_size=6,
                    ),
                )
            )
        for key in ("venue", "journal_name", "year", "title"):
            if draw(st.booleans()):
                paper[key] = draw(json_value)
        papers[paper_id] = (
            draw(st.one_of(st.just(paper), json_value)) if draw(st.integers(0, 9)) == 0 else paper
        )
    entries: dict[str, Any] = {}
    for key in draw(st.lists(st.sampled_from(["a", "b", "c", "d"]), max_size=4, unique=True)):
        info = draw(
            st.fixed_dictionaries(
                {},
                optional={
                    "position": st.one_of(st.integers(0, 5), json_value),
                    "first": st.one_of(name_part, json_value),
                    "middle": st.one_of(name_part, json_value),
                    "last": st.one_of(name_part, json_value),
                    "email": json_value,
                    "affiliations": json_value,
                },
            )
        )
        entry: dict[str, Any] = {"signature_id": key, "author_info": info}
        if draw(st.integers(0, 9)):
            entry["paper_id"] = draw(st.sampled_from(["1", "2", "3", "9"]))
        entries[key] = (
            draw(st.one_of(st.just(entry), json_value)) if draw(st.integers(0, 9)) == 0 else entry
        )
    return papers, entries


@FAST
@given(s2and_entries())
def test_s2and_entries_are_clustered_or_refused_with_file_entry_and_reason(
    files: tuple[dict[str, Any], dict[str, Any]],
) -> None:
    # given papers and signatures with fields missing or mistyped
    papers, entries = files
    # when read and clustered
    try:
        sigs = signatures_from_dicts(papers, entries, source="signatures.json")
    except S2andFormatError as error:
        # then a refusal names the file, the entry and the reason
        message = str(error)
        assert message.startswith("signatures.json: ")
        assert "signature " in message or "paper " in message
        return
    clusters = cluster_all(sigs)
    # or every entry is clustered exactly once
    assert sorted(m for c in clusters for m in c) == sorted(s.signature_id for s in sigs)
    assert len(sigs) == len(entries)
