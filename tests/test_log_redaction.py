"""A personal link's token is a key (ADR 0032) and stays out of the logs: Django's request log
and gunicorn's access log write /link/***/ where the token was."""

import datetime
import io
import logging
from types import SimpleNamespace

import pytest
from gunicorn.config import Config

from inclusie.log_redaction import GunicornLogger, LinkTokenFilter

TOKEN = "Geheim-token_1234567890abcdef"


@pytest.mark.django_db
def test_the_request_log_names_the_path_without_the_token(client):
    handler = next(
        h
        for h in logging.getLogger().handlers
        if any(isinstance(f, LinkTokenFilter) for f in h.filters)
    )
    stream = io.StringIO()
    previous = handler.setStream(stream)
    try:
        assert client.get(f"/link/{TOKEN}/hulpvragen/999/").status_code == 404
    finally:
        handler.setStream(previous)
    written = stream.getvalue()
    assert "/link/***/hulpvragen/999/" in written
    assert TOKEN not in written


def test_the_access_log_names_the_path_without_the_token():
    path = f"/link/{TOKEN}/hulpvragen/1/"
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": path,
        "PATH_INFO": path,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_REFERER": f"https://inclusie.example{path}",
    }
    request = SimpleNamespace(headers=[("REFERER", environ["HTTP_REFERER"])])
    response = SimpleNamespace(status="200 OK", sent=10, headers=[])
    atoms = GunicornLogger(Config()).atoms(
        response, request, environ, datetime.timedelta(milliseconds=5)
    )
    assert atoms["r"] == "GET /link/***/hulpvragen/1/ HTTP/1.1"
    assert TOKEN not in repr(atoms)
