"""States of a signal and the transitions the services allow."""

from datetime import timedelta

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class SignalStatus(models.TextChoices):
    OPEN = "open", _("open")
    IN_BEHANDELING = "in_behandeling", _("in progress")
    DOORVERWEZEN = "doorverwezen", _("referred")
    OPGELOST = "opgelost", _("resolved")
    GESLOTEN = "gesloten", _("closed")


OPEN_STATUSES = {SignalStatus.OPEN, SignalStatus.IN_BEHANDELING, SignalStatus.DOORVERWEZEN}
FINAL_STATUSES = {SignalStatus.OPGELOST, SignalStatus.GESLOTEN}

SIGNAL_TRANSITIONS: dict[str, set[str]] = {
    SignalStatus.OPEN: {
        SignalStatus.IN_BEHANDELING,
        SignalStatus.DOORVERWEZEN,
        SignalStatus.OPGELOST,
        SignalStatus.GESLOTEN,
    },
    SignalStatus.IN_BEHANDELING: {
        SignalStatus.DOORVERWEZEN,
        SignalStatus.OPGELOST,
        SignalStatus.GESLOTEN,
    },
    # Back to the corporation's decision when a referral ends.
    SignalStatus.DOORVERWEZEN: {
        SignalStatus.IN_BEHANDELING,
        SignalStatus.OPGELOST,
        SignalStatus.GESLOTEN,
    },
    # A signal that comes back is reopened, not logged twice.
    SignalStatus.OPGELOST: {SignalStatus.OPEN},
    SignalStatus.GESLOTEN: {SignalStatus.OPEN},
}

# Closing without solving needs a reason.
REASON_REQUIRED = {SignalStatus.GESLOTEN}


def signal_can_move(current: str, new: str) -> bool:
    return new in SIGNAL_TRANSITIONS.get(current, set())


class Severity(models.TextChoices):
    LAAG = "laag", _("low")
    MIDDEN = "midden", _("medium")
    HOOG = "hoog", _("high")
    ACUUT = "acuut", _("acute")


class VisitKind(models.TextChoices):
    WELKOMSTBEZOEK = "welkomstbezoek", _("welcome visit")
    REGULIER = "regulier", _("regular")
    OP_VERZOEK = "op_verzoek", _("on request")
    NA_REPARATIE = "na_reparatie", _("after a repair")


class VisitOutcome(models.TextChoices):
    SIGNALEN = "signalen", _("signals")
    GEEN_ZORGEN = "geen_zorgen", _("no concerns")
    NIET_THUIS = "niet_thuis", _("not at home")


class ReferralStatus(models.TextChoices):
    VERZONDEN = "verzonden", _("sent")
    GEACCEPTEERD = "geaccepteerd", _("accepted")
    AFGEWEZEN = "afgewezen", _("declined")
    AFGEROND = "afgerond", _("completed")
    INGETROKKEN = "ingetrokken", _("withdrawn")


REFERRAL_OPEN = {ReferralStatus.VERZONDEN, ReferralStatus.GEACCEPTEERD}
REFERRAL_TRANSITIONS: dict[str, set[str]] = {
    ReferralStatus.VERZONDEN: {
        ReferralStatus.GEACCEPTEERD,
        ReferralStatus.AFGEWEZEN,
        ReferralStatus.INGETROKKEN,
    },
    ReferralStatus.GEACCEPTEERD: {ReferralStatus.AFGEROND, ReferralStatus.INGETROKKEN},
}


def referral_can_move(current: str, new: str) -> bool:
    return new in REFERRAL_TRANSITIONS.get(current, set())


class ReferralOutcome(models.TextChoices):
    GEHOLPEN = "geholpen", _("helped")
    HULP_GEWEIGERD = "hulp_geweigerd", _("help refused")
    NIET_BEREIKT = "niet_bereikt", _("not reached")
    DOORVERWEZEN = "doorverwezen", _("referred on")


class DeclineReason(models.TextChoices):
    """Why a partner declines a referral, in categories the dashboards can count; the free text
    beside it tells the sender the rest."""

    GEEN_CAPACITEIT = "geen_capaciteit", _("no capacity now (waiting list)")
    NIET_ONS_AANBOD = "niet_ons_aanbod", _("not what we offer")
    AL_HULP = "al_hulp", _("already receiving help")
    BUITEN_WERKGEBIED = "buiten_werkgebied", _("outside our area")
    ANDERS = "anders", _("other")


class JointCaseStatus(models.TextChoices):
    OPEN = "open", _("open")
    CLOSED = "gesloten", _("closed")


class AccessBasis(models.TextChoices):
    """The legal basis of a row in the access log: why the organisation saw the household."""

    OWN_TENANT = "eigen_huurder", _("own tenant (tenancy agreement)")
    CONSENT = "toestemming", _("consent")
    VROEGSIGNALERING = "vroegsignalering", _("early warning of debts (Wgs)")
    EMERGENCY = "noodtoegang", _("emergency access")
    AVG_REQUEST = "avg_verzoek", _("request of the data subject (GDPR)")
    SUPERVISION = "toezicht", _("supervision by the privacy officer")
    NONE = "geen", _("no household data")


