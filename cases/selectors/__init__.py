"""Every read of cases that needs the access rules, one module per subject (ADR 0014)."""
