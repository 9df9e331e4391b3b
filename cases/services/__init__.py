"""Every write of cases, one module per subject (ADR 0014)."""
