"""WHAT: households, home visits, signals, consent, referrals and joint cases (later issues)."""
