"""The learned pair model: its file format, its plain-Python trees, and phase two's rules."""

import json
import math
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from scopus_sandbox.disambiguation import Signature, assign, cluster_all, learned
from scopus_sandbox.disambiguation.engine import (
    FEATURES,
    MODEL_CROWD,
    MODEL_SMALL_SIDE,
    pair_training_rows,
    text_words,
    title_words,
)

WIDTH = len(FEATURES)


def sig(sid: str, first: str, last: str = "Wong", **evidence: Any) -> Signature:
    paper = str(evidence.pop("paper", sid))
    return Signature(
        signature_id=sid, paper_id=paper, position=0, first=first, middle="", last=last, **evidence
    )


def constant(raw: float, threshold: float = 0.5) -> dict[str, Any]:
    """A model document of one leaf: every pair gets probability sigmoid(raw)."""
    return {
        "format": learned.FORMAT,
        "features": list(FEATURES),
        "threshold": threshold,
        "trees": [{"feature": [], "threshold": [], "left": [], "right": [], "values": [raw]}],
    }


def split_on(feature: str, at: float, below: float, above: float) -> dict[str, Any]:
    document = constant(0.0)
    document["trees"] = [
        {
            "feature": [FEATURES.index(feature)],
            "threshold": [at],
            "left": [~0],
            "right": [~1],
            "values": [below, above],
        }
    ]
    return document


@pytest.fixture(autouse=True)
def restore_model() -> Iterator[None]:
    saved = dict(learned._state)
    yield
    learned._state.clear()
    learned._state.update(saved)


def use(document: dict[str, Any]) -> None:
    learned.set_enabled(True)
    learned.set_model(learned.model_from_dict(document, FEATURES))


def test_trees_are_summed_and_squashed_to_a_probability() -> None:
    # given a stump on the venue share and a constant tree
    document = split_on("venue_share", 0.5, -2.0, 3.0)
    document["trees"].append(constant(0.5)["trees"][0])
    model = learned.model_from_dict(document, FEATURES)
    row = [0.0] * WIDTH
    # when scored below and above the split / then sigmoid of the summed leaves
    assert model.probability(row) == pytest.approx(1 / (1 + math.exp(1.5)))
    row[FEATURES.index("venue_share")] = 0.5  # on the threshold: goes left, as LightGBM's "<="
    assert model.probability(row) == pytest.approx(1 / (1 + math.exp(1.5)))
    row[FEATURES.index("venue_share")] = 0.51
    assert model.probability(row) == pytest.approx(1 / (1 + math.exp(-3.5)))
    # and a row of the wrong width is refused
    with pytest.raises(ValueError, match="features"):
        model.probability([0.0])


def test_a_very_negative_sum_is_zero_not_an_overflow() -> None:
    assert learned.model_from_dict(constant(-1e6), FEATURES).probability([0.0] * WIDTH) == 0.0


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(format="other/1"), "not a"),
        (lambda d: d.update(features=list(FEATURES)[::-1]), "features differ"),
        (lambda d: d.update(features="hand_score"), "features differ"),
        (lambda d: d.update(threshold=1.0), "threshold"),
        (lambda d: d.update(threshold=0), "threshold"),
        (lambda d: d.update(threshold="0.9"), "threshold"),
        (lambda d: d.update(trees=[]), "non-empty"),
        (lambda d: d["trees"].append("tree"), "not an object"),
        (lambda d: d["trees"][0].pop("values"), "values"),
        (lambda d: d["trees"][0].update(values=[1.0]), "leaves"),
        (lambda d: d["trees"][0].update(feature=[WIDTH]), "feature index"),
        (lambda d: d["trees"][0].update(feature=[-1]), "feature index"),
        (lambda d: d["trees"][0].update(left=[0]), "backwards"),
        (lambda d: d["trees"][0].update(right=[5]), "child index"),
        (lambda d: d["trees"][0].update(right=[~7]), "child index"),
        (lambda d: d["trees"][0].update(threshold=[float("nan")]), "not finite"),
        (lambda d: d["trees"][0].update(values=[0.0, float("inf")]), "not finite"),
        (lambda d: d["trees"][0].update(threshold=["x"]), "tree 0"),
        (lambda d: d["trees"][0].update(left=None), "tree 0"),
    ],
)
def test_a_broken_model_document_is_refused_with_the_reason(change: Any, message: str) -> None:
    # given a valid stump, broken one way
    document = split_on("venue_share", 0.5, -1.0, 1.0)
    change(document)
    # when read / then refused, saying what is wrong
    with pytest.raises(learned.ModelFormatError, match=message):
        learned.model_from_dict(document, FEATURES)


