"""The icons browsers ask for by themselves (issue 16, item 5): /favicon.ico and
/apple-touch-icon.png answer with the real files (not a 404), served by WhiteNoise from
static/icons/ and cached for a month; every page names them in its head."""

import struct

import pytest
from django.urls import reverse

from inclusie.static_files import ROOT_FILE_MAX_AGE


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_favicon_ico_is_a_real_icon_at_the_root_cached_for_a_month(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert response["Cache-Control"] == f"max-age={ROOT_FILE_MAX_AGE}, public"
    assert ROOT_FILE_MAX_AGE == 30 * 24 * 60 * 60
    icon = body(response)
    reserved, kind, count = struct.unpack("<HHH", icon[:6])
    assert (reserved, kind) == (0, 1), "an icon file"
    sizes = set()
    for entry in range(count):
        width, height, *_rest, length, offset = struct.unpack(
            "<BBBBHHII", icon[6 + 16 * entry : 22 + 16 * entry]
        )
        assert icon[offset : offset + 8] == b"\x89PNG\r\n\x1a\n"
        assert offset + length <= len(icon)
        sizes.add((width, height))
    assert {(16, 16), (32, 32)} <= sizes


def test_the_apple_touch_icon_is_a_180_pixel_png_at_the_root(client):
    response = client.get("/apple-touch-icon.png")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Cache-Control"] == f"max-age={ROOT_FILE_MAX_AGE}, public"
    image = body(response)
    assert image[:8] == b"\x89PNG\r\n\x1a\n" and image[12:16] == b"IHDR"
    assert struct.unpack(">II", image[16:24]) == (180, 180)


@pytest.mark.django_db
def test_every_page_names_its_icons(client):
    html = client.get(reverse("account_login")).content.decode()
    assert '<link rel="icon" href="/static/icons/favicon.ico" sizes="32x32">' in html
    assert '<link rel="icon" href="/static/img/favicon.svg" type="image/svg+xml">' in html
    assert '<link rel="apple-touch-icon" href="/static/icons/apple-touch-icon.png">' in html


def test_files_under_static_url_keep_whitenoises_own_caching():
    """Their names carry a hash in production: cached for a year, immutable."""
    from inclusie.static_files import root_file_headers

    headers = {"Cache-Control": "max-age=315360000, public, immutable"}
    root_file_headers(headers, "/app/staticfiles/css/x.css", "/static/css/inclusie.0123abcd.css")
    assert headers["Cache-Control"] == "max-age=315360000, public, immutable"
