"""bench.labelled_sets: the AMiner converter reads names escaped twice as their letters."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bench.labelled_sets import convert_file, unescape


def test_unescape_undoes_double_escaping() -> None:
    assert unescape("M&amp;uuml;ller") == "Müller"
    assert unescape("A &amp;amp; B") == "A & B"
    assert unescape("&amp;lt;i&amp;gt;") == "<i>"


def test_unescape_leaves_plain_text_alone() -> None:
    assert unescape("Müller & Co") == "Müller & Co"
    assert unescape("") == ""


def test_convert_file_writes_double_escaped_names_plain(tmp_path: Path) -> None:
    source = tmp_path / "Wei Wang.xml"
    source.write_text(
        "<person><FullName>Wei Wang</FullName>"
        "<publication><title>On M&amp;ouml;bius bands</title><year>2001</year>"
        "<authors>Wei Wang, Hans M&amp;uuml;ller</authors><jconf>VLDB</jconf>"
        "<organization>Universit&amp;auml;t Wien</organization><label>3</label></publication>"
        "</person>",
        encoding="utf-8",
    )
    papers: dict[str, Any] = {}
    signatures: dict[str, Any] = {}
    clusters: dict[str, list[str]] = {}

    convert_file(source, papers, signatures, clusters)

    (paper,) = papers.values()
    assert paper["title"] == "On Möbius bands"
    assert [a["author_name"] for a in paper["authors"]] == ["Wei Wang", "Hans Müller"]
    (signature,) = signatures.values()
    assert signature["author_info"]["affiliations"] == ["Universität Wien"]
    assert signature["author_info"]["last"] == "Wang"
    assert list(clusters.values()) == [[signature["signature_id"]]]
