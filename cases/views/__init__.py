"""Pages of cases, one module per subject (ADR 0014); role checks in roles.py."""
