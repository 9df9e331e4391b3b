from django.apps import AppConfig


class InclusieConfig(AppConfig):
    name = "inclusie"
    verbose_name = "Inclusie"

    def ready(self):
        from inclusie import checks  # noqa: F401  (registers the deploy checks)