class LegalBasis(models.TextChoices):
    """The legal basis on which a referral passes a household's signals on."""

    TOESTEMMING = "toestemming", _("consent")
    VROEGSIGNALERING = "vroegsignalering", _("early warning of debts (Wgs)")


class PackageItem(models.TextChoices):
    INRICHTING = "inrichting", _("furnishing")
    WITGOED = "witgoed", _("white goods")
    VLOERBEDEKKING = "vloerbedekking", _("floor covering")
    BUDGETCOACHING = "budgetcoaching", _("budget coaching")
    ANDERS = "anders", pgettext_lazy("support package", "other")


class PackageStatus(models.TextChoices):
    AANGEVRAAGD = "aangevraagd", _("requested")
    GOEDGEKEURD = "goedgekeurd", _("approved")
    AFGEWEZEN = "afgewezen", _("declined")
    GELEVERD = "geleverd", _("delivered")


PACKAGE_TRANSITIONS: dict[str, set[str]] = {
    PackageStatus.AANGEVRAAGD: {PackageStatus.GOEDGEKEURD, PackageStatus.AFGEWEZEN},
    PackageStatus.GOEDGEKEURD: {PackageStatus.GELEVERD},
}


def package_can_move(current: str, new: str) -> bool:
    return new in PACKAGE_TRANSITIONS.get(current, set())


class EmergencyRequestStatus(models.TextChoices):
    """A request for emergency access beyond the limit (ADR 0018): it waits for a privacy
    officer of the worker's organisation, who approves or refuses it once. One still waiting
    past its `expires_at` is expired (shown so; nobody can decide it any more)."""

    WACHT = "wacht", _("waiting for approval")
    GOEDGEKEURD = "goedgekeurd", _("approved")
    GEWEIGERD = "geweigerd", _("refused")


# A home visit is logged within a year of the day it took place: an older date is a typing
# error (the year 1, 1926 for 2026), not a visit, and would sit outside every dashboard period.
VISIT_DAYS_BACK = 366


OLD_VISIT = _("A home visit is logged within a year: the date cannot be before %(date)s.")


def oldest_visit_day(today):
    """The earliest date a home visit logged today may have."""
    return today - timedelta(days=VISIT_DAYS_BACK)


class HelperStatus(models.TextChoices):
    """A helper's offer (drager): registered by a worker, confirmed by the helper through the
    personal link, paused and resumed by either, stopped for good."""

    REGISTERED = "aangemeld", _("waiting for confirmation")
    ACTIVE = "actief", _("active")
    PAUSED = "gepauzeerd", _("paused")
    STOPPED = "gestopt", _("stopped")


HELPER_TRANSITIONS: dict[str, set[str]] = {
    HelperStatus.REGISTERED: {HelperStatus.ACTIVE, HelperStatus.STOPPED},
    HelperStatus.ACTIVE: {HelperStatus.PAUSED, HelperStatus.STOPPED},
    HelperStatus.PAUSED: {HelperStatus.ACTIVE, HelperStatus.STOPPED},
    HelperStatus.STOPPED: set(),
}


class HelpKind(models.TextChoices):
    """What a helper offers."""

    BOODSCHAPPEN = "boodschappen", _("shopping")
    KLUSSEN = "klussen", _("odd jobs")
    GEZELSCHAP = "gezelschap", _("company")
    TAAL_EN_POST = "taal_en_post", _("language and letters")
    VERVOER = "vervoer", _("transport")
    TUIN = "tuin", _("garden")
    DIGITAAL = "digitaal", _("computer and phone")
    HUISDIEREN = "huisdieren", _("pets")


class Weekday(models.TextChoices):
    MA = "ma", _("Monday")
    DI = "di", _("Tuesday")
    WO = "wo", _("Wednesday")
    DO = "do", _("Thursday")
    VR = "vr", _("Friday")
    ZA = "za", _("Saturday")
    ZO = "zo", _("Sunday")


class DayPart(models.TextChoices):
    OCHTEND = "ochtend", _("morning")
    MIDDAG = "middag", _("afternoon")
    AVOND = "avond", _("evening")


class HelpRequestStatus(models.TextChoices):
    """A request for informal help (vraag): open until a match is agreed, closed when no longer
    needed (by a worker, with a reason) or when its household is erased."""

    OPEN = "open", _("open")
    MATCHED = "gekoppeld", _("matched")
    CLOSED = "gesloten", _("closed")


class MatchStatus(models.TextChoices):
    """A helper proposed for a request by a worker (ADR 0033): the helper accepts or declines
    through their link; the household agrees through the worker; only then, agreed, are first
    names and contact details exchanged. Either side can end an agreed match."""

    PROPOSED = "voorgesteld", _("proposed to the helper")
    ACCEPTED = "geaccepteerd", _("accepted by the helper")
    AGREED = "afgesproken", _("agreed by both")
    DECLINED = "afgewezen", _("declined")
    ENDED = "beeindigd", _("ended")


# What counts as a helper's load: the matches not yet declined or ended.
MATCH_ACTIVE = (MatchStatus.PROPOSED, MatchStatus.ACCEPTED, MatchStatus.AGREED)


class ConsentHow(models.TextChoices):
    """How a helper gave consent to be registered."""

    MONDELING = "mondeling", _("in person or by phone")
    SCHRIFTELIJK = "schriftelijk", _("in writing")
    EMAIL = "email", _("by e-mail")
