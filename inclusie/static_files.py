"""How WhiteNoise serves the files at the root of the site (WHITENOISE_ROOT: the icons browsers
ask for by themselves, /favicon.ico and /apple-touch-icon.png)."""

from django.conf import settings

# Their names carry no hash, so not "forever" like the files under STATIC_URL: a changed icon
# reaches every browser within a month.
ROOT_FILE_MAX_AGE = 30 * 24 * 60 * 60


def root_file_headers(headers, path: str, url: str) -> None:
    """WHITENOISE_ADD_HEADERS_FUNCTION: a month's caching for the root files; files under
    STATIC_URL keep WhiteNoise's own (a year for hashed names)."""
    if not url.startswith(settings.STATIC_URL):
        headers["Cache-Control"] = f"max-age={ROOT_FILE_MAX_AGE}, public"
