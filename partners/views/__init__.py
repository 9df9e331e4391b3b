"""Pages of partners: memberships (choosing the organisation to act for, members, invitations)
and notifications (the bell, the list, the e-mail choices)."""
