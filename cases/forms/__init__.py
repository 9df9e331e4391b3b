"""Forms of cases, one module per subject (ADR 0014). A form reads no data."""
