"""A set-up file with a problem changes nothing, and each problem is told in Dutch with its
line (issue 16, item 2): checked while reading, against Inclusie, and by the services while
writing, which rolls back what the run wrote before."""

import pytest
from django.core import mail
from django.core.management.base import CommandError

from cases.models import Agreement, SignalCategory
from partners.models import Invitation, Membership, Neighbourhood, Organisation, User
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def snapshot():
    """What the set-up file could change, as plain values."""
    return {
        "organisations": sorted(Organisation.objects.values_list("name", "kind")),
        "neighbourhoods": sorted(
            Neighbourhood.objects.values_list("cbs_code", "name", "municipality", "parent_id")
        ),
        "categories": sorted(
            SignalCategory.objects.values_list(
                "code", "name", "life_area", "usual_partner_kind", "is_active", "position"
            )
        ),
        "agreements": sorted(
            Agreement.objects.values_list(
                "first__name", "second__name", "valid_from", "valid_until", "response_days"
            )
        ),
        "agreement_categories": Agreement.categories.through.objects.count(),
        "invitations": sorted(Invitation.objects.values_list("email", "revoked_at")),
        "people": sorted(User.objects.values_list("email", "is_installation_admin")),
        "memberships": Membership.objects.count(),
    }


def refused(run_setup, text, *options) -> str:
    with pytest.raises(CommandError) as caught:
        run_setup(text, *options)
    message = str(caught.value)
    assert "inclusie.yaml is niet toegepast; er is niets veranderd." in message
    return message


# (what goes wrong, the text replaced, its replacement, what the message says)
PROBLEMS = [
    (
        "YAML syntax",
        "  - name: Zorggroep De Beek\n",
        "  - name: Zorggroep: De Beek\n",
        "Dit is geen geldige YAML",
    ),
    ("unknown key", "    kind: zorg\n", "    soort: zorg\n", "Onbekende sleutel “soort”"),
    (
        "unknown kind of organisation",
        "    kind: zorg\n",
        "    kind: thuiszorg\n",
        "“thuiszorg” is geen soort organisatie; kies uit: corporatie, welzijn, zorg",
    ),
    (
        "wrong CBS code of a wijk",
        "  - code: WK990202\n",
        "  - code: WK99020\n",
        "“WK99020” is geen CBS-wijkcode",
    ),
    (
        "buurt outside its wijk",
        "      - code: BU99020201\n",
        "      - code: BU99030201\n",
        "Buurt BU99030201 ligt niet in wijk WK990202",
    ),
    (
        "duplicate organisation",
        "  - name: Gemeente Beekveld\n",
        "  - name: Welzijn Beekveld\n",
        "“Welzijn Beekveld” komt twee keer voor in dit bestand (ook op regel",
    ),
    (
        "duplicate category name",
        "    name: Overbelaste mantelzorger\n",
        "    name: eenzaamheid\n",
        "“eenzaamheid” komt twee keer voor in dit bestand",
    ),
    (
        "organisation neither in the file nor in Inclusie",
        "    partner: Zorggroep De Beek\n",
        "    partner: Zorggroep De Bron\n",
        "Organisatie “Zorggroep De Bron” staat niet in dit bestand (organisations) en ook niet",
    ),
    (
        "category neither in the file nor in Inclusie",
        "    categories: [huurachterstand, inrichting]\n",
        "    categories: [huurachterstand, meubels]\n",
        "Signaalcategorie “meubels” staat niet in dit bestand",
    ),
    (
        "a date the other way round",
        "    valid_until: 2027-12-31\n",
        "    valid_until: 31-12-2027\n",
        "“valid_until” moet een datum zijn zoals 2026-01-31",
    ),
    (
        "refused by the service while writing",
        "    response_days: 10\n",
        "    response_days: 90\n",
        "Geef een termijn van 1 tot 60 werkdagen.",
    ),
]


@pytest.mark.parametrize("old, new, says", [p[1:] for p in PROBLEMS], ids=[p[0] for p in PROBLEMS])
def test_each_problem_is_told_with_its_line_and_changes_nothing(
    run_setup, example, edit, old, new, says
):
    text, line = edit(example, old, new)
    before = snapshot()
    message = refused(run_setup, text)
    assert f"inclusie.yaml, regel {line}: " in message
    problem = next(part for part in message.splitlines() if f"regel {line}: " in part)
    assert says in problem
    assert snapshot() == before
    assert mail.outbox == []


