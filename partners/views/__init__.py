"""Pages of partners: memberships (choosing the organisation to act for, members, invitations),
notifications (the bell, the list, the e-mail choices), the session's clock, and sending a
form once per key."""
