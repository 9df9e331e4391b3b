"""The API's wiring (ADR 0025), shared by every resource of /api/v1/: who calls (a client's
key, authentication), what it may (its scopes, permissions), how often (throttling), how errors
read (problems: application/problem+json with Dutch titles), pages of lists, the headers of
every answer (views.ApiView) and the OpenAPI document (schema). The resources themselves live
with their subject, in cases/api/."""
