"""Every write of partners: memberships (invitations, roles, ending), notifications (the
outbox and its delivery) and sign-in through an identity provider (identity)."""
