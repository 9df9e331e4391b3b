"""Reading the set-up file (cases.services.installation.parsing): what it holds, each item with
its line, and every problem with its line, before the database is asked anything."""

import datetime

import pytest
from django.utils import translation

from cases.services.installation.nodes import SetupFileError
from cases.services.installation.parsing import setup_file_read


@pytest.fixture(autouse=True)
def _dutch():
    with translation.override("nl"):
        yield


def problems(text: str) -> list[tuple[int | None, str]]:
    with pytest.raises(SetupFileError) as caught:
        setup_file_read(text)
    return [(p.line, p.message) for p in caught.value.problems]


def test_the_example_is_read_with_the_line_of_each_item(example):
    setup = setup_file_read(example)
    lines = example.splitlines()
    assert setup.installation_admin.email == "installatie@beekveld.example"
    assert [o.name for o in setup.organisations] == [
        "Woonstichting Beekveld",
        "Welzijn Beekveld",
        "Zorggroep De Beek",
        "Gemeente Beekveld",
    ]
    zorg = setup.organisations[2]
    assert lines[zorg.line - 1] == "  - name: Zorggroep De Beek"
    assert lines[zorg.at["kind"] - 1] == "    kind: zorg"
    assert zorg.administrator.email == "beheer@zorggroep-debeek.example"
    codes = [(n.code, n.district) for n in setup.neighbourhoods]
    assert codes[:3] == [
        ("WK990201", None),
        ("BU99020101", "WK990201"),
        ("BU99020102", "WK990201"),
    ], "each wijk comes before its buurten"
    assert {n.municipality for n in setup.neighbourhoods} == {"Beekveld"}
    assert len(setup.categories) == 11
    mantelzorg = setup.categories[-1]
    assert (mantelzorg.position, mantelzorg.is_active) == (55, None)
    assert setup.categories[0].position is None, "left out, it stays as it is"
    municipality = setup.agreements[-1]
    assert municipality.valid_until == datetime.date(2027, 12, 31)
    assert municipality.categories == ("huurachterstand", "inrichting")
    assert lines[municipality.at["inrichting"] - 1].startswith("    categories:")


def test_a_value_stays_the_text_it_was_typed_as():
    setup = setup_file_read(
        "organisations:\n"
        "  - name: 2026\n"
        "    kind: overig\n"
        "    administrator: {email: Beheer@Example.nl, name: yes}\n"
    )
    organisation = setup.organisations[0]
    assert organisation.name == "2026"
    assert organisation.administrator.name == "yes"
    assert organisation.administrator.email == "beheer@example.nl"


def test_empty_sections_set_up_nothing():
    setup = setup_file_read("organisations:\ndistricts:\nsignal_categories: []\nagreements:\n")
    assert (setup.organisations, setup.neighbourhoods, setup.agreements) == ((), (), ())


def test_a_key_twice_in_one_item_is_a_problem():
    text = (
        "organisations:\n"
        "  - name: A\n"
        "    kind: zorg\n"
        "    kind: welzijn\n"
        "    administrator: {email: a@example.nl, name: A}\n"
    )
    assert problems(text) == [(4, "“kind” staat hier twee keer; houd er één.")]


def test_an_alias_is_refused_at_its_line():
    text = (
        "organisations:\n"
        "  - name: A\n"
        "    kind: zorg\n"
        "    administrator: &first {email: a@example.nl, name: A}\n"
        "  - name: B\n"
        "    kind: zorg\n"
        "    administrator: *first\n"
    )
    assert problems(text) == [
        (4, "Aliassen (*naam) worden in dit bestand niet gebruikt; schrijf het onderdeel voluit.")
    ]


def test_problems_come_in_the_order_of_the_lines():
    text = (
        "agreements:\n"
        "  - organisation: A\n"
        "    partner: B\n"
        "    categories: []\n"
        "    response_days: vijf\n"
        "    valid_from: 2026-02-30\n"
        "signal_categories:\n"
        "  - {code: a, name: A, life_area: wonen, usual_partner_kind: zorg, active: misschien}\n"
    )
    assert problems(text) == [
        (4, "“categories” is leeg."),
        (5, "“response_days” moet een heel getal zijn."),
        (6, "“valid_from” moet een datum zijn zoals 2026-01-31."),
        (8, "“active” moet true of false zijn."),
    ]


def test_a_list_where_one_value_belongs_and_the_other_way_round():
    text = "organisations:\n  name: A\ndistricts:\n  - code: [WK990201]\n    name: A\n"
    found = problems(text)
    assert found[0][0] == 2 and "“organisations” moet een lijst zijn" in found[0][1]
    assert (4, "“code” moet één waarde zijn, geen lijst.") in found


def test_a_character_yaml_does_not_read_is_told_at_its_line():
    found = problems("organisations:\n  - name: A\x07\n")
    assert found[0][0] == 2
    assert found[0][1].startswith("Dit bestand is niet als tekst te lezen")
