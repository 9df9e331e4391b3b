"""The rule table of cases.access.rules in one place: for each way a household can reach an
organisation (actor kind × sharing route), whether the actor sees it through visible_to, and
on which legal basis the access log records it (legal_basis_for and, for lists, the bases
visible_bases gives: both must agree)."""

from datetime import timedelta

import pytest
from django.db.models import Q
from django.utils import timezone

from cases.access import rules
from cases.access.actors import Agent
from cases.access.bases import legal_basis_for, visible_bases
from cases.models import (
    Agreement,
    CaseParticipant,
    Consent,
    EmergencyAccess,
    HelpMatch,
    HelpRequest,
    Household,
    JointCase,
    Referral,
    Signal,
)
from cases.workflow import MATCH_ACTIVE, AccessBasis, LegalBasis, MatchStatus, ReferralStatus
from tests.factories import MembershipFactory, SignalFactory, UserFactory

pytestmark = pytest.mark.django_db

OWN, CONSENT, WGS = AccessBasis.OWN_TENANT, AccessBasis.CONSENT, AccessBasis.VROEGSIGNALERING
DAYS = 30  # REFERRAL_ACCESS_DAYS_AFTER_CLOSE in these tests


def _consent(household, organisation, by, state="in_force"):
    """A consent to `organisation`: in_force, withdrawn, ended, or future (given from later)."""
    today = timezone.localdate()
    withdrawn, ended, future = state == "withdrawn", state == "ended", state == "future"
    return Consent.objects.create(
        household=household,
        receiving_organisation=organisation,
        purpose="Hulp bij geldzaken",
        given_how=Consent.GivenHow.MONDELING,
        given_on=today + timedelta(days=3) if future else today - timedelta(days=10),
        ends_on=today - timedelta(days=1) if ended else None,
        withdrawn_on=today if withdrawn else None,
        recorded_by=by.user,
        recorded_for=household.corporation,
    )


def _referral(household, to, by, *, status, basis=LegalBasis.TOESTEMMING, consent=None, closed=0):
    agreement = Agreement.objects.create(
        first=household.corporation,
        second=to,
        response_days=10,
        valid_from=timezone.localdate() - timedelta(days=100),
        created_by=by.user,
    )
    referral = Referral.objects.create(
        household=household,
        from_organisation=household.corporation,
        to_organisation=to,
        agreement=agreement,
        legal_basis=basis,
        consent=consent,
        status=status,
        deadline=timezone.localdate() + timedelta(days=10),
        sent_by=by.user,
        closed_at=timezone.now() - timedelta(days=closed) if closed else None,
    )
    referral.signals.add(SignalFactory(household=household, created_by=by.user))
    return referral


def _case(household, organisation, by, *, consent, closed=False):
    case = JointCase.objects.create(
        household=household,
        coordinator_organisation=household.corporation,
        opened_by=by.user,
        status=JointCase.Status.CLOSED if closed else JointCase.Status.OPEN,
        closing_summary="Klaar" if closed else "",
    )
    CaseParticipant.objects.create(case=case, organisation=household.corporation)
    CaseParticipant.objects.create(case=case, organisation=organisation, via_consent=consent)
    return case


def _emergency(household, actor, *, hours_left=4):
    EmergencyAccess.objects.create(
        household=household,
        user=actor.user,
        organisation=actor.organisation,
        role=actor.role,
        reason="Acute zorg: bewoner reageert niet, buren maken zich zorgen.",
        ends_at=timezone.now() + timedelta(hours=hours_left),
    )


def referral(status, *, basis=LegalBasis.TOESTEMMING, consent=None, closed=0):
    """A referral to welfare; `consent` is the state of the consent it rests on, if any."""

    def set_up(household, worker, corporation_worker):
        rests_on = None
        if consent is not None:
            rests_on = _consent(household, worker.organisation, corporation_worker, consent)
        _referral(
            household,
            worker.organisation,
            corporation_worker,
            status=status,
            basis=basis,
            consent=rests_on,
            closed=closed,
        )

    return set_up


def joint_case(consent="in_force", *, closed=False):
    """Welfare in a joint case of the household, on a consent in that state."""

    def set_up(household, worker, corporation_worker):
        given = _consent(household, worker.organisation, corporation_worker, consent)
        _case(household, worker.organisation, corporation_worker, consent=given, closed=closed)

    return set_up


def both(*set_ups):
    def set_up(*args):
        for one in set_ups:
            one(*args)

    return set_up


SENT, ACCEPTED, COMPLETED = (
    ReferralStatus.VERZONDEN,
    ReferralStatus.GEACCEPTEERD,
    ReferralStatus.AFGEROND,
)
DECLINED, WITHDRAWN = ReferralStatus.AFGEWEZEN, ReferralStatus.INGETROKKEN
VS = LegalBasis.VROEGSIGNALERING

