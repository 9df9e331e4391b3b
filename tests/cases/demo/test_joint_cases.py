"""The demo's joint cases (cases.demo.joint_cases)."""

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_the_demo_has_two_joint_cases_with_plans_and_notes_once():
    from cases.models import CaseAction, CaseNote, JointCase

    call_command("seed_demo", password="een-eigen-wachtwoord")
    call_command("seed_demo", password="een-eigen-wachtwoord")
    assert JointCase.objects.count() == 2
    for case in JointCase.objects.all():
        assert case.coordinator_organisation.name == "Welzijn Lindenhoven"
        assert CaseAction.objects.filter(case=case).count() == 2
        assert set(CaseNote.objects.filter(case=case).values_list("visibility", flat=True)) == {
            "all",
            "own",
        }