def test_a_model_file_that_is_not_json_is_refused(tmp_path: Path) -> None:
    for content in (b"\xff\xfe not utf-8", b"{not json", b"[]"):
        path = tmp_path / "model.json"
        path.write_bytes(content)
        with pytest.raises(learned.ModelFormatError):
            learned.load_model(path, FEATURES)
    with pytest.raises(learned.ModelFormatError):
        learned.load_model(tmp_path / "absent.json", FEATURES)


def test_the_shipped_model_loads_and_says_where_it_comes_from() -> None:
    model = learned.load_model(learned.MODEL_PATH, FEATURES)
    assert model.features == FEATURES
    assert 0.5 <= model.threshold < 1.0
    assert "bench.pair_model train" in model.provenance["command"]
    assert "aminer" in model.provenance["trained_on"]
    # a pair with no evidence at all is far below the merge threshold
    assert model.probability([0.0] * WIDTH) < model.threshold


def test_phase_two_merges_what_the_model_accepts_and_the_fallback_does_not() -> None:
    # given two "Jun Wang" sharing only a venue and title words (thin for the hand weights)
    sigs = [
        sig("a", "Jun", "Wang", venue="Physical Review B", title="Spin liquids on kagome lattices"),
        sig("b", "Jun", "Wang", venue="Physical Review B", title="Kagome lattices and spin ice"),
    ]
    # when the model says yes to any pair sharing a venue / then one profile
    use(split_on("venue_share", 0.5, -5.0, 5.0))
    assert sorted(map(len, cluster_all(sigs))) == [2]
    # when the learned phase is off (the hand-weighted fallback) / then two
    learned.set_enabled(False)
    assert sorted(map(len, cluster_all(sigs))) == [1, 1]


def test_phase_two_leaves_initials_and_grown_pairs_to_the_hand_weights() -> None:
    # given a model that accepts every pair it is asked about
    use(constant(20.0))
    venue = {"venue": "Physical Review B", "title": "Spin liquids"}
    lab = {"coauthors": ("Chen, Mei Ling", "Zhou, Da Wei"), **venue}
    other = {"coauthors": ("Park, Ji Hoon", "Kim, Min Su"), **venue}
    grown = MODEL_SMALL_SIDE + 1
    sigs = [
        # "J." with a venue in common: initials are never the model's to join
        sig("initial", "J.", "Wang", **venue),
        sig("jun", "Jun", "Wang", **venue),
        # two clusters grown past MODEL_SMALL_SIDE papers, each joined by its co-authors in
        # phase one: merging them is left to the hand weights
        *(sig(f"a{n}", "Jian", "Wang", **lab) for n in range(grown)),
        *(sig(f"b{n}", "Jian", "Wang", **other) for n in range(grown)),
    ]
    clusters = cluster_all(sigs)
    assert ["initial"] in clusters
    assert sorted(map(len, clusters)) == [1, 1, grown, grown]
    assert ["jun"] in clusters


def test_phase_two_joins_small_grown_clusters_the_model_accepts() -> None:
    # given two clusters of two papers each (joined by co-authors in phase one), one venue
    use(constant(20.0))
    venue = {"venue": "Physical Review B", "title": "Spin liquids"}
    lab = {"coauthors": ("Chen, Mei Ling", "Zhou, Da Wei"), **venue}
    other = {"coauthors": ("Park, Ji Hoon", "Kim, Min Su"), **venue}
    sigs = [
        sig("a1", "Jian", "Wang", **lab),
        sig("a2", "Jian", "Wang", **lab),
        sig("b1", "Jian", "Wang", **other),
        sig("b2", "Jian", "Wang", **other),
    ]
    # when the model accepts them / then one profile (both are at most MODEL_SMALL_SIDE)
    assert sorted(map(len, cluster_all(sigs))) == [4]


