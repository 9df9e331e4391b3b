"""partners.webhooks (ADR 0029): the Standard Webhooks signature against the specification's
published test vector, the rules for an address a system receives events on, and what one POST
records when the other side does not answer as it should."""

import pytest

from partners import webhooks
from partners.models import Outcome

# The test vector the Standard Webhooks specification publishes (and every library tests).
VECTOR = {
    "secret": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
    "message_id": "msg_p5jXN8AQM9LWM0D4loKWxJek",
    "timestamp": 1614265330,
    "body": b'{"test": 2432232314}',
}


def test_the_signature_is_the_standard_webhooks_one():
    assert webhooks.signature(**VECTOR) == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="


def test_each_attempt_has_its_own_timestamp_and_the_same_id():
    first = webhooks.headers_for(secret=VECTOR["secret"], message_id="e1", body=b"{}", now=100)
    later = webhooks.headers_for(secret=VECTOR["secret"], message_id="e1", body=b"{}", now=160)
    assert (first["webhook-id"], first["webhook-timestamp"]) == ("e1", "100")
    assert later["webhook-timestamp"] == "160"
    assert first["webhook-signature"] != later["webhook-signature"]


def test_a_new_secret_is_32_random_bytes():
    secret = webhooks.new_secret()
    assert secret.startswith("whsec_") and secret != webhooks.new_secret()
    assert len(webhooks.base64.b64decode(secret.removeprefix("whsec_"))) == 32


@pytest.mark.parametrize(
    ("url", "path", "host_header"),
    [
        ("https://zaak.example.nl/gebeurtenissen?bron=inclusie", "/gebeurtenissen?bron=inclusie",
         "zaak.example.nl"),
        ("https://zaak.example.nl:8443", "/", "zaak.example.nl:8443"),
        ("http://[2001:db8::1]:8080/x", "/x", "[2001:db8::1]:8080"),
    ],
)  # fmt: skip
def test_the_parts_of_an_address(url, path, host_header):
    target = webhooks.target_of(url, allow_http=True)
    assert (target.path, target.host_header) == (path, host_header)


@pytest.mark.parametrize(
    "address",
    ["127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1",
     "0.0.0.0", "::1", "fe80::1", "fd00::1", "::ffff:127.0.0.1", "224.0.0.1", "localhost"],  # noqa: S104
)  # fmt: skip
def test_private_and_local_addresses_are_refused_unless_allowed(address):
    host = f"[{address}]" if ":" in address else address
    target = webhooks.target_of(f"https://{host}/", allow_http=False)
    with pytest.raises(webhooks.Refused, match="privé- of lokaal netwerk"):
        webhooks.resolve(target, allow_private=False)
    assert webhooks.resolve(target, allow_private=True)


def test_a_public_address_is_allowed():
    target = webhooks.target_of("https://9.9.9.9/", allow_http=False)
    assert webhooks.resolve(target, allow_private=False) == ["9.9.9.9"]


def test_a_closed_port_is_no_connection_not_a_time_out(spare_port):
    answer = webhooks.post(
        f"http://127.0.0.1:{spare_port()}/",
        body=b"{}",
        headers={},
        timeout=5,
        allow_http=True,
        allow_private=True,
    )
    assert answer.outcome == Outcome.CONNECTION and answer.status_code is None
    assert answer.duration_ms < 5000 and not answer.delivered


def test_an_error_answer_is_kept_short(receiver):
    receiver.answers = [(422, 0, {})]
    answer = webhooks.post(
        receiver.url(), body=b"{}", headers={}, timeout=5, allow_http=True, allow_private=True
    )
    assert (answer.outcome, answer.status_code, answer.detail) == (
        Outcome.STATUS,
        422,
        "status 422",
    )
