from django.conf import settings

from inclusie.celery import app


def test_celery_uses_redis_when_redis_url_is_set(requires_redis):
    assert app.conf.broker_url == settings.REDIS_URL
    with app.connection_for_write() as connection:
        connection.ensure_connection(max_retries=1)


def test_tasks_are_acknowledged_late_and_survive_a_lost_worker():
    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True
    assert app.conf.timezone == "Europe/Amsterdam"
