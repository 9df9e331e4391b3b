from django.apps import AppConfig
from django.db.models.signals import post_migrate


class InclusieConfig(AppConfig):
    name = "inclusie"
    verbose_name = "Inclusie"

    def ready(self):
        from inclusie import checks  # noqa: F401  (registers the deploy checks)
        from inclusie.database_roles import app_role_grant_after_migrate  # reads cases.models

        post_migrate.connect(app_role_grant_after_migrate, dispatch_uid="inclusie.app_role_grant")
