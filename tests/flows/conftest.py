"""Flow tests share one temporary Prefect server per session (it takes ~10 s to start)."""

import pytest


@pytest.fixture(scope="session")
def prefect_harness():
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture(scope="session")
def read_artifacts():
    """`read_artifacts(api_url, keys)`: the newest artifact of each key, straight from the REST API.

    (Prefect 3.8.8's sync client sends `null` for unset filter fields, which its server rejects.)
    """
    import httpx

    def read(api_url: str, keys: list[str]) -> dict:
        body = {"artifacts": {"key": {"any_": keys}}, "sort": "CREATED_DESC", "limit": 200, "offset": 0}
        response = httpx.post(f"{api_url}/artifacts/filter", json=body, timeout=30)
        response.raise_for_status()
        latest: dict = {}
        for artifact in response.json():
            latest.setdefault(artifact["key"], artifact)
        return latest

    return read