# route → (what to set up for the welfare organisation, visible, basis). The corporation's own
# worker sees the household on OWN in every row; an outsider of a third corporation never does.
ROUTES = {
    "nothing": (lambda *args: None, False, None),
    "referral sent on consent": (referral(SENT, consent="in_force"), True, CONSENT),
    "referral accepted on vroegsignalering": (referral(ACCEPTED, basis=VS), True, WGS),
    "referral completed within the days after close": (
        referral(COMPLETED, basis=VS, closed=DAYS - 1),
        True,
        WGS,
    ),
    "referral completed longer ago": (referral(COMPLETED, basis=VS, closed=DAYS + 1), False, None),
    "referral declined": (referral(DECLINED, basis=VS, closed=1), False, None),
    "referral withdrawn": (referral(WITHDRAWN, basis=VS, closed=1), False, None),
    "referral whose consent was withdrawn": (
        referral(ACCEPTED, consent="withdrawn"),
        False,
        None,
    ),
    "referral whose consent ended": (referral(ACCEPTED, consent="ended"), False, None),
    "joint case on consent in force": (joint_case(), True, CONSENT),
    "joint case on withdrawn consent": (joint_case("withdrawn"), False, None),
    "joint case on consent not yet given": (joint_case("future"), False, None),
    "closed joint case": (joint_case(closed=True), False, None),
    "joint case on consent and a referral on vroegsignalering": (
        both(joint_case(), referral(ACCEPTED, basis=VS)),
        True,
        WGS,  # the referral's basis goes before consent through the case
    ),
    "emergency access of this worker": (lambda h, w, c: _emergency(h, w), False, None),
}


@pytest.fixture(autouse=True)
def _days_after_close(settings):
    settings.REFERRAL_ACCESS_DAYS_AFTER_CLOSE = DAYS


@pytest.mark.parametrize("route", list(ROUTES))
def test_the_rule_table(route, household, corporation_worker, welfare_worker, outsider):
    set_up, visible, basis = ROUTES[route]
    set_up(household, welfare_worker, corporation_worker)

    seen = Household.objects.visible_to(welfare_worker).filter(pk=household.pk).exists()
    assert seen is visible
    listed = Household.objects.visible_to(welfare_worker, ids_first=True).filter(pk=household.pk)
    assert listed.exists() is visible
    assert visible_bases(actor=welfare_worker, households=[household]).get(household.pk) == basis
    if visible:
        assert legal_basis_for(actor=welfare_worker, household=household) == basis
    else:
        with pytest.raises(PermissionError):
            legal_basis_for(actor=welfare_worker, household=household)

    # The corporation always sees its own household; a third corporation's people never do.
    assert Household.objects.visible_to(corporation_worker).filter(pk=household.pk).exists()
    assert legal_basis_for(actor=corporation_worker, household=household) == OWN
    assert not Household.objects.visible_to(outsider).filter(pk=household.pk).exists()


def test_emergency_access_opens_only_its_own_door(household, welfare_worker, welfare):
    """Emergency access never widens visible_to: only in_emergency_for, for that person, while
    the window is open."""
    _emergency(household, welfare_worker)
    assert Household.objects.in_emergency_for(welfare_worker).filter(pk=household.pk).exists()
    colleague = MembershipFactory(
        user=UserFactory(email="collega@welzijn.example", name="Collega"),
        organisation=welfare,
        role=welfare_worker.role,
    )
    assert not Household.objects.in_emergency_for(colleague).filter(pk=household.pk).exists()
    EmergencyAccess.objects.update(
        started_at=timezone.now() - timedelta(hours=2), ends_at=timezone.now() - timedelta(hours=1)
    )
    assert not Household.objects.in_emergency_for(welfare_worker).exists()


def test_a_receiver_sees_only_the_referred_signals(household, corporation_worker, welfare_worker):
    referral = _referral(
        household,
        welfare_worker.organisation,
        corporation_worker,
        status=ReferralStatus.GEACCEPTEERD,
        basis=LegalBasis.VROEGSIGNALERING,
    )
    other = SignalFactory(household=household, created_by=corporation_worker.user)
    seen = set(Signal.objects.visible_to(welfare_worker).values_list("pk", flat=True))
    assert seen == set(referral.signals.values_list("pk", flat=True))
    assert other.pk not in seen


# --- the rules on their own: pure Q-builders and one precedence -------------------------------


def test_the_rules_read_no_database(django_assert_num_queries):
    today, now = timezone.localdate(), timezone.now()
    with django_assert_num_queries(0):
        built = [
            rules.consent_in_force_q(today=today),
            rules.referral_shares_q(7, today=today, closed_after=now),
            rules.participation_on_consent_q(7, today=today),
            rules.emergency_open_q(user_id=1, organisation_id=7, now=now),
        ]
    assert all(isinstance(q, Q) for q in built)


