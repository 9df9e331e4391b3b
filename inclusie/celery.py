"""Celery for Inclusie: Redis as broker when REDIS_URL is set, tasks in-process otherwise."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inclusie.settings")

app = Celery("inclusie")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
