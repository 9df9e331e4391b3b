"""A personal link's token is a key (ADR 0032): it stays out of the logs. Django's request log
("Not Found: /link/<token>/...") and gunicorn's access log name paths; both write the path with
the token replaced by ***. A proxy in front of Inclusie logs paths too: README says how to do
the same there."""

import logging
import re

from gunicorn.glogging import Logger

LINK_TOKEN = re.compile(r"(/link/)[^/?#\s\"]+")
REDACTED = r"\1***"


def redact(text: str) -> str:
    return LINK_TOKEN.sub(REDACTED, text)


class LinkTokenFilter(logging.Filter):
    """On any logger: the message and its arguments without a link's token."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        elif isinstance(record.args, dict):
            record.args = {
                k: redact(v) if isinstance(v, str) else v for k, v in record.args.items()
            }
        return True


class GunicornLogger(Logger):
    """gunicorn's logger (`--logger-class inclusie.log_redaction.GunicornLogger`): every part
    the access log may print (request line, path, referrer, headers, environ) without a link's
    token."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {k: redact(v) if isinstance(v, str) else v for k, v in atoms.items()}
