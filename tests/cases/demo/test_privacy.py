"""The demo's privacy data (cases.demo.privacy)."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from cases.models import AccessLog, HouseholdEvent
from partners.models import Membership, Organisation

pytestmark = pytest.mark.django_db
PASSWORD = "een-eigen-wachtwoord"


def organisation(name):
    return Organisation.objects.get(name=name)


def test_the_privacy_demo_fills_the_officers_pages_once(capsys):
    """Shorter terms for what visits leave behind, announced and waiting their delay (the
    oldest signals are what they will take), a correction, last night's emergency access and
    this morning's report about it; a second run adds nothing."""
    from cases.models import AccessReport, EmergencyAccess
    from cases.selectors.retention import retention_preview

    call_command("seed_demo", password=PASSWORD)
    call_command("seed_demo", password=PASSWORD)
    corporation = organisation("Woonstichting Lindenhoven")
    officer = Membership.objects.get(
        user__email="privacy.corporatie@lindenhoven.example", organisation=corporation
    )
    access = EmergencyAccess.objects.get()
    assert access.organisation.name == "Zorggroep De Linde"
    assert timezone.localtime(access.started_at).date() < timezone.localdate(), "last night"
    assert AccessLog.objects.filter(action="emergency", household=access.household).count() == 1
    report = AccessReport.objects.get(organisation=corporation)
    assert [f["kind"] for f in report.findings] == ["emergency"]
    assert HouseholdEvent.objects.filter(kind="data_corrected", data__source="avg").count() == 1
    preview = {
        line.kind: line for line in retention_preview(organisation_id=officer.organisation_id)
    }
    assert (preview["signals"].months, preview["signals"].pending_months) == (24, 15)
    assert preview["signals"].pending_by == "Joost Bakker"
    for kind in ("signals", "visits"):
        assert preview[kind].due_when_pending >= 3, preview[kind]
    out = capsys.readouterr().out
    assert "Demo privacy added: 2 retention terms set, 1 correction, 1 emergency access" in out
    assert "Demo privacy added: 0 retention terms set, 0 correction, 0 emergency access" in out