def test_phase_two_keeps_every_hard_rule() -> None:
    # given a model that accepts every pair it is asked about
    use(constant(20.0))
    venue = {"venue": "Physical Review B", "title": "Spin liquids"}
    sigs = [
        sig("same-paper-1", "Jun", "Wang", paper="p1", **venue),
        sig("same-paper-2", "Jun", "Wang", paper="p1", **venue),
        sig("orcid-1", "Jun", "Wang", orcid="0000-0000-0000-0001", **venue),
        sig("orcid-2", "Jun", "Wang", orcid="0000-0000-0000-0028", **venue),
        sig("john", "John", "Wang", **venue),
        sig("james", "James", "Wang", **venue),
    ]
    clusters = cluster_all(sigs)
    for members in clusters:
        assert not {"same-paper-1", "same-paper-2"} <= set(members)
        assert not {"orcid-1", "orcid-2"} <= set(members)
        assert not {"john", "james"} <= set(members)
    assert sorted(m for c in clusters for m in c) == sorted(s.signature_id for s in sigs)


def test_phase_two_never_merges_existing_profiles_in_assign() -> None:
    use(constant(20.0))
    venue = {"venue": "Physical Review B", "title": "Spin liquids"}
    existing = {"P1": [sig("x", "Jun", "Wang", **venue)], "P2": [sig("y", "Jun", "Wang", **venue)]}
    result = assign([sig("n", "Jun", "Wang", **venue)], existing)
    assert result.to_existing.get("n") in {"P1", "P2"}
    assert result.new_profiles == []


def test_title_words_are_folded_content_words_bounded_per_title() -> None:
    assert title_words("The Analysis of Über-Fast Graphs in 3D") == {"uber", "fast", "graph"}
    assert title_words("") == frozenset()
    assert title_words("a of to") == frozenset()
    assert len(title_words(" ".join(f"word{n}" for n in range(500)))) == 24


def test_training_rows_have_every_feature_and_a_label() -> None:
    # given two people of one name, each on two papers sharing venue and title words
    sigs = [
        sig("a1", "Lei", "Wang", venue="VLDB", title="Query optimisation for streams", year=2001),
        sig("a2", "Lei", "Wang", venue="VLDB", title="Stream query processing", year=2003),
        sig("b1", "Lei", "Wang", venue="Nature", title="Protein folding kinetics", year=2015),
        sig("b2", "Lei", "Wang", venue="Nature", title="Folding of small proteins", year=2016),
    ]
    truth = {"a1": "A", "a2": "A", "b1": "B", "b2": "B"}
    rows = pair_training_rows(sigs, truth)
    assert rows
    for block, features, label in rows:
        assert block == "wang l"
        assert len(features) == WIDTH
        assert all(math.isfinite(v) for v in features)
        assert label in (0, 1)
    # a small block pairs all four papers: 2 same-person pairs, 4 pairs of the two people
    assert sorted(label for _, _, label in rows) == [0, 0, 0, 0, 1, 1]


def test_json_of_the_shipped_model_is_small() -> None:
    data = json.loads(learned.MODEL_PATH.read_text(encoding="utf-8"))
    assert learned.MODEL_PATH.stat().st_size < 200_000
    assert data["format"] == learned.FORMAT


def test_phase_two_never_joins_two_different_emails() -> None:
    # given a model that accepts every pair, and two "Jun Wang" with their own e-mails
    use(constant(20.0))
    venue = {"venue": "Physical Review B", "title": "Spin liquids"}
    sigs = [
        sig("a", "Jun", "Wang", email="jun.wang@cityu.edu.hk", **venue),
        sig("b", "Jun", "Wang", email="wangjun@hku.hk", **venue),
        sig("c", "Jun", "Wang", **venue),
    ]
    # when clustered
    clusters = cluster_all(sigs)
    # then the two e-mails stay apart (the model never saw an e-mail to learn from)
    assert not any({"a", "b"} <= set(members) for members in clusters)


def test_early_stopping_gives_the_full_probability_or_nothing() -> None:
    # given the shipped model (80 trees) and rows of every kind
    model = learned.load_model(learned.MODEL_PATH, FEATURES)
    rng = random.Random(3)
    for _ in range(300):
        row = [rng.choice([0.0, 0.2, 1.0, 3.0, 30.0]) for _ in range(WIDTH)]
        exact = model.probability(row)
        for floor in (0.5, model.threshold, 0.999):
            # when asked whether it reaches a floor
            found = model.probability_if_at_least(row, floor)
            # then it answers the exact probability when it does, 0 when it does not
            assert found == (exact if exact >= floor else 0.0)


