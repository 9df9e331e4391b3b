"""Personal links (ADR 0032): the link a token opens, if it still works."""

from django.utils import timezone

from cases.models import PersonalLink
from cases.models.helpers import link_token_hash

# A token is 43 URL-safe characters (256 random bits); anything far from that is not looked up.
TOKEN_LENGTHS = range(40, 50)


def link_for_token(token: str, *, purpose: str) -> PersonalLink | None:
    """The valid link this token opens for `purpose`, or None (unknown, wrong purpose, expired
    or revoked: the caller tells none of these apart). One query by the token's hash, which is
    unique; comparing hashes of 256 random bits by the index leaks nothing worth having."""
    if len(token) not in TOKEN_LENGTHS:
        return None
    link = (
        PersonalLink.objects.select_related("organisation", "helper")
        .filter(token_hash=link_token_hash(token), purpose=purpose)
        .first()
    )
    if link is None or not link.is_valid(timezone.now()):
        return None
    return link
