"""`make run`'s embedded defaults (SQLite, eager Celery, console e-mail) serve the demo: in a
separate process on a fresh SQLite file, migrate and seed_demo, then the pages each demo person
opens first answer 200. The rest of the suite runs on PostgreSQL, so a query SQLite cannot run
(a JSON containment, say) would otherwise reach only the person who types `make run`."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WALK = r"""
import json, sys
import django
django.setup()
from django.core.management import call_command
from django.test import Client
from cases.models import Helper, HelpMatch, HelpRequest, Household
from partners.models import Membership
from partners.actor import SESSION_KEY

call_command("migrate", verbosity=0)
call_command("seed_demo", verbosity=0, stdout=open("/dev/null", "w"))
household = Household.objects.filter(help_requests__isnull=False).first()
pages = {
    "woonconsulent": [
        "/", "/huishoudens/%d/" % household.pk, "/huishoudens/%d/huisbezoek/" % household.pk,
        "/dragers/", "/dragers/%d/" % Helper.objects.first().pk,
    ] + ["/hulpvragen/%d/" % r.pk for r in HelpRequest.objects.all()],
    "manager.corporatie": ["/", "/balans/", "/kosten-en-baten/"],
    "welzijnswerker": ["/", "/verwijzingen/"],
}
answers = {}
for person, urls in pages.items():
    membership = Membership.objects.filter(
        user__email=person + "@lindenhoven.example", ended_at=None
    ).first()
    client = Client()
    client.force_login(membership.user, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    session[SESSION_KEY] = membership.pk
    session.save()
    for url in urls:
        answers[person + " " + url] = client.get(url).status_code
print(json.dumps(answers))
"""


def test_the_demo_pages_answer_on_the_embedded_defaults(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DATABASE_", "REDIS_", "CACHE_", "CELERY_"))
    }
    env.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'run.sqlite3'}",
        DJANGO_SETTINGS_MODULE="inclusie.settings",
        DEBUG="true",
        ALLOWED_HOSTS="testserver",
        SECURE_SSL_REDIRECT="false",
    )
    done = subprocess.run(
        [sys.executable, "-c", WALK],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    answers = json.loads(done.stdout.strip().splitlines()[-1])
    assert len(answers) > 10
    assert {page: code for page, code in answers.items() if code != 200} == {}
