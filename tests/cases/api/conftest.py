import json

import pytest


@pytest.fixture
def call(client):
    """Call the API as a system with `key` (none: without a key), with a JSON body if given."""

    def _call(key, method, path, body=None, **headers):
        if key:
            headers["Authorization"] = f"Bearer {key}"
        extra = {}
        if body is not None:
            extra = {"data": json.dumps(body), "content_type": "application/json"}
        return getattr(client, method)(path, headers=headers, **extra)

    return _call
