"""Name folding, reversed order, blocking keys and given-name compatibility."""

import pytest

from scopus_sandbox.disambiguation import Signature, block_key
from scopus_sandbox.disambiguation.names import (
    coauthor_keys,
    given_compatible,
    split_name,
    surname_key,
)


def _given(text: str) -> tuple[str, ...]:
    return split_name(text, "", "Wong")[1]


@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [
        ("Chris", "Wong", ("wong", ("chris",))),
        ("C.", "WONG", ("wong", ("c",))),
        ("Tai-Ming", "Wong", ("wong", ("tai", "ming"))),
        ("TM", "Wong", ("wong", ("t", "m"))),
        ("Wong", "Tai Ming", ("wong", ("tai", "ming"))),  # printed in reverse order
        ("", "Chris WONG", ("wong", ("chris",))),
        ("", "WONG Tai Ming", ("wong", ("tai", "ming"))),
        ("王大明", "", ("wang", ("da", "ming"))),
        ("José", "García", ("garcia", ("jose",))),
        ("Łukasz", "Kowalski", ("kowalski", ("lukasz",))),
        ("Li", "Wang", ("wang", ("li",))),  # both CJK surnames: printed order is kept
        ("Lee", "Smith", ("smith", ("lee",))),  # "Smith" is not a romanised given name
    ],
)
def test_split_name_cases(first: str, last: str, expected: tuple[str, tuple[str, ...]]) -> None:
    # given a name as printed / when split / then surname and given tokens come out right
    assert split_name(first, "", last) == expected


def test_surname_key_joins_spellings_of_one_surname() -> None:
    # given three printings of one double surname
    spellings = ["Au-Yeung", "Au Yeung", "AUYEUNG"]
    # when folded / then they meet, and a different surname does not
    assert {surname_key(s) for s in spellings} == {"auyeung"}
    assert surname_key("Müller") == "muller" != surname_key("Miller")


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Chris", "C."),
        ("Chris", "Christopher"),
        ("Tai Ming", "Tai-Ming"),
        ("Tai Ming", "Taiming"),
        ("Taiming", "T. M."),
        ("Tai-Ming", "T."),
        ("Chris Tai Ming", "Chris"),
        ("Chris Tai Ming", "C. T. M."),
        ("John", "John R."),
        ("J.", "James"),
        ("", "Anything"),
    ],
)
def test_given_compatible_accepts_variants_of_one_name(a: str, b: str) -> None:
    # given two printings of one given name / when compared / then compatible, both ways
    assert given_compatible(_given(a), _given(b))
    assert given_compatible(_given(b), _given(a))


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Chris", "Tai Ming"),
        ("John A.", "John B."),
        ("Jian", "Jiang"),
        ("Tai", "Taiming"),
        ("Christopher", "Christine"),
        ("T. M.", "T. K."),
        ("Min-Jun", "Min-Seo"),
    ],
)
def test_given_compatible_rejects_different_names(a: str, b: str) -> None:
    # given two different given names / when compared / then incompatible
    assert not given_compatible(_given(a), _given(b))


def test_block_key_uses_surname_and_first_initial() -> None:
    # given one person printed three ways
    printed = [("Chris", "Wong"), ("C.", "WONG"), ("Christopher Tai-Ming", "Wóng")]
    # when blocked
    keys = {block_key(Signature("s", "p", 0, f, "", last)) for f, last in printed}
    # then all share one block, and a different initial lands elsewhere
    assert keys == {"wong c"}
    assert block_key(Signature("s", "p", 0, "Tai Ming", "", "Wong")) == "wong t"


def test_block_key_of_empty_name_is_empty() -> None:
    # given a signature without any name / when blocked / then no block (never merged)
    assert block_key(Signature("s", "p", 0, "", "", "  ")) == ""


def test_coauthor_keys_read_both_printed_orders() -> None:
    # given a co-author printed "Family, Given", "Given FAMILY" and with initials
    # when keyed / then the short key agrees and the full key is there when spelled out
    assert coauthor_keys("Wong, Chris") == ("wong c", "wong chris")
    assert coauthor_keys("Chris WONG") == ("wong c", "wong chris")
    assert coauthor_keys("Wong, C.") == ("wong c", "")
    assert coauthor_keys("Chan Kwok Man") == ("chan k", "chan kwok")  # family name first
    assert coauthor_keys("Lee Smith") == ("smith l", "smith lee")  # Western order kept
    assert coauthor_keys("") == ("", "")


def test_given_compatible_is_bounded_on_hostile_input() -> None:
    # given absurdly long run-together names and many initials
    long_vowels = ("a" * 5000,)
    initials = ("b", *"a" * 39)
    # when compared / then an answer comes back (no runaway backtracking or recursion)
    assert not given_compatible(long_vowels, initials)
    assert not given_compatible(("a" * 29,), ("b", "a", "a", "a"))
    assert split_name("Wong", "", "a" * 5000)[0] == "a" * 5000
