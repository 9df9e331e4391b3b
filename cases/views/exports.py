"""Dashboard tables as files: CSV (semicolons and a byte-order mark, as Dutch Excel reads it)
and Excel (openpyxl). Both write `Table.as_rows()`, the numbers the page shows.

A text cell that starts with = + - @, a tab or a carriage return would be read as a formula by
a spreadsheet (CSV injection): names of organisations, neighbourhoods, categories and people
are typed by people, so such a cell gets a leading apostrophe and stays text."""

import csv
import io

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from cases.selectors.dashboards.tables import Table

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def neutralise(value):
    """Text that a spreadsheet would run as a formula, made plain text; numbers unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _attachment(content, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def table_csv(table: Table, filename: str) -> HttpResponse:
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    for line in table.as_rows():
        writer.writerow([neutralise(value) for value in line])
    return _attachment(buffer.getvalue().encode("utf-8"), CSV_TYPE, filename)


def table_xlsx(table: Table, filename: str, *, about: list[tuple[str, str]]) -> HttpResponse:
    """The table on the first sheet, what it is about (organisation, period, when counted) on
    the second."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _sheet_title(table.title)
    for number, line in enumerate(table.as_rows(), start=1):
        for column, value in enumerate(line, start=1):
            cell = sheet.cell(row=number, column=column, value=None if value == "" else value)
            if isinstance(value, str):
                cell.value = neutralise(value)
                cell.data_type = "s"  # never a formula, whatever it starts with
            if number == 1:
                cell.font = Font(bold=True)
    for column, _width in enumerate(table.as_rows()[0], start=1):
        sheet.column_dimensions[get_column_letter(column)].width = 16 if column > 1 else 28
    sheet.freeze_panes = "B2"
    info = workbook.create_sheet(_sheet_title(about[0][0]))
    for label, text in about[1:]:
        info.append([neutralise(label), neutralise(text)])
        info.cell(row=info.max_row, column=2).data_type = "s"
    info.column_dimensions["A"].width = 24
    info.column_dimensions["B"].width = 60
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _attachment(buffer.getvalue(), XLSX_TYPE, filename)


def _sheet_title(title: str) -> str:
    """Excel allows 31 characters and none of []:*?/\\ in a sheet's name."""
    return "".join(c for c in title if c not in "[]:*?/\\")[:31] or "Inclusie"
