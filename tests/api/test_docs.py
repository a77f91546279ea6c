"""/docs and /redoc work offline: every asset they reference is served by certscan itself."""

from __future__ import annotations

import re

import pytest

from tests.api.conftest import ClientFactory

ASSET_REFERENCE = re.compile(r"""(?:src|href)\s*=\s*["']([^"']+)["']|url\s*:\s*["']([^"']+)["']""")


def _references(html: str) -> list[str]:
    return [a or b for a, b in ASSET_REFERENCE.findall(html)]


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_docs_reference_only_local_urls_and_those_are_served(service_client: ClientFactory,
                                                             page: str) -> None:
    with service_client() as client:
        response = client.get(page)
        assert response.status_code == 200 and "text/html" in response.headers["content-type"]
        html = response.text
        references = _references(html)
        assert len(references) >= 2, html
        assert "http://" not in html and "https://" not in html and "//cdn" not in html, html
        for url in references:
            assert url.startswith("/") and not url.startswith("//"), url
            served = client.get(url)
            assert served.status_code == 200, url
            assert len(served.content) > 100, url
        if page == "/docs":
            assert "/openapi.json" in references
            bundle = next(u for u in references if u.endswith("swagger-ui-bundle.js"))
            # Swagger UI 5 reads the OpenAPI 3.1 document FastAPI writes (4.x renders nothing).
            assert re.search(r'"5\.\d+\.\d+"', client.get(bundle).text)
            assert client.get("/openapi.json").json()["openapi"].startswith("3.1")