def test_a_prefix_puts_the_consent_rule_on_a_relation():
    today = timezone.localdate()
    assert rules.consent_holds_q(today=today, prefix="consent") == (
        Q(consent__withdrawn_on__isnull=True)
        & (Q(consent__ends_on__isnull=True) | Q(consent__ends_on__gte=today))
    )


@pytest.mark.parametrize(
    ("own", "referral_basis", "on_consent", "basis"),
    [
        (True, WGS, True, OWN),
        (False, WGS, True, WGS),
        (False, LegalBasis.TOESTEMMING, False, CONSENT),
        (False, None, True, CONSENT),
        (False, None, False, None),
    ],
)
def test_the_precedence_of_bases(own, referral_basis, on_consent, basis):
    assert rules.basis_of(own=own, referral_basis=referral_basis, on_consent=on_consent) == basis


def test_the_sharing_window_follows_the_setting(settings):
    now = timezone.now()
    settings.REFERRAL_ACCESS_DAYS_AFTER_CLOSE = 5
    window = rules.sharing_window(now)
    assert window["closed_after"] == now - timedelta(days=5)
    assert window["today"] == timezone.localdate(now)


def test_the_rules_of_helpers(corporation_worker):
    """Helpers (ADR 0032): a member sees its organisation's; a link its own helper and nothing
    of its organisation's households; an API client no helper; nobody nothing."""
    org = corporation_worker.organisation
    link = Agent(
        channel="link",
        reference="link:7",
        name="Henk",
        organisation=org,
        scopes=frozenset({"aanbod"}),
        link_id=7,
    )
    api = Agent(channel="api", reference="api-client:3", name="Huur", organisation=org)
    assert rules.helper_q(corporation_worker) == Q(organisation_id=org.pk)
    assert rules.helper_q(link) == Q(organisation_id=org.pk, links__pk=7)
    assert rules.helper_q(api) is None and rules.helper_q(None) is None
    other_purpose = Agent(
        channel="link",
        reference="link:8",
        name="Ruimte",
        organisation=org,
        scopes=frozenset({"ruimte"}),
        link_id=8,
    )
    assert rules.helper_q(other_purpose) is None
    assert rules.acts_for_organisation(corporation_worker) and rules.acts_for_organisation(api)
    assert not rules.acts_for_organisation(link) and not rules.acts_for_organisation(None)


def test_the_rules_of_help_requests_and_matches(corporation_worker):
    """Requests and matches (ADR 0033): a member those of the households it may see; a
    helper's link only its own helper's live matches and their requests; an API client and
    another purpose's link none."""
    org = corporation_worker.organisation
    households = Household.objects.filter(pk__in=[1, 2]).values("pk")
    proposed = [3]
    link = Agent(
        channel="link",
        reference="link:7",
        name="Henk",
        organisation=org,
        scopes=frozenset({"aanbod"}),
        link_id=7,
    )
    api = Agent(channel="api", reference="api-client:3", name="Huur", organisation=org)
    other_purpose = Agent(
        channel="link", reference="link:8", name="R", organisation=org, scopes=frozenset({"x"})
    )
    # Only the organisation that made the request, never a partner that sees the household.
    assert rules.help_match_q(corporation_worker, households=households) == Q(
        request__household__in=households,
        request__organisation_id=corporation_worker.organisation_id,
    )
    assert rules.help_request_q(corporation_worker, households=households, proposed=proposed) == Q(
        household__in=households, organisation_id=corporation_worker.organisation_id
    )
    assert rules.help_match_q(link, households=households) == Q(
        helper__organisation_id=org.pk, helper__links__pk=7, status__in=MATCH_ACTIVE
    )
    assert rules.help_request_q(link, households=households, proposed=proposed) == Q(
        pk__in=proposed
    )
    for nobody in (api, other_purpose, None):
        assert rules.help_match_q(nobody, households=households) is None
        assert rules.help_request_q(nobody, households=households, proposed=proposed) is None


def test_help_requests_and_matches_reach_whom_the_rules_say(help_world, outsider, welfare_worker):
    """The QuerySets apply the rules: the corporation's worker sees them, a worker of another
    organisation without a share does not, the link its own helper's live matches only."""
    request = help_world.request()
    match = help_world.proposed(request)
    other = help_world.helper_also()
    HelpMatch.objects.create(request=request, helper=other, proposed_by=help_world.worker.user)
    for model in (HelpRequest, HelpMatch):
        assert model.objects.visible_to(help_world.worker).exists()
        assert not model.objects.visible_to(outsider).exists()
        assert not model.objects.visible_to(welfare_worker).exists()
    assert list(HelpMatch.objects.visible_to(help_world.agent)) == [match]
    assert list(HelpRequest.objects.visible_to(help_world.agent)) == [request]
    HelpMatch.objects.filter(pk=match.pk).update(status=MatchStatus.DECLINED)
    assert not HelpMatch.objects.visible_to(help_world.agent).exists()
    assert not HelpRequest.objects.visible_to(help_world.agent).exists()
