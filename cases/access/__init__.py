"""Who may see what, on which legal basis, until when: the one owner of access in cases.

- rules: the rules themselves, as pure Q-builders and one precedence of bases; no database
  read, no model imported, so the models' QuerySets apply them (`visible_to`, `shared_with`,
  `on_consent_in_force`, `active_for`) and nothing re-derives them.
- bases: the legal basis of one household or many for an actor, of an organisation's part in a
  joint case, of a referral about to be sent, and who may pay for a support package.
- log: the access-log writer (NEN 7513): every read, search, export and change.

Nothing is imported here, so that models may import cases.access.rules without a cycle."""
