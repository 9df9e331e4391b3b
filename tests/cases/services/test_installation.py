"""Setting up an installation from one file (issue 16, item 2): who acts, what a run changes
when the file changes, and when an organisation's first administrator is invited again."""

import io
import threading
from datetime import timedelta

import pytest
from django import db
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from cases.models import Agreement, SignalCategory
from cases.services.installation import SETUP_LOCK
from partners.models import Invitation, Membership, Neighbourhood, Organisation, User
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

ADMIN_SECTION = """installation_admin:
  email: installatie@beekveld.example
  name: Iris Installatie
"""
FIRST = "beheer@woonstichting-beekveld.example"


def without_admin(example: str) -> str:
    assert ADMIN_SECTION in example
    return example.replace(ADMIN_SECTION, "")


def invited(email: str) -> list:
    return [m for m in mail.outbox if m.to == [email]]


# --- who acts ------------------------------------------------------------------------------


def test_an_installation_administrator_runs_it_with_as(run_setup, example):
    ivo = UserFactory(email="ivo@beekveld.example", name="Ivo Installatie")
    ivo.is_installation_admin = True
    ivo.save()
    said = run_setup(without_admin(example), "--as", "Ivo@Beekveld.example")
    assert "Nieuwe organisatie: Woonstichting Beekveld" in said
    assert "installatiebeheerder" not in said.lower()
    assert set(Invitation.objects.values_list("invited_by", flat=True)) == {ivo.pk}
    assert "Ivo Installatie nodigt je uit" in invited(FIRST)[0].body
    assert list(User.objects.filter(is_installation_admin=True)) == [ivo]


def test_as_someone_who_is_no_installation_administrator_is_refused(run_setup, example, admin):
    with pytest.raises(CommandError, match="--as beheerder@test.example: dit is geen install"):
        run_setup(example, "--as", "beheerder@test.example")
    assert not Organisation.objects.filter(name="Woonstichting Beekveld").exists()


def test_without_an_installation_administrator_nobody_acts(run_setup, example):
    with pytest.raises(CommandError, match="Wie richt dit in?"):
        run_setup(without_admin(example))
    assert not Organisation.objects.filter(name="Woonstichting Beekveld").exists()


def test_an_existing_account_named_in_the_file_is_given_the_role_without_a_link(run_setup, example):
    iris = UserFactory(email="installatie@beekveld.example", name="Iris Installatie")
    said = run_setup(example)
    assert "Installatiebeheerder vanaf nu: installatie@beekveld.example" in said
    iris.refresh_from_db()
    assert iris.is_installation_admin and iris.has_usable_password()
    assert invited("installatie@beekveld.example") == []


def test_a_deactivated_account_cannot_be_the_installation_administrator(run_setup, example):
    UserFactory(email="installatie@beekveld.example", is_active=False)
    with pytest.raises(CommandError, match="is gedeactiveerd"):
        run_setup(example)
    assert not Organisation.objects.filter(name="Woonstichting Beekveld").exists()


# --- a changed file --------------------------------------------------------------------------


def test_what_the_file_changes_is_updated_and_told(run_setup, example, edit):
    run_setup(example)
    text, _ = edit(example, "    kind: zorg\n", "    kind: overig\n")
    text, _ = edit(text, "        name: Vogelbuurt\n", "        name: Vogelwijk\n")
    text, _ = edit(text, "    response_days: 5\n", "    response_days: 7\n")
    text, _ = edit(
        text,
        "{code: overlast, name: Overlast, life_area: wonen, usual_partner_kind: welzijn}",
        "{code: overlast, name: Overlast in de buurt, life_area: wonen, "
        "usual_partner_kind: welzijn, active: false}",
    )
    said = run_setup(text)
    assert "4 wijzigingen opgeslagen." in said
    assert "Organisatie Zorggroep De Beek: soort wordt overig" in said
    assert "Buurt BU99020202 Vogelwijk: bijgewerkt" in said
    assert (
        "Samenwerkingsafspraak van Woonstichting Beekveld met Welzijn Beekveld vanaf 2026-01-01: "
        "bijgewerkt" in said
    )
    assert "Signaalcategorie overlast (Overlast in de buurt): bijgewerkt" in said
    assert Organisation.objects.get(name="Zorggroep De Beek").kind == Organisation.Kind.OVERIG
    assert Neighbourhood.objects.get(cbs_code="BU99020202").name == "Vogelwijk"
    assert Agreement.objects.get(second__name="Welzijn Beekveld").response_days == 7
    overlast = SignalCategory.objects.get(code="overlast")
    assert (overlast.name, overlast.is_active, overlast.position) == (
        "Overlast in de buurt",
        False,
        70,
    ), "the position the file leaves out stays"


def test_the_categories_inclusie_starts_with_are_left_as_they_are(run_setup, example):
    before = list(SignalCategory.objects.values_list("code", "name", "position", "is_active"))
    said = run_setup(example)
    assert said.count("Nieuwe signaalcategorie") == 1 and "bijgewerkt" not in said
    after = list(
        SignalCategory.objects.exclude(code="mantelzorg").values_list(
            "code", "name", "position", "is_active"
        )
    )
    assert sorted(after) == sorted(before)


