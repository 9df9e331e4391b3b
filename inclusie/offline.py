"""The installable web app (ADR 0030): its manifest and its service worker, both served from the
site root so the worker's scope covers every page. The worker is hand-written and short
(templates/sw.js); what it keeps is decided by the pages (partners.views.offline)."""

import hashlib
import json

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from partners.views.offline import OFFLINE_HEADER

# What every page needs, fetched when the worker is installed, so a kept page has its looks
# and its behaviour without a network.
ASSETS = [
    "css/inclusie.css",
    "js/inclusie.js",
    "js/offline.js",
    "vendor/bootstrap/bootstrap.min.css",
    "vendor/bootstrap/bootstrap.bundle.min.js",
    "vendor/htmx/htmx.min.js",
    "img/favicon.svg",
    "icons/favicon.ico",
    "icons/apple-touch-icon.png",
]
# Raise when the worker's own code changes, so browsers replace it and its static cache.
WORKER_REVISION = 2


@require_GET
@never_cache
def service_worker(request):
    """The service worker script, at /sw.js: its scope is the whole site."""
    assets = [static(name) for name in ASSETS]
    version = hashlib.sha256(json.dumps([WORKER_REVISION, assets]).encode()).hexdigest()[:12]
    config = {
        "version": version,
        "assets": assets,
        "static": static(""),
        "header": OFFLINE_HEADER,
        # No page is kept longer than a session can last (ADR 0030).
        "maxAge": settings.SESSION_ABSOLUTE_TIMEOUT,
        "offline": {
            "title": _("No connection"),
            "text": _(
                "There is no network and this page is not kept on this device: only pages "
                "you opened before with a connection can be opened now."
            ),
            "start": _("To the start page"),
            "css": static("css/inclusie.css"),
            "bootstrap": static("vendor/bootstrap/bootstrap.min.css"),
        },
    }
    return render(
        request,
        "sw.js",
        {"config": json.dumps(config)},
        content_type="text/javascript; charset=utf-8",
    )


@require_GET
def manifest(request):
    """The web app manifest, at /manifest.webmanifest: a phone can put Inclusie on its home
    screen and open it as an app."""
    data = {
        "name": "Inclusie",
        "short_name": "Inclusie",
        "description": _("Joint case management in the neighbourhood"),
        "lang": request.LANGUAGE_CODE,
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#154273",
        "icons": [
            {"src": static("img/favicon.svg"), "sizes": "any", "type": "image/svg+xml"},
            {
                "src": static("icons/apple-touch-icon.png"),
                "sizes": "180x180",
                "type": "image/png",
            },
        ],
    }
    return JsonResponse(data, content_type="application/manifest+json")
