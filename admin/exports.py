"""Exports: spreadsheet formulas neutralised, and the Excel workbook rows make."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

# A cell starting with one of these is run as a formula by spreadsheet programs (CSV
# injection): such cells get a leading apostrophe, which shows the text as typed.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# And one that merely contains a separator and then a formula: Excel with Turkish settings
# splits a CSV line at ";" (not ","), whatever the quotes, so "Teşekkürler;=cmd|..." would
# become a cell "=cmd|..." of its own. The apostrophe goes after the separator too.
FORMULA_AFTER_SEPARATOR = re.compile(r"([,;\t\r\n|][ \"']*)(?=[=+\-@])")
# Rows in an Excel worksheet, the header's included. xlsxwriter ignores a row beyond it without
# a word, so a national export past a million responses would have lost the rest.
EXCEL_ROWS = 1_048_576


def neutralise(value: object) -> str:
    """Text a spreadsheet shows as typed, never runs (see FORMULA_STARTS)."""
    text = "" if value is None else str(value)
    text = FORMULA_AFTER_SEPARATOR.sub(r"\1'", text)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


async def write_workbook(path: str, title: str, header: list[str],
                         rows: AsyncIterator[list[str]],
                         rows_per_sheet: int = EXCEL_ROWS - 1) -> None:
    """The rows as an Excel workbook at ``path``, in xlsxwriter's constant-memory mode (each
    row goes to a temporary file as it comes). Rows that do not fit in one worksheet go on in
    the next ("hizmet (2)", ...), each with the header; the row numbers run on."""
    workbook = xlsxwriter.Workbook(path, {"constant_memory": True,
                                          "strings_to_formulas": False,
                                          "strings_to_urls": False})
    sheets, sheet, used = 0, None, rows_per_sheet
    async for row in rows:
        if used == rows_per_sheet:
            sheets += 1
            sheet, used = _add_sheet(workbook, title, sheets, header), 0
        used += 1
        sheet.write_row(used, 0, row)
    if sheet is None:
        _add_sheet(workbook, title, 1, header)  # no rows: the header alone
    workbook.close()


def _add_sheet(workbook: xlsxwriter.Workbook, title: str, number: int,
               header: list[str]) -> Worksheet:
    name = title[:24] if number == 1 else f"{title[:24]} ({number})"  # Excel allows 31
    sheet = workbook.add_worksheet(name)
    sheet.write_row(0, 0, header)
    return sheet