def test_a_category_is_made_common_by_the_file_and_stays_so_when_the_file_is_silent(
    run_setup, example, edit
):
    """`common` puts a category first on the visit form; a file that leaves it out (or renames
    the category) keeps what the installation administrator chose."""
    assert SignalCategory.objects.get(code="eenzaamheid").is_common
    text, _ = edit(
        example,
        "{code: eenzaamheid, name: Eenzaamheid, life_area: sociaal, usual_partner_kind: welzijn}",
        "{code: eenzaamheid, name: Eenzaamheid en isolement, life_area: sociaal, "
        "usual_partner_kind: welzijn}",
    )
    text, _ = edit(text, "    position: 55\n", "    position: 55\n    common: true\n")
    run_setup(text)
    assert SignalCategory.objects.get(code="eenzaamheid").is_common, "a rename keeps it common"
    assert SignalCategory.objects.get(code="mantelzorg").is_common
    text, _ = edit(text, "    common: true\n", "    common: false\n")
    said = run_setup(text)
    assert "Signaalcategorie mantelzorg (Overbelaste mantelzorger): bijgewerkt" in said
    assert not SignalCategory.objects.get(code="mantelzorg").is_common


def test_a_dry_run_says_what_would_change_and_leaves_it(run_setup, example):
    said = run_setup(example, "--dry-run")
    assert said.startswith("Proefdraai; dit zou er veranderen")
    assert "19 wijzigingen zouden worden doorgevoerd." in said
    assert not Organisation.objects.filter(name="Woonstichting Beekveld").exists()
    assert not User.objects.filter(email="installatie@beekveld.example").exists()
    assert mail.outbox == []
    run_setup(example)
    assert run_setup(example, "--dry-run").startswith("Er zou niets veranderen")


# --- the first administrators ------------------------------------------------------------------


def test_an_expired_invitation_is_sent_again_and_an_open_one_is_not(run_setup, example):
    run_setup(example)
    assert len(invited(FIRST)) == 1
    assert "Niets veranderd" in run_setup(example)
    assert len(invited(FIRST)) == 1
    Invitation.objects.filter(email=FIRST).update(expires_at=timezone.now() - timedelta(hours=1))
    said = run_setup(example)
    assert f"Uitnodiging aan {FIRST} als eerste beheerder van Woonstichting Beekveld" in said
    assert said.count("Uitnodiging aan") == 1
    assert len(invited(FIRST)) == 2


def test_a_corrected_address_replaces_the_open_invitation(run_setup, example, edit):
    run_setup(example)
    text, _ = edit(example, f"email: {FIRST}", "email: j.bakker@woonstichting-beekveld.example")
    said = run_setup(text)
    assert f"Uitnodiging aan {FIRST} voor Woonstichting Beekveld ingetrokken" in said
    assert Invitation.objects.get(email=FIRST).revoked_at is not None
    assert invited("j.bakker@woonstichting-beekveld.example")


def test_an_organisation_with_an_administrator_is_not_sent_one(run_setup, example):
    corporation = OrganisationFactory(name="Woonstichting Beekveld", kind="corporatie")
    MembershipFactory(organisation=corporation, role=Membership.Role.BEHEERDER)
    said = run_setup(example)
    assert "Nieuwe organisatie: Woonstichting Beekveld" not in said
    assert said.count("Uitnodiging aan") == 3
    assert invited(FIRST) == []
    assert not Invitation.objects.filter(organisation=corporation).exists()


def test_an_accepted_invitation_is_not_sent_again(run_setup, example, client):
    from partners.services.memberships import invitation_accept

    run_setup(example)
    invitation_accept(
        invitation=Invitation.objects.get(email=FIRST),
        name="Joost Bakker",
        password="Een-lang-wachtwoord-voor-Beekveld",
    )
    Invitation.objects.filter(email=FIRST).update(expires_at=timezone.now() - timedelta(days=1))
    assert "Niets veranderd" in run_setup(example)
    assert len(invited(FIRST)) == 1


# --- two runs at once ------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_wait_for_each_other_and_the_second_changes_nothing(
    example, tmp_path, app_role_connect
):
    """Two operators (or a deploy job started twice) run the same file at the same moment:
    the second waits for the first and then finds nothing to do, instead of stopping on a
    unique name or inserting an agreement twice."""
    path = tmp_path / "inclusie.yaml"
    path.write_text(example, encoding="utf-8")
    said = []

    def run() -> None:
        out = io.StringIO()
        try:
            call_command("setup_installation", str(path), stdout=out)
        finally:
            said.append(out.getvalue())
            db.connection.close()

    holder = app_role_connect()  # another session holding the set-up's lock
    with holder.transaction():
        holder.execute("SELECT pg_advisory_xact_lock(%s)", [SETUP_LOCK])
        runs = [threading.Thread(target=run) for _ in range(2)]
        for each in runs:
            each.start()
        runs[0].join(timeout=2)
        assert all(each.is_alive() for each in runs), "both wait while the lock is held"
        assert not Organisation.objects.filter(name="Woonstichting Beekveld").exists()
    for each in runs:
        each.join(timeout=120)
    assert not any(each.is_alive() for each in runs)
    assert sum("Niets veranderd" in text for text in said) == 1, said
    assert Organisation.objects.filter(name="Woonstichting Beekveld").count() == 1
    assert Agreement.objects.filter(second__name="Welzijn Beekveld").count() == 1
