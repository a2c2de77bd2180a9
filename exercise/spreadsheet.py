"""The Library's Excel workbook: the researchers, the figures per unit, and a chart sheet."""

from __future__ import annotations

import io
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference

from exercise.choices import Progress
from exercise.progress import UnitProgress


def workbook(
    headers: Sequence[str], rows: Sequence[Sequence[str]], units: list[UnitProgress]
) -> bytes:
    """The workbook as bytes. Rows arrive already guarded against formula injection."""
    book = Workbook()
    researchers = book.active
    researchers.title = "Researchers"
    researchers.append(list(headers))
    for row in rows:
        researchers.append(list(row))
    figures = book.create_sheet("Progress by unit")
    figures.append(["Unit", *Progress.labels, "Total"])
    for unit in units:
        # A unit named like a formula is text here too.
        name = f"'{unit.unit}" if unit.unit[:1] in "=+-@\t\r" else unit.unit
        figures.append([name, *unit.cells, unit.total])
    if units:
        chart = BarChart()
        chart.type = "bar"
        chart.grouping = "stacked"
        chart.overlap = 100
        chart.title = "ORCID exercise: completion per unit"
        data = Reference(
            figures, min_col=2, max_col=1 + len(Progress.values), min_row=1, max_row=1 + len(units)
        )
        chart.add_data(data, titles_from_data=True)
        chart.set_categories(Reference(figures, min_col=1, min_row=2, max_row=1 + len(units)))
        book.create_chartsheet("Chart").add_chart(chart)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
