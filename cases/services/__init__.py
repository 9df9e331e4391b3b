"""Every write of the cases app, one module per subject; import from here."""

from cases.services.access_reports import access_report_save, access_reports_daily
from cases.services.ledger import (
    avoided_cost_save,
    hourly_rate_set,
    hours_split_save,
    worked_hours_enter,
)
from cases.services.privacy import (
    ResidentCorrection,
    emergency_access_open,
    erasure_refusals,
    household_erase,
    household_rectify,
)
from cases.services.referrals import (
    agreement_save,
    consent_record,
    consent_withdraw,
    referral_accept,
    referral_assign,
    referral_complete,
    referral_decline,
    referral_send,
    referral_withdraw,
)
from cases.services.retention import retention_run, retention_terms_save
from cases.services.support import (
    support_package_approve,
    support_package_decline,
    support_package_deliver,
    support_package_request,
)
from cases.services.visits import (
    SignalInput,
    home_visit_log,
    signal_category_save,
    signal_change_status,
)

__all__ = [
    "ResidentCorrection",
    "access_report_save",
    "access_reports_daily",
    "emergency_access_open",
    "erasure_refusals",
    "household_erase",
    "household_rectify",
    "retention_run",
    "retention_terms_save",
    "agreement_save",
    "avoided_cost_save",
    "hourly_rate_set",
    "hours_split_save",
    "support_package_approve",
    "support_package_decline",
    "support_package_deliver",
    "support_package_request",
    "worked_hours_enter",
    "SignalInput",
    "consent_record",
    "consent_withdraw",
    "home_visit_log",
    "referral_accept",
    "referral_assign",
    "referral_complete",
    "referral_decline",
    "referral_send",
    "referral_withdraw",
    "signal_category_save",
    "signal_change_status",
]