def test_a_missing_field_is_told_at_its_item(run_setup, example, edit):
    text, _ = edit(example, "    response_days: 3\n", "")
    item = "  - organisation: Woonstichting Beekveld\n    partner: Zorggroep De Beek\n"
    _, line = edit(text, item, item)
    message = refused(run_setup, text)
    assert f"regel {line}: “response_days” ontbreekt bij deze samenwerkingsafspraak." in message


def test_every_problem_of_the_file_is_told_at_once(run_setup, example, edit):
    text, kind = edit(example, "    kind: zorg\n", "    kind: thuiszorg\n")
    text, code = edit(text, "  - code: WK990202\n", "  - code: WK99020\n")
    message = refused(run_setup, text)
    assert f"regel {kind}: “thuiszorg”" in message
    assert f"regel {code}: “WK99020”" in message


def test_a_refusal_late_in_the_run_takes_back_what_it_wrote_before(run_setup, example, edit):
    """The organisations, neighbourhoods and categories before the refused agreement were
    written in the same transaction: none of them stays, and no e-mail goes out."""
    text, line = edit(example, "    response_days: 3\n", "    response_days: 0\n")
    refused(run_setup, text)
    assert not Organisation.objects.filter(name__endswith="Beekveld").exists()
    assert not Neighbourhood.objects.filter(cbs_code__startswith="WK9902").exists()
    assert not SignalCategory.objects.filter(code="mantelzorg").exists()
    assert not User.objects.filter(email="installatie@beekveld.example").exists()
    assert mail.outbox == []


def test_a_kind_no_longer_changes_once_people_work_there(run_setup, example, edit):
    run_setup(example)
    MembershipFactory(organisation=Organisation.objects.get(name="Zorggroep De Beek"))
    text, line = edit(example, "    kind: zorg\n", "    kind: welzijn\n")
    buurt = "        name: Vogelbuurt\n"
    text, _ = edit(text, buurt, buurt + "      - {code: BU99020203, name: Nieuwbouw}\n")
    before, sent = snapshot(), len(mail.outbox)
    message = refused(run_setup, text)
    assert (
        f"regel {line}: Zorggroep De Beek is een zorg en er werken al mensen, dus de soort "
        "verandert niet meer." in message
    )
    assert snapshot() == before
    assert not Neighbourhood.objects.filter(cbs_code="BU99020203").exists()
    assert len(mail.outbox) == sent


def test_an_agreement_that_overlaps_one_in_inclusie_is_refused(run_setup, example, edit):
    run_setup(example)
    text, line = edit(example, "    valid_from: 2026-01-01\n", "    valid_from: 2026-06-01\n")
    before = snapshot()
    message = refused(run_setup, text)
    assert "Er is al een samenwerkingsafspraak met Welzijn Beekveld in deze periode" in message
    assert f"regel {line - 4}: " in message
    assert snapshot() == before


@pytest.mark.parametrize(
    "text, says",
    [
        ("", "Het bestand is leeg."),
        (
            "- een\n- lijst\n",
            "Hier horen sleutels met waarden (sleutel: waarde), voor het bestand.",
        ),
        ("organisaties: []\n", "Onbekende sleutel “organisaties”"),
    ],
)
def test_a_file_that_is_no_set_up_file_changes_nothing(run_setup, text, says):
    before = snapshot()
    assert says in refused(run_setup, text)
    assert snapshot() == before


def test_a_file_that_is_not_there_is_told(tmp_path):
    from django.core.management import call_command

    with pytest.raises(CommandError, match="kan niet worden gelezen"):
        call_command("setup_installation", str(tmp_path / "bestaat-niet.yaml"))


def test_a_file_that_is_not_utf8_is_told_at_its_line(tmp_path):
    from django.core.management import call_command

    path = tmp_path / "inclusie.yaml"
    path.write_bytes("organisations:\n  - name: Café\n".encode("latin-1"))
    before = snapshot()
    with pytest.raises(CommandError) as caught:
        call_command("setup_installation", str(path))
    assert str(caught.value) == (
        f"{path}, regel 2: dit is geen UTF-8-tekst (de tekenset van het installatiebestand). "
        "Sla het bestand op als UTF-8 en voer het opnieuw uit; er is niets veranderd."
    )
    assert snapshot() == before


def test_lists_nested_thousands_deep_are_refused_not_a_crash(run_setup):
    before = snapshot()
    says = refused(run_setup, "organisations: " + "[" * 5000 + "]" * 5000 + "\n")
    assert "veel dieper genest dan een installatiebestand ooit nodig heeft" in says
    assert snapshot() == before
