"""Every form with free text is acted on once per key (ADR 0016), shown here on the home
visit: a second send with the same key gets the first one's answer and saves nothing more; a
refused send frees the key; the page after a save tells the device which draft to drop."""

import uuid
from pathlib import Path

import pytest
from django.urls import resolve, reverse
from django.utils import timezone

from cases.models import HomeVisit
from partners.models import Submission
from partners.views.submissions import KEY_FIELD
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[3]


def _visit(client, household, key=None, **extra):
    data = {
        "visited_on": timezone.localdate().isoformat(),
        "kind": "regulier",
        "outcome": "geen_zorgen",
        "notes": "Kraan lekt",
        **extra,
    }
    if key is not None:
        data[KEY_FIELD] = str(key)
    return client.post(reverse("cases:visit_create", args=[household.pk]), data)


def test_the_same_key_twice_saves_one_visit_and_answers_with_the_first_result(
    login, corporation_worker, household
):
    client = login(corporation_worker)
    key = uuid.uuid4()
    first = _visit(client, household, key)
    second = _visit(client, household, key)
    assert first.status_code == second.status_code == 302
    assert second["Location"] == first["Location"]
    assert HomeVisit.objects.count() == 1
    page = client.get(second["Location"]).content.decode()
    assert "Dit was al verstuurd; het is één keer opgeslagen." in page


def test_a_refused_send_frees_its_key_for_the_corrected_one(login, corporation_worker, household):
    client = login(corporation_worker)
    key = uuid.uuid4()
    refused = _visit(client, household, key, outcome="")
    assert refused.status_code == 200 and HomeVisit.objects.count() == 0
    assert not Submission.objects.exists()
    assert _visit(client, household, key).status_code == 302
    assert HomeVisit.objects.get().notes == "Kraan lekt"


def test_without_a_key_or_with_a_broken_one_a_send_is_handled_as_before(
    login, corporation_worker, household
):
    client = login(corporation_worker)
    _visit(client, household)
    _visit(client, household, "geen-sleutel")
    assert HomeVisit.objects.count() == 2
    assert not Submission.objects.exists()


def test_someone_elses_key_is_not_theirs(login, corporation_worker, household, corporation):
    key = uuid.uuid4()
    _visit(login(corporation_worker), household, key)
    colleague = MembershipFactory(organisation=corporation, role=corporation_worker.role)
    _visit(login(colleague), household, key)
    assert HomeVisit.objects.count() == 2


def test_the_page_after_a_save_names_the_saved_key_once(login, corporation_worker, household):
    client = login(corporation_worker)
    key = uuid.uuid4()
    response = _visit(client, household, key)
    page = client.get(response["Location"]).content.decode()
    assert f'data-drafts-saved="{key}"' in page
    assert 'data-drafts-saved=""' in client.get(response["Location"]).content.decode()


def test_a_key_is_not_spent_on_someone_who_may_not_send(login, welfare_worker, household):
    response = _visit(login(welfare_worker), household, uuid.uuid4())
    assert response.status_code in (403, 404)
    assert not Submission.objects.exists()


# Every page with free text: its view sends once per key, its form keeps a draft.
FREE_TEXT = [
    ("cases:visit_create", [1], "cases/visit_form.html", "visit:"),
    ("cases:signal_status", [1], "cases/signal_status.html", "signal-status:"),
    ("referrals:send", [1], "cases/referral_form.html", "referral:"),
    ("referrals:act", [1, "afwijzen"], "cases/referral_detail.html", "referral-decline:"),
    ("referrals:act", [1, "afronden"], "cases/referral_detail.html", "referral-complete:"),
    ("joint_cases:note", [1], "cases/joint_case_detail.html", "case-note:"),
    ("joint_cases:close", [1], "cases/joint_case_detail.html", "case-close:"),
    ("joint_cases:action", [1], "cases/joint_case_detail.html", "case-action:"),
    ("packages:household", [1], "cases/_support_packages.html", "package:"),
    ("packages:act", [1, "afwijzen"], "cases/_support_package.html", "package-decline:"),
    ("privacy:emergency_open", [], "cases/emergency_form.html", "emergency:"),
    (
        "privacy:emergency_request_refuse",
        [1],
        "cases/emergency_request_decide.html",
        "emergency-refuse:",
    ),
    ("privacy:rectify", [1], "cases/avg_rectify.html", "rectify:"),
    ("consents:create", [1], "cases/consent_form.html", "consent:"),
]


@pytest.mark.parametrize(("name", "args", "template", "draft"), FREE_TEXT)
def test_every_form_with_free_text_keeps_a_draft_and_is_sent_once(name, args, template, draft):
    assert getattr(resolve(reverse(name, args=args)).func, "submitted_once", False), name
    assert f'data-draft="{draft}' in (ROOT / "templates" / template).read_text(), template
