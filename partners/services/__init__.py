"""Every write of partners: memberships (invitations, roles, ending) and notifications (the
outbox and its delivery)."""
