"""No import row vanishes (issue 15, item 3): a file whose records do not match its physical lines
is refused with the line and a reason in Dutch, and what is read counts every data line."""

import pytest
from django.utils import translation

from cases.services.imports.parsing import FileError, parse

HEADER = "huurcontract;straat;huisnummer;postcode;plaats;buurtcode;hoofdhuurder"


def _file(*lines: str, end: str = "\n") -> bytes:
    return end.join([HEADER, *lines]).encode() + end.encode()


def _row(number: int, tenant: str = "Anna", separator: str = ";") -> str:
    return separator.join(
        [f"HC-{number}", "Lindelaan", str(number), "1234 AB", "Testdorp", "BU01", tenant]
    )


def _refused(raw: bytes) -> FileError:
    with pytest.raises(FileError) as refused:
        parse(raw)
    return refused.value


def _read(raw: bytes) -> int:
    """Rows read plus rows refused one by one: what the preview counts."""
    parsed = parse(raw)
    return len(parsed.rows) + len(parsed.row_errors)


def test_a_stray_quotation_mark_does_not_swallow_the_rest_of_the_file():
    """The case found: one `"` before a name made the next rows part of that name, the preview
    said one row and two households were never made."""
    raw = _file(_row(1, tenant='"Anna de Test'), _row(2), _row(3))
    refused = _refused(raw)
    assert (refused.code, refused.params) == ("open_quote", {"line": 2})
    with translation.override("nl"):
        assert refused.messages == [
            "Regel 2: een aanhalingsteken opent een waarde die niet op dezelfde regel wordt "
            "gesloten. Haal het weg, of sluit de waarde met een tweede aanhalingsteken: een "
            "waarde mag niet over meer regels lopen."
        ]


def test_a_quotation_mark_left_open_on_the_last_line_is_refused():
    refused = _refused(_file(_row(1), _row(2), _row(3, tenant='"Cees')))
    assert (refused.code, refused.params) == ("open_quote", {"line": 4})


def test_a_value_closed_lines_later_is_refused_at_the_line_it_opened():
    raw = _file(_row(1), _row(2, tenant='"Bert'), 'de Boer"', _row(3))
    refused = _refused(raw)
    assert (refused.code, refused.params) == ("open_quote", {"line": 3})


def test_text_after_a_closing_quotation_mark_is_refused_not_dropped():
    refused = _refused(_file(_row(1, tenant='"Anna" de Test'), _row(2)))
    assert (refused.code, refused.params) == ("after_quote", {"line": 2})
    with translation.override("nl"):
        assert refused.messages[0].startswith("Regel 2: er staat tekst na het aanhalingsteken")


def test_quotation_marks_inside_a_value_are_kept():
    parsed = parse(_file(_row(1, tenant='Jan "Sjaak" de Vries'), _row(2, tenant='"Piet ""P"""')))
    tenants = [values["hoofdhuurder"] for _line, values in parsed.rows]
    assert tenants == ['Jan "Sjaak" de Vries', 'Piet "P"']


@pytest.mark.parametrize("end", ["\n", "\r\n", "\r"], ids=["lf", "crlf", "cr-only"])
def test_every_line_end_counts_every_line(end):
    parsed = parse(_file(_row(1), _row(2), _row(3), end=end))
    assert [line for line, _values in parsed.rows] == [2, 3, 4]


def test_an_excel_separator_line_is_read_with_cr_only_line_ends():
    raw = "\r".join(["sep=;", HEADER, _row(1), _row(2)]).encode()
    parsed = parse(raw)
    assert parsed.delimiter == ";"
    assert [line for line, _values in parsed.rows] == [3, 4]


def test_a_row_with_another_separator_is_one_row_in_error():
    parsed = parse(_file(_row(1), _row(2, separator=","), _row(3)))
    assert [line for line, _values in parsed.rows] == [2, 4]
    assert [(e["row"], e["code"]) for e in parsed.row_errors] == [(3, "field_count")]


def test_a_trailing_half_line_is_a_row_in_error_not_lost():
    raw = _file(_row(1), _row(2)) + b"HC-3;Lindelaan;3"
    parsed = parse(raw)
    assert [(e["row"], e["code"]) for e in parsed.row_errors] == [(4, "field_count")]
    assert _read(raw) == 3


def test_the_count_read_equals_the_data_lines_of_the_file():
    lines = [_row(n) for n in range(1, 8)]
    lines[3] = _row(4, separator=",")
    raw = _file(*lines[:5], "", *lines[5:])  # a blank line is no data line
    assert _read(raw) == 7
