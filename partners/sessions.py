"""Database sessions that remember whose they are, so a person's sessions can be ended at once."""

from django.contrib.sessions.backends.db import SessionStore as DBStore


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


def sessions_end_for(*, user_id: int) -> int:
    """Delete every session of one person; their next request is anonymous."""
    from partners.models import Session  # as in get_model_class

    deleted, _ = Session.objects.filter(user_id=user_id).delete()
    return deleted
