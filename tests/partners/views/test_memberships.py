"""The members' pages of an organisation: who may, invitations, roles and ending a membership."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from partners.models import Invitation, Membership, Session, User
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db
Role = Membership.Role


@pytest.fixture
def invite(django_capture_on_commit_callbacks):
    """Post the invitation form; the e-mail leaves after commit, as in production."""

    def _invite(client, **data):
        payload = {"name": "Nieuwe Collega", "email": "nieuw@test.example", "role": Role.MEDEWERKER}
        payload.update(data)
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(reverse("partners:member_invite"), payload)

    return _invite


def link_from_last_mail():
    return re.search(r"http://\S+/uitnodiging/\S+/", mail.outbox[-1].body).group(0)


# --- Who may: allowed, wrong role, not visible, wrong method ----------------------------------


def test_administrator_sees_the_members(login, admin, corporation_worker, outsider):
    response = login(admin).get(reverse("partners:member_list"))
    assert response.status_code == 200
    names = [m.user.name for m in response.context["page"]]
    assert "Sanne Test" in names
    assert "Olaf Test" not in names


@pytest.mark.parametrize("cast", ["corporation_worker", "manager", "privacy_officer"])
def test_it_requires_the_administrator_role(login, request, cast):
    client = login(request.getfixturevalue(cast))
    assert client.get(reverse("partners:member_list")).status_code == 403
    assert client.get(reverse("partners:member_invite")).status_code == 403


def test_another_organisations_member_is_not_visible(login, admin, outsider):
    client = login(admin)
    assert client.get(reverse("partners:member_edit", args=[outsider.pk])).status_code == 404
    assert client.post(reverse("partners:member_end", args=[outsider.pk])).status_code == 404
    outsider.refresh_from_db()
    assert outsider.ended_at is None


def test_wrong_methods_are_refused(login, admin, corporation_worker):
    client = login(admin)
    assert client.delete(reverse("partners:member_list")).status_code == 405
    assert client.get(reverse("partners:invitation_revoke", args=[1])).status_code == 405


def test_member_list_filters_and_query_count(
    login, admin, corporation, django_assert_max_num_queries
):
    for n in range(30):
        MembershipFactory(organisation=corporation, user__name=f"Lid {n:02d}")
    client = login(admin)
    client.get(reverse("start"))  # the first request stamps the session
    # session, user, actor, count, page of members, open invitations and the savepoint pair of
    # the request's transaction: whatever the number of rows
    with django_assert_max_num_queries(8):
        response = client.get(reverse("partners:member_list"), {"q": "Lid 1"})
    assert len(response.context["page"]) == 10
    with django_assert_max_num_queries(8):
        response = client.get(reverse("partners:member_list"), {"status": "all"})
    assert len(response.context["page"]) == 31


# --- Invitations ------------------------------------------------------------------------------


def test_an_invitation_is_mailed_and_makes_a_new_member(admin, client, login, invite):
    response = invite(login(admin))
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["nieuw@test.example"]
    assert "Woonstichting Testdorp" in mail.outbox[0].subject
    link = link_from_last_mail()
    assert mail.outbox[0].alternatives[0][1] == "text/html"

    client.logout()
    page = client.get(link)
    assert page.status_code == 200
    response = client.post(
        link,
        {
            "name": "Nieuwe Collega",
            "password1": "lang-en-geheim-2026",
            "password2": "lang-en-geheim-2026",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="nieuw@test.example")
    membership = user.memberships.get()
    assert (membership.organisation, membership.role) == (admin.organisation, Role.MEDEWERKER)
    assert client.get(reverse("start")).context["actor"] == membership
    assert client.get(link).status_code == 404, "the link works once"


def test_a_bad_password_keeps_what_was_typed(admin, client, login, invite):
    invite(login(admin))
    link = link_from_last_mail()
    client.logout()
    response = client.post(
        link, {"name": "Nieuwe Collega", "password1": "kort", "password2": "kort"}
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["password1"]
    assert 'value="Nieuwe Collega"' in response.content.decode()
    assert not User.objects.filter(email="nieuw@test.example").exists()
    assert Invitation.objects.get().accepted_at is None


def test_an_expired_invitation_does_not_work(admin, client, login, invite):
    invite(login(admin))
    Invitation.objects.update(expires_at=timezone.now())
    client.logout()
    response = client.get(link_from_last_mail())
    assert response.status_code == 404
    assert "werkt niet meer" in response.content.decode()


def test_a_new_invitation_replaces_the_old_link(admin, login, invite):
    client = login(admin)
    invite(client)
    first = link_from_last_mail()
    invite(client)
    assert client.get(first).status_code == 404
    assert client.get(link_from_last_mail()).status_code == 200


def test_an_existing_person_accepts_by_logging_in(admin, welfare_worker, client, login, invite):
    invite(login(admin), email=welfare_worker.user.email)
    link = link_from_last_mail()
    client.logout()
    assert client.post(link)["Location"].startswith(reverse("account_login"))
    login(welfare_worker)
    assert client.post(link).status_code == 302
    assert welfare_worker.user.memberships.filter(organisation=admin.organisation).exists()


def test_inviting_a_member_again_is_refused_next_to_the_field(
    admin, corporation_worker, login, invite
):
    response = invite(login(admin), email=corporation_worker.user.email)
    assert response.status_code == 200
    assert "al lid" in str(response.context["form"].errors["email"])
    assert mail.outbox == []


def test_invalid_email_is_reported_in_dutch(admin, login, invite):
    response = invite(login(admin), email="geen-adres")
    assert "Voer een geldig e-mailadres in" in str(response.context["form"].errors["email"])


def test_revoking_an_invitation(admin, login, invite):
    client = login(admin)
    invite(client)
    invitation = Invitation.objects.get()
    client.post(reverse("partners:invitation_revoke", args=[invitation.pk]))
    assert client.get(link_from_last_mail()).status_code == 404


# --- Roles and ending memberships ---------------------------------------------------------------


def test_changing_a_role(admin, corporation_worker, login):
    response = login(admin).post(
        reverse("partners:member_edit", args=[corporation_worker.pk]), {"role": Role.MANAGER}
    )
    assert response.status_code == 302
    corporation_worker.refresh_from_db()
    assert corporation_worker.role == Role.MANAGER


def test_the_last_administrator_stays(admin, login):
    client = login(admin)
    response = client.post(reverse("partners:member_edit", args=[admin.pk]), {"role": Role.MANAGER})
    assert "minstens één beheerder" in response.content.decode()
    response = client.post(reverse("partners:member_end", args=[admin.pk]))
    assert "minstens één beheerder" in response.content.decode()
    admin.refresh_from_db()
    assert admin.role == Role.BEHEERDER and admin.ended_at is None


def test_ending_the_last_membership_ends_the_sessions_at_once(
    admin, corporation_worker, client, django_user_model
):
    from django.test import Client

    worker_client = Client()
    worker_client.force_login(corporation_worker.user)
    assert worker_client.get(reverse("start")).status_code == 200
    assert Session.objects.filter(user_id=corporation_worker.user_id).exists()

    client.force_login(admin.user)
    assert (
        client.post(reverse("partners:member_end", args=[corporation_worker.pk])).status_code == 302
    )

    assert not Session.objects.filter(user_id=corporation_worker.user_id).exists()
    response = worker_client.get(reverse("start"))
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("cast", ["corporation_worker", "manager", "privacy_officer"])
def test_changing_ending_and_revoking_require_the_administrator_role(
    login, request, cast, admin, corporation_worker, invite
):
    invite(login(admin))
    invitation = Invitation.objects.get()
    client = login(request.getfixturevalue(cast))
    assert (
        client.get(reverse("partners:member_edit", args=[corporation_worker.pk])).status_code == 403
    )
    assert (
        client.post(reverse("partners:member_end", args=[corporation_worker.pk])).status_code == 403
    )
    revoke = reverse("partners:invitation_revoke", args=[invitation.pk])
    assert client.post(revoke).status_code == 403
    corporation_worker.refresh_from_db()
    assert corporation_worker.ended_at is None
    assert Invitation.objects.get().revoked_at is None


def test_another_organisations_invitation_is_not_visible(login, admin, outsider_admin, invite):
    invite(login(outsider_admin))
    invitation = Invitation.objects.get()
    response = login(admin).post(reverse("partners:invitation_revoke", args=[invitation.pk]))
    assert response.status_code == 404
    assert Invitation.objects.get().revoked_at is None


@pytest.mark.parametrize(
    ("name", "args", "method"),
    [
        ("partners:member_invite", [], "put"),
        ("partners:member_edit", ["pk"], "delete"),
        ("partners:member_end", ["pk"], "put"),
        ("partners:actor_choose", [], "delete"),
        ("partners:no_membership", [], "post"),
        ("start", [], "post"),
    ],
)
def test_wrong_methods_get_405(login, admin, corporation_worker, name, args, method):
    url = reverse(name, args=[corporation_worker.pk if a == "pk" else a for a in args])
    assert getattr(login(admin), method)(url).status_code == 405


def test_invitation_accept_refuses_wrong_methods(admin, login, invite, client):
    invite(login(admin))
    client.logout()
    assert client.put(link_from_last_mail()).status_code == 405


def test_an_invitation_mail_is_dutch_whatever_the_inviter_reads(admin, login, invite, client):
    client = login(admin)
    client.post(reverse("set_language"), {"language": "en"})
    invite(client)
    assert mail.outbox[0].subject.startswith("Uitnodiging voor")


def test_an_administrator_sets_the_neighbourhoods_a_member_works_in(
    admin, corporation_worker, neighbourhood, login
):
    response = login(admin).post(
        reverse("partners:member_edit", args=[corporation_worker.pk]),
        {"role": Role.MEDEWERKER, "neighbourhoods": [neighbourhood.pk]},
    )
    assert response.status_code == 302
    assert list(corporation_worker.neighbourhoods.all()) == [neighbourhood]


def test_an_administrator_marks_a_member_as_intake_and_back(admin, corporation_worker, login):
    client = login(admin)
    url = reverse("partners:member_edit", args=[corporation_worker.pk])
    client.post(url, {"role": Role.MEDEWERKER, "receives_referrals": "on"})
    corporation_worker.refresh_from_db()
    assert corporation_worker.receives_referrals is True
    assert client.get(url).context["form"].initial["receives_referrals"] is True
    client.post(url, {"role": Role.MEDEWERKER})
    corporation_worker.refresh_from_db()
    assert corporation_worker.receives_referrals is False
