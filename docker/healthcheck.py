"""Health check for the web container: exit 0 when GET /gezond/ answers {"status": "ok"}.

Standard library only; redirects are not followed and count as failure. The request carries
X-Forwarded-Proto: https so that SECURE_SSL_REDIRECT does not turn it into a 301: gunicorn trusts
that header from 127.0.0.1 (its default FORWARDED_ALLOW_IPS) and marks the request https, as
Django does with BEHIND_TLS_PROXY=true. The Host is 127.0.0.1, so ALLOWED_HOSTS must contain
127.0.0.1, or set HEALTHCHECK_URL to an address whose host is allowed.
"""

import json
import os
import sys
import urllib.error
import urllib.request

URL = os.environ.get("HEALTHCHECK_URL", "http://127.0.0.1:8000/gezond/")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


def main() -> int:
    if not URL.startswith(("http://", "https://")):
        print(f"HEALTHCHECK_URL must be http(s), got {URL!r}", file=sys.stderr)
        return 1
    opener = urllib.request.build_opener(_NoRedirect)
    request = urllib.request.Request(URL, headers={"X-Forwarded-Proto": "https"})  # noqa: S310
    try:
        with opener.open(request, timeout=5) as response:
            body = json.load(response)
    except (urllib.error.URLError, OSError, ValueError) as exc:
        print(f"unhealthy: {exc}", file=sys.stderr)
        return 1
    if body.get("status") != "ok":
        print(f"unhealthy: {body!r}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
