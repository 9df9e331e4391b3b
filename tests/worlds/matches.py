"""Requests for informal help and their matches (ADR 0033), for the tests of several
directories: a household of the cast's corporation with a first resident, phone and e-mail to
keep from a helper until both sides agree; an open signal; an active helper of the same
corporation with a personal link; and the steps that bring a match to agreed."""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone

from cases.access.actors import agent_for_link
from cases.models import Helper, HelpRequest, Household, PersonalLink, Signal
from cases.services.help_requests import help_request_create
from cases.services.links import helper_link_issue
from cases.services.matches import match_answer, match_household_agrees, match_propose
from tests.factories import HelperFactory, HouseholdFactory, ResidentFactory, SignalFactory

# What the helper may learn only once both sides agreed.
SECRETS = ("Marietje", "06 5555 1234", "marietje@test.example", "Kerkstraat 12")


@dataclass
class HelpWorld:
    worker: object  # the corporation's worker (a Membership)
    household: Household
    signal: Signal
    helper: Helper
    token: str  # the helper's personal link

    @property
    def link(self) -> PersonalLink:
        return PersonalLink.objects.get(helper=self.helper, revoked_at__isnull=True)

    @property
    def agent(self):
        return agent_for_link(self.link)

    def request(self, **overrides) -> HelpRequest:
        values = {
            "kind": "boodschappen",
            "description": "Boodschappen doen op maandag",
            "days": ["ma"],
            "day_parts": ["ochtend"],
            "place": "",
            "needs_vog": False,
            "consent_given_on": timezone.localdate(),
            "consent_how": "mondeling",
        }
        values.update(overrides)
        return help_request_create(
            actor=self.worker, household=self.household, signal=self.signal, **values
        )

    def helper_also(self, **overrides) -> Helper:
        values = {"organisation": self.worker.organisation}
        values.update(overrides)
        return HelperFactory(**values)

    def proposed(self, request=None, helper=None):
        return match_propose(
            actor=self.worker, request=request or self.request(), helper=helper or self.helper
        )

    def agreed(self, request=None):
        match = self.proposed(request)
        match_answer(actor=self.agent, match=match, accept=True)
        return match_household_agrees(actor=self.worker, match=match)


def token_of(worker, helper) -> str:
    issued = helper_link_issue(actor=worker, helper=helper, delivery="scherm")
    return issued.url.rstrip("/").rsplit("/", 1)[-1]


@pytest.fixture
def help_world(corporation_worker) -> HelpWorld:
    corporation = corporation_worker.organisation
    household = HouseholdFactory(
        corporation=corporation,
        street="Kerkstraat",
        house_number=12,
        phone="06 5555 1234",
        email="marietje@test.example",
    )
    ResidentFactory(household=household, name="Marietje Jansen", is_main_tenant=True)
    signal = SignalFactory(household=household, created_by=corporation_worker.user)
    helper = HelperFactory(
        organisation=corporation,
        first_name="Henk",
        vog_seen_on=timezone.localdate() - timedelta(days=10),
        vog_seen_by=corporation_worker.user,
        vog_expires_on=timezone.localdate() + timedelta(days=300),
    )
    token = token_of(corporation_worker, helper)
    return HelpWorld(corporation_worker, household, signal, helper, token)


@pytest.fixture
def link_token_of(db):
    return token_of


@pytest.fixture
def help_secrets():
    """What the helper may learn only once both sides agreed."""
    return SECRETS
