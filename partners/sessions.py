"""Database sessions that remember whose they are, so a person's sessions can be ended at once,
and the session's own clock (when it began, when its person was last active)."""

import time

from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore as DBStore

STARTED_KEY = "session_started_at"
LAST_SEEN_KEY = "session_last_seen_at"


class SessionStore(DBStore):
    @classmethod
    def get_model_class(cls):
        # Django loads the engine before the app registry may be ready, as its own db engine.
        from partners.models import Session

        return Session

    def create_model_instance(self, data):
        obj = super().create_model_instance(data)
        try:
            obj.user_id = int(data.get("_auth_user_id"))
        except (TypeError, ValueError):
            obj.user_id = None
        return obj


def session_idle_remaining(session, *, now: int | None = None) -> int:
    """Seconds left before SESSION_IDLE_TIMEOUT ends this session, by the server's clock."""
    now = int(time.time()) if now is None else now
    last_seen = session.get(LAST_SEEN_KEY, now)
    return max(0, settings.SESSION_IDLE_TIMEOUT - (now - last_seen))


def sessions_end_for(*, user_id: int) -> int:
    """Delete every session of one person; their next request is anonymous."""
    from partners.models import Session  # as in get_model_class

    deleted, _ = Session.objects.filter(user_id=user_id).delete()
    return deleted
