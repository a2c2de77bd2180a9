"""The generated corpus and the quality measures."""

from collections import Counter

from scopus_sandbox.disambiguation import b_cubed, block_key, pairwise
from scopus_sandbox.disambiguation.corpus import generate_documents, signatures_from_documents


def test_generate_documents_is_deterministic_and_well_formed() -> None:
    # given two runs with one seed and one with another
    first = list(generate_documents(200, seed=11))
    again = list(generate_documents(200, seed=11))
    other = list(generate_documents(200, seed=12))
    # then the same seed gives the same corpus, another seed another one
    assert first == again != other
    eids = [d["eid"] for d in first]
    assert len(set(eids)) == 200
    assert all(e.startswith("2-s2.0-") for e in eids)
    for document in first:
        assert document["authors"]
        assert document["source_title"]
        assert document["subject_areas"]
        assert all(a["person_id"] and a["family"] and a["afid"] for a in document["authors"])


def test_generate_documents_contains_the_hard_cases() -> None:
    # given a corpus of 2,000 documents
    documents = list(generate_documents(2000, seed=1))
    sigs, truth = signatures_from_documents(documents)
    people_of_block: dict[str, set[str]] = {}
    for s in sigs:
        people_of_block.setdefault(block_key(s), set()).add(truth[s.signature_id])
    authors = [a for d in documents for a in d["authors"]]
    surnames = Counter(a["family"] for a in authors)
    # then common Chinese and Korean surnames dominate and crowd blocks with many people
    assert {"Wang", "Li", "Zhang", "Chan", "Wong", "Kim"} <= set(surnames)
    assert max(len(p) for p in people_of_block.values()) >= 8
    # initials only, hyphenated given names, and ORCID iDs all occur
    assert any(a["given"].endswith(".") for a in authors)
    assert any("-" in a["given"] and "." not in a["given"] for a in authors)
    assert any(a["orcid"] for a in authors)
    # somebody moves institution: one person, two AF-IDs
    afids: dict[str, set[str]] = {}
    for a in authors:
        afids.setdefault(a["person_id"], set()).add(a["afid"])
    assert any(len(v) > 1 for v in afids.values())
    # namesakes: one printed name, two people, one affiliation
    holders: dict[tuple[str, str, str], set[str]] = {}
    for a in authors:
        holders.setdefault((a["family"], a["given"], a["afid"]), set()).add(a["person_id"])
    assert any(len(v) > 1 for v in holders.values())


def test_b_cubed_and_pairwise_on_known_clusterings() -> None:
    # given a truth of two people and three predictions
    truth = {"a": "x", "b": "x", "c": "y", "d": "y"}
    perfect = [["a", "b"], ["c", "d"]]
    lumped = [["a", "b", "c", "d"]]
    split = [["a"], ["b"], ["c"], ["d"]]
    # then perfect scores 1, lumping loses precision, splitting loses recall
    assert b_cubed(perfect, truth).f1 == pairwise(perfect, truth).f1 == 1.0
    assert b_cubed(lumped, truth).precision == 0.5
    assert b_cubed(lumped, truth).recall == 1.0
    assert pairwise(lumped, truth).precision == 2 / 6
    assert b_cubed(split, truth).recall == 0.5
    assert b_cubed(split, truth).precision == 1.0
    assert pairwise(split, truth).recall == 0.0
