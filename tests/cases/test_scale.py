"""The pages people use all day stay the same amount of work whatever the data (issue 8,
ADR 0012): the same queries with few and with many rows, the shared ids read first giving the
same households as visible_to, and counts that stop at a cap."""

import pytest
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import Household
from inclusie.pagination import CappedPaginator
from tests.factories import HouseholdFactory, ResidentFactory, SignalFactory

pytestmark = pytest.mark.django_db


def more_households(corporation, neighbourhood, categories, count: int) -> list[Household]:
    households = []
    for n in range(count):
        household = HouseholdFactory(
            corporation=corporation, neighbourhood=neighbourhood, street="Eikenweg"
        )
        ResidentFactory(household=household, name=f"Bewoner Schaal {n}")
        SignalFactory(household=household, category=categories[n % len(categories)])
        households.append(household)
    return households


def queries_of(client, url: str, **params) -> int:
    """The queries of a page asked a second time (the first also writes the new session)."""
    from django.db import connection

    client.get(url, params)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200, url
    return len(captured)


@pytest.mark.parametrize(
    ("url", "params"),
    [
        ("cases:household_list", {}),
        ("cases:household_list", {"q": "Eikenweg 3"}),
        ("cases:household_list", {"q": "Schaal"}),
        ("cases:household_list", {"open_signals": "ja"}),
        ("cases:signal_list", {"lijst": "open"}),
        ("cases:signal_list", {"lijst": "alle"}),
    ],
)
def test_a_list_asks_the_same_queries_for_3_and_for_40_households(
    login, corporation, corporation_worker, neighbourhood, categories, url, params
):
    client = login(corporation_worker)
    more_households(corporation, neighbourhood, categories, 3)
    few = queries_of(client, reverse(url), **params)
    more_households(corporation, neighbourhood, categories, 37)
    assert queries_of(client, reverse(url), **params) == few


def test_the_household_page_asks_the_same_queries_with_more_history(
    login, corporation, corporation_worker, household, neighbourhood, categories
):
    client = login(corporation_worker)
    SignalFactory(household=household, category=categories[0])
    few = queries_of(client, reverse("cases:household_detail", args=[household.pk]))
    for category in categories:
        SignalFactory(household=household, category=category)
        SignalFactory(household=household, category=category, status="opgelost")
    assert queries_of(client, reverse("cases:household_detail", args=[household.pk])) == few


def more_referrals(original, count: int, worker) -> None:
    """Copies of a referral in turn new, accepted and assigned to the worker, and closed with
    an outcome: every part of a list row is shown."""
    from cases.models import Referral

    signals = list(original.signals.all())
    for n in range(count):
        copy = Referral.objects.get(pk=original.pk)
        copy.pk = None
        if n % 3 == 1:
            copy.status, copy.assigned_to = "geaccepteerd", worker.user
        elif n % 3 == 2:
            copy.status, copy.outcome, copy.closed_at = "afgerond", "geholpen", timezone.now()
        copy.save()
        copy.signals.set(signals)


def test_the_referral_lists_ask_the_same_queries_for_3_and_for_30_referrals(
    login,
    corporation_worker,
    welfare_worker,
    sent,
):
    boxes = ("nieuw", "mijn", "alle")
    more_referrals(sent["referral"], 2, welfare_worker)
    inbox = login(welfare_worker)
    few = {box: queries_of(inbox, reverse("referrals:inbox"), lijst=box) for box in boxes}
    outbox = login(corporation_worker)
    few_sent = queries_of(outbox, reverse("referrals:outbox"))
    more_referrals(sent["referral"], 27, welfare_worker)
    inbox = login(welfare_worker)
    page = inbox.get(reverse("referrals:inbox"), {"lijst": "alle"}).content.decode()
    assert "Geholpen" in page and welfare_worker.user.name in page
    for box in boxes:
        assert queries_of(inbox, reverse("referrals:inbox"), lijst=box) == few[box], box
    outbox = login(corporation_worker)
    assert queries_of(outbox, reverse("referrals:outbox")) == few_sent


def test_the_lists_work_without_the_cache(login, corporation_worker, household, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
        }
    }
    client = login(corporation_worker)
    for name in ("cases:household_list", "cases:signal_list"):
        page = client.get(reverse(name))
        assert page.status_code == 200
        assert f'<option value="{household.neighbourhood_id}">' in page.content.decode()


def test_a_long_list_says_more_than_the_cap_and_still_pages_on(
    login, corporation, corporation_worker, neighbourhood, categories, monkeypatch
):
    monkeypatch.setattr(CappedPaginator, "cap", 3)
    more_households(corporation, neighbourhood, categories, 28)  # 25 on page 1, 3 on page 2
    client = login(corporation_worker)
    first = client.get(reverse("cases:household_list")).content.decode()
    assert "Meer dan 3 huishoudens" in first
    assert "Pagina 1<" in first and "Pagina 1 van" not in first
    assert "page=2" in first
    second = client.get(reverse("cases:household_list"), {"page": 2})
    assert len(second.context["page"].object_list) == 3
    assert "page=3" not in second.content.decode()
    beyond = client.get(reverse("cases:household_list"), {"page": 9})
    assert beyond.context["page"].number == 1, "a page past the end shows the first"


def test_a_short_list_keeps_its_exact_count(login, corporation_worker, household):
    html = login(corporation_worker).get(reverse("cases:household_list")).content.decode()
    assert "1 huishouden" in html and "Meer dan" not in html


SQLITE_PAGES = """
import django, os
django.setup()
from django.core.management import call_command
from django.test import Client
call_command("migrate", verbosity=0)
call_command("seed_demo", verbosity=0, stdout=open(os.devnull, "w"))
from cases.models import Helper, HelpRequest
from partners.models import User
# The requests for informal help rank helpers with a JSON query SQLite lacks (ADR 0034).
requests = [f"/hulpvragen/{pk}/" for pk in HelpRequest.objects.values_list("pk", flat=True)]
household = HelpRequest.objects.values_list("household_id", flat=True).first()
for email, paths in {
    "woonconsulent@lindenhoven.example": ["/", "/huishoudens/", "/huishoudens/?open_signals=ja",
                                          "/signalen/?lijst=open", f"/huishoudens/{household}/",
                                          "/dragers/", f"/dragers/{Helper.objects.first().pk}/",
                                          *requests],
    "welzijnswerker@lindenhoven.example": ["/verwijzingen/", "/verwijzingen/?lijst=alle",
                                           "/verwijzingen/verstuurd/"],
    "manager.corporatie@lindenhoven.example": ["/balans/", "/kosten-en-baten/"],
}.items():
    client = Client()
    client.force_login(User.objects.get(email=email))
    for path in paths:
        status = client.get(path).status_code
        assert status == 200, (path, status)
print("ok")
"""


def test_the_lists_work_on_sqlite_as_make_run_serves_them(tmp_path):
    """`make run` serves SQLite, where a UNION may not hold an ORDER BY and a JSON field has no
    containment (the suite runs on PostgreSQL): the lists that read the shared ids first, the
    requests for informal help with their suggestions and the balance must work there too."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'run.sqlite3'}",
        "DEBUG": "true",
        "ALLOWED_HOSTS": "testserver",
        "DJANGO_SETTINGS_MODULE": "inclusie.settings",
    }
    env.pop("REDIS_URL", None)
    result = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", SQLITE_PAGES],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip().endswith("ok")
