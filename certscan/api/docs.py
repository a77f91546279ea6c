"""The interactive API docs (/docs, /redoc) served from this server's own files, never from a CDN.

certscan runs offline, where FastAPI's default pages (Swagger UI and ReDoc loaded from jsDelivr, fonts from
Google) render blank. The assets come from the ``fastapi-offline`` package (Swagger UI 5, which reads the
OpenAPI 3.1 document FastAPI produces, and ReDoc); only its static files are used. The pages are built
with FastAPI's own ``get_swagger_ui_html`` / ``get_redoc_html`` pointed at a local static mount.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
from fastapi.staticfiles import StaticFiles
from starlette.responses import HTMLResponse

DOCS_URL = "/docs"
REDOC_URL = "/redoc"
OAUTH2_REDIRECT_URL = "/docs/oauth2-redirect"
ASSETS_URL = "/docs-assets"


def assets_directory() -> Path:
    """Where the installed Swagger UI / ReDoc files are (``fastapi_offline/static``)."""
    return Path(str(resources.files("fastapi_offline") / "static"))


def install_offline_docs(app: FastAPI) -> None:
    """Add /docs, its OAuth2 redirect page, /redoc and the asset mount to ``app`` (created with
    ``docs_url=None, redoc_url=None``)."""
    openapi_url = app.openapi_url or "/openapi.json"
    app.mount(ASSETS_URL, StaticFiles(directory=assets_directory()), name="docs-assets")

    def local(request: Request, path: str) -> str:
        return f"{request.scope.get('root_path', '')}{path}"

    @app.get(DOCS_URL, include_in_schema=False)
    async def swagger_ui(request: Request) -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=local(request, openapi_url), title=f"{app.title} - Swagger UI",
            swagger_js_url=local(request, f"{ASSETS_URL}/swagger-ui-bundle.js"),
            swagger_css_url=local(request, f"{ASSETS_URL}/swagger-ui.css"),
            swagger_favicon_url=local(request, f"{ASSETS_URL}/favicon.png"),
            oauth2_redirect_url=local(request, OAUTH2_REDIRECT_URL),
        )

    @app.get(OAUTH2_REDIRECT_URL, include_in_schema=False)
    async def swagger_ui_redirect() -> HTMLResponse:
        return get_swagger_ui_oauth2_redirect_html()

    @app.get(REDOC_URL, include_in_schema=False)
    async def redoc(request: Request) -> HTMLResponse:
        return get_redoc_html(
            openapi_url=local(request, openapi_url), title=f"{app.title} - ReDoc",
            redoc_js_url=local(request, f"{ASSETS_URL}/redoc.standalone.js"),
            redoc_favicon_url=local(request, f"{ASSETS_URL}/favicon.png"),
            with_google_fonts=False,
        )
