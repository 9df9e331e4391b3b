"""An overdue referral is marked in words and colour in every list of referrals and on its page
(one template tag, cases_tags.referral_deadline); a referral due later, or answered, is not."""

import datetime
import re

import pytest
from django.template import Context, Template
from django.urls import reverse

from cases.models import Referral
from cases.workdays import working_days_between

pytestmark = pytest.mark.django_db

PASSED = "Termijn verstreken"
TODAY = "Termijn verloopt vandaag"


def badges(html: str) -> list[str]:
    """The texts of the deadline badges on a page."""
    return re.findall(r'class="badge deadline-(?:passed|today)"[^>]*>([^<]*)<', html)


def test_a_referral_a_week_past_its_deadline_is_marked_in_the_inbox_and_on_its_page(
    login, today_world, welfare_worker
):
    overdue = today_world.referrals["overdue"]
    late = working_days_between(overdue.deadline, today_world.today)
    words = f"{PASSED}, {late} werkdagen te laat"
    client = login(welfare_worker)
    for box in ("te-laat", "nieuw", "alle"):
        html = client.get(reverse("referrals:inbox"), {"lijst": box}).content.decode()
        assert words in badges(html), box
    html = client.get(reverse("referrals:detail", args=[overdue.pk])).content.decode()
    assert badges(html) == [words]
    # In colour as well: the badge has the class the stylesheet paints red.
    assert 'class="badge deadline-passed" data-testid="referral-deadline"' in html


def test_a_referral_due_later_or_answered_is_not_marked(login, today_world, welfare_worker):
    client = login(welfare_worker)
    for key in ("new", "accepted"):  # due in five days; accepted after its deadline passed
        html = client.get(reverse("referrals:detail", args=[today_world.referrals[key].pk]))
        assert badges(html.content.decode()) == [], key
    html = client.get(reverse("referrals:inbox"), {"lijst": "alle"}).content.decode()
    # Of welfare's four referrals, one is overdue and one due today; the others carry nothing.
    late = working_days_between(today_world.referrals["overdue"].deadline, today_world.today)
    assert badges(html) == [f"{PASSED}, {late} werkdagen te laat", TODAY]


def test_a_referral_due_today_says_so(login, today_world, welfare_worker):
    client = login(welfare_worker)
    referral = today_world.referrals["today"]
    html = client.get(reverse("referrals:inbox"), {"lijst": "vandaag"}).content.decode()
    assert badges(html) == [TODAY]
    html = client.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    assert badges(html) == [TODAY]


def test_the_sender_sees_the_same_mark_in_its_sent_referrals_and_on_the_household_page(
    login, today_world, corporation_worker, household
):
    client = login(corporation_worker)
    late = working_days_between(today_world.referrals["overdue"].deadline, today_world.today)
    words = f"{PASSED}, {late} werkdagen te laat"
    for url in (
        reverse("referrals:outbox"),
        reverse("cases:household_detail", args=[household.pk]),
    ):
        html = client.get(url).content.decode()
        assert sorted(badges(html)) == sorted([words, TODAY]), url


def test_the_household_page_lists_its_referrals(login, today_world, corporation_worker, household):
    response = login(corporation_worker).get(reverse("cases:household_detail", args=[household.pk]))
    listed = [r.pk for r in response.context["referrals"]]
    assert set(listed) == {r.pk for r in today_world.referrals.values()}
    html = response.content.decode()
    assert f'href="/verwijzingen/{today_world.referrals["overdue"].pk}/"' in html
    assert "Aan Welzijn Testdorp" in html


def _render(referral, today):
    template = Template("{% load cases_tags %}{% referral_deadline referral today %}")
    return template.render(Context({"referral": referral, "today": today}))


@pytest.mark.parametrize(
    ("deadline", "today", "words"),
    [
        # Deadline on a Friday; the next Wednesday is three working days later.
        (datetime.date(2026, 6, 5), datetime.date(2026, 6, 10), "Termijn verstreken, 3 werkdagen"),
        (datetime.date(2026, 6, 5), datetime.date(2026, 6, 8), "Termijn verstreken, 1 werkdag te"),
        # The Saturday after: late, but no working day yet.
        (datetime.date(2026, 6, 5), datetime.date(2026, 6, 6), "Termijn verstreken<"),
        # Whit Monday (25 May 2026) is no working day (Algemene termijnenwet, art. 3).
        (datetime.date(2026, 5, 22), datetime.date(2026, 5, 27), "Termijn verstreken, 2 werkdagen"),
        (datetime.date(2026, 6, 5), datetime.date(2026, 6, 5), "Termijn verloopt vandaag"),
        (datetime.date(2026, 6, 8), datetime.date(2026, 6, 5), ""),
    ],
)
def test_the_days_late_are_working_days(deadline, today, words):
    referral = Referral(status="verzonden", deadline=deadline)
    html = _render(referral, today)
    if words:
        assert words in html
    else:
        assert html.strip() == ""


@pytest.mark.parametrize("status", ["geaccepteerd", "afgewezen", "afgerond", "ingetrokken"])
def test_an_answered_referral_has_no_running_deadline(status):
    referral = Referral(status=status, deadline=datetime.date(2026, 6, 5))
    assert _render(referral, datetime.date(2026, 6, 30)).strip() == ""