def test_phase_two_joins_only_single_signatures_in_a_crowded_block() -> None:
    # given a model that accepts every pair, two small grown clusters sharing a venue, and more
    # than MODEL_CROWD other namesakes (each alone in its own venue)
    use(constant(20.0))
    venue = {"venue": "Physical Review B", "title": "Spin liquids"}
    lab = {"coauthors": ("Chen, Mei Ling", "Zhou, Da Wei"), **venue}
    other = {"coauthors": ("Park, Ji Hoon", "Kim, Min Su"), **venue}
    sigs = [
        sig("a1", "Jian", "Wang", **lab),
        sig("a2", "Jian", "Wang", **lab),
        sig("b1", "Jian", "Wang", **other),
        sig("b2", "Jian", "Wang", **other),
        *(sig(f"f{n}", "Jian", "Wang", venue=f"Venue {n}") for n in range(MODEL_CROWD + 1)),
    ]
    # when clustered
    clusters = cluster_all(sigs)
    # then the model, which never saw so crowded a block, leaves the grown clusters apart
    assert sorted(["a1", "a2"]) in map(sorted, clusters)
    assert sorted(["b1", "b2"]) in map(sorted, clusters)


def test_title_words_share_a_stem_across_plural_and_ing_forms() -> None:
    assert title_words("Networks") == title_words("Networking") == title_words("network")
    # short words keep their ending: "bus" is not "bu"
    assert title_words("bus") == {"bus"}


def test_venue_words_match_an_abbreviated_and_a_spelled_out_venue() -> None:
    short = text_words("IEEE Trans. Neural Networks")
    long = text_words("IEEE Transactions on Neural Networks")
    assert {"ieee", "neural", "network"} <= short & long
    assert "on" not in long


def test_venue_word_feature_is_what_joins_two_spellings_of_one_venue() -> None:
    # given one person's two papers under two spellings of one journal, and a namesake's
    # paper elsewhere, with a model that merges only on shared venue words
    use(split_on("venue_word_cosine", 0.3, -5.0, 5.0))
    sigs = [
        sig("a", "Jian", "Wang", venue="IEEE Trans. Neural Networks", title="Pruning"),
        sig("b", "Jian", "Wang", venue="IEEE Transactions on Neural Networks", title="Spikes"),
        sig("c", "Jian", "Wang", venue="Journal of Organic Chemistry", title="Catalysis"),
    ]
    # when clustered
    clusters = sorted(sorted(c) for c in cluster_all(sigs))
    # then the two spellings are one profile and the chemist stays alone
    assert clusters == [["a", "b"], ["c"]]


def test_affiliation_word_feature_reads_the_words_of_an_affiliation() -> None:
    # given a model that merges only on shared affiliation words
    use(split_on("place_word_cosine", 0.3, -5.0, 5.0))
    sigs = [
        sig("a", "Jian", "Wang", affiliations=("Dept. of Physics, Univ. of Bristol",)),
        sig("b", "Jian", "Wang", affiliations=("University of Bristol, Physics Department",)),
        sig("c", "Jian", "Wang", affiliations=("Peking University, Chemistry",)),
    ]
    # when clustered / then the two Bristol physicists are one profile
    clusters = sorted(sorted(c) for c in cluster_all(sigs))
    assert clusters == [["a", "b"], ["c"]]


def test_small_block_pairs_clusters_that_share_no_key() -> None:
    # given two papers of one name sharing no venue, title word, co-author or affiliation,
    # and a model that merges every pair it is asked about
    use(constant(20.0))
    sigs = [
        sig("a", "Jian", "Wang", venue="VLDB", title="Streams"),
        sig("b", "Jian", "Wang", venue="Nature", title="Proteins"),
    ]
    # when clustered / then phase two still met them (a small block pairs all its clusters)
    assert sorted(sorted(c) for c in cluster_all(sigs)) == [["a", "b"]]


def test_small_block_never_pairs_incompatible_given_names() -> None:
    # given "Jian" and "Ming" in one block ("wang j" vs "wang m" differ, so use one initial)
    use(constant(20.0))
    sigs = [sig("a", "Jian", "Wang"), sig("b", "Jun", "Wang")]
    # when clustered / then two people: the model is never asked about Jian vs Jun
    assert sorted(sorted(c) for c in cluster_all(sigs)) == [["a"], ["b"]]
