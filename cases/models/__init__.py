"""WHAT: households, home visits, signals, their history and the access log."""

from cases.models.access import AccessLog
from cases.models.dashboards import DashboardRefresh, DashboardTally
from cases.models.history import HouseholdEvent
from cases.models.households import Complex, Household, Resident
from cases.models.imports import HouseholdImport
from cases.models.joint_cases import CaseAction, CaseNote, CaseParticipant, JointCase
from cases.models.referrals import Agreement, Consent, Referral
from cases.models.signals import HomeVisit, Signal, SignalCategory

__all__ = [
    "Agreement",
    "Consent",
    "Referral",
    "AccessLog",
    "CaseAction",
    "CaseNote",
    "CaseParticipant",
    "DashboardRefresh",
    "DashboardTally",
    "JointCase",
    "Complex",
    "HomeVisit",
    "Household",
    "HouseholdEvent",
    "HouseholdImport",
    "Resident",
    "Signal",
    "SignalCategory",
]
