"""Sending an event to a partner's system over HTTP (ADR 0029): the Standard Webhooks
signature, the check of the address an administrator typed (SSRF), and one POST that follows no
redirect. No database here: partners.services.events decides what to send and records the
answer.

The address is resolved once per attempt and every address it resolves to must be allowed;
the connection then goes to that checked address (the host name still goes in `Host` and in
TLS's SNI and certificate check), so a name that resolves differently a moment later (DNS
rebinding) cannot lead the POST to an address that was not checked."""

import base64
import hashlib
import hmac
import ipaddress
import secrets
import socket
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

import urllib3
from django.utils.translation import gettext_lazy as _

from partners.models import Outcome

SECRET_START = "whsec_"  # noqa: S105 (the prefix Standard Webhooks gives a secret)
USER_AGENT = "Inclusie-gebeurtenissen/1.0"
# What is kept of a receiver's answer for the log: its start, enough to see what it said.
ANSWER_CHARS = 200


class Refused(Exception):
    """The address may not be reached: not https, no host, credentials in it, a private or
    loopback address, or a host name that does not resolve. The message is for a person."""


def new_secret() -> str:
    """A signing secret as Standard Webhooks writes it: `whsec_` and 32 random bytes."""
    return SECRET_START + base64.b64encode(secrets.token_bytes(32)).decode()


def signature(*, secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    """`v1,<base64 HMAC-SHA256 of "id.timestamp.body">` with the secret's bytes as the key."""
    key = base64.b64decode(secret.removeprefix(SECRET_START))
    signed = f"{message_id}.{timestamp}.".encode() + body
    return "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()


def headers_for(*, secret: str, message_id: str, body: bytes, now: float | None = None) -> dict:
    """The headers of one attempt: a new timestamp each time, the same id on every attempt."""
    timestamp = int(now if now is not None else time.time())
    return {
        "Content-Type": "application/cloudevents+json; charset=utf-8",
        "User-Agent": USER_AGENT,
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signature(
            secret=secret, message_id=message_id, timestamp=timestamp, body=body
        ),
    }


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    path: str

    @property
    def host_header(self) -> str:
        default = 443 if self.scheme == "https" else 80
        host = f"[{self.host}]" if ":" in self.host else self.host
        return host if self.port == default else f"{host}:{self.port}"


def target_of(url: str, *, allow_http: bool) -> Target:
    """The parts of an address a system may receive events on, or Refused with why."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        raise Refused(_("This is not a web address.")) from None
    allowed = ("https", "http") if allow_http else ("https",)
    if parts.scheme not in allowed:
        raise Refused(
            _("The address must start with https:// or http://.")
            if allow_http
            else _("The address must start with https://.")
        )
    if not parts.hostname:
        raise Refused(_("The address has no host name."))
    if parts.username or parts.password:
        raise Refused(_("Leave the user name and password out of the address."))
    if parts.fragment:
        raise Refused(_("Leave the part after # out of the address."))
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    default = 443 if parts.scheme == "https" else 80
    return Target(parts.scheme, parts.hostname, port or default, path)


def _allowed(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if ip.version == 6 and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def resolve(target: Target, *, allow_private: bool) -> list[str]:
    """The addresses to connect to, in the resolver's order, when all of them are allowed
    (public, unless allow_private); Refused otherwise."""
    try:
        found = socket.getaddrinfo(target.host, target.port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise Refused(_("The host name of the address cannot be found.")) from None
    addresses = list(dict.fromkeys(info[4][0] for info in found))
    if not addresses:
        raise Refused(_("The host name of the address cannot be found."))
    if not allow_private and not all(_allowed(a) for a in addresses):
        raise Refused(
            _("The address leads to a private or local network; only public addresses are used.")
        )
    return addresses


@dataclass(frozen=True)
class Answer:
    outcome: str
    status_code: int | None
    detail: str
    duration_ms: int

    @property
    def delivered(self) -> bool:
        return self.outcome == Outcome.DELIVERED


class _NotConnected(Exception):
    """This address did not take the connection: the next one may."""

    def __init__(self, outcome: str, detail: str):
        self.outcome, self.detail = outcome, detail


def post(
    url: str,
    *,
    body: bytes,
    headers: dict,
    timeout: float,
    allow_http: bool,
    allow_private: bool,
) -> Answer:
    """POST once to the checked address (its next address when one does not connect),
    following no redirect, waiting at most `timeout` seconds to connect and for each part of
    the answer. A 2xx is delivered; anything else is an Answer with what went wrong (never an
    exception)."""
    started = time.monotonic()

    def answer(outcome, status=None, detail=""):
        took = int((time.monotonic() - started) * 1000)
        return Answer(outcome, status, str(detail)[:ANSWER_CHARS], took)

    try:
        target = target_of(url, allow_http=allow_http)
        addresses = resolve(target, allow_private=allow_private)
    except Refused as refused:
        return answer(Outcome.ADDRESS, detail=refused)
    for address in addresses:
        try:
            status, location, text = _post_to(address, target, body, headers, timeout)
        except _NotConnected as failed:
            last = failed
            continue
        except urllib3.exceptions.TimeoutError:  # sent, but no answer in time
            return answer(Outcome.TIMEOUT, detail=f"> {timeout:g} s")
        except urllib3.exceptions.HTTPError as error:
            return answer(Outcome.CONNECTION, detail=_reason(error))
        if 200 <= status < 300:
            return answer(Outcome.DELIVERED, status)
        if 300 <= status < 400:
            return answer(Outcome.REDIRECT, status, location)
        return answer(Outcome.STATUS, status, text)
    return answer(last.outcome, detail=last.detail)


def _post_to(address: str, target: Target, body: bytes, headers: dict, timeout: float):
    """One POST to one address: (status, Location, the answer's start)."""
    options = {"timeout": urllib3.Timeout(connect=timeout, read=timeout), "retries": False}
    if target.scheme == "https":
        pool = urllib3.HTTPSConnectionPool(
            address,
            target.port,
            server_hostname=target.host,
            assert_hostname=target.host,
            cert_reqs="CERT_REQUIRED",
            **options,
        )
    else:
        pool = urllib3.HTTPConnectionPool(address, target.port, **options)
    try:
        response = pool.urlopen(
            "POST",
            target.path,
            body=body,
            headers={**headers, "Host": target.host_header},
            redirect=False,
            assert_same_host=False,
            preload_content=False,
        )
        try:
            start = response.read(ANSWER_CHARS * 4, decode_content=True)
        finally:
            response.release_conn()
    except urllib3.exceptions.NewConnectionError as error:  # before ConnectTimeoutError: a child
        raise _NotConnected(Outcome.CONNECTION, _reason(error)) from error
    except urllib3.exceptions.ConnectTimeoutError as error:
        raise _NotConnected(Outcome.TIMEOUT, f"> {timeout:g} s") from error
    finally:
        pool.close()
    text = start.decode("utf-8", "replace").strip()
    return response.status, response.headers.get("Location", ""), text


def _reason(error: Exception) -> str:
    reason = getattr(error, "reason", None) or error
    return f"{type(reason).__name__}: {reason}"
