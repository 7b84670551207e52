"""Reading spreadsheet files, before any feature's resource sees a row."""

import pytest
from django.utils import translation

from scoring.lib.spreadsheets import SpreadsheetError, read_dataset


def test_a_file_that_is_not_xlsx_or_csv_is_refused():
    with translation.override("en"):
        with pytest.raises(SpreadsheetError) as refused:
            read_dataset(b"name,code\n", "staff.xls")

        assert str(refused.value) == "Choose an .xlsx or .csv file."


def test_a_damaged_workbook_is_refused_with_a_clear_message():
    with translation.override("en"):
        with pytest.raises(SpreadsheetError) as refused:
            read_dataset(b"not a zip file", "staff.xlsx")

        assert "could not be read as an Excel workbook" in str(refused.value)
