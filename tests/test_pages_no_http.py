"""The officers' pages call their service's domain functions, never an API over HTTP.

A page that went back through HTTP — its own app over an ASGI transport, or another service
with the officer's token — would run the rules a second way and let services call each other.
This walks the source of every page module and of the shared web runtime and fails on an
import of an HTTP client, an ASGI transport, or anything of a service's ``api`` package: the
bodies its forms parse into (:func:`haven_runtime.web.domain.parse`) live beside the domain.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from haven_runtime.testing import imports_of

ROOT = Path(__file__).resolve().parents[1]
WEB = ROOT / "runtime" / "haven_runtime" / "web"
HTTP_CLIENTS = {"httpx", "requests", "aiohttp", "urllib3", "urllib.request", "http.client"}


def _modules() -> list[Path]:
    pages = [p for p in ROOT.glob("services/*/haven_*/pages/**/*.py")]
    pages += [p for p in ROOT.glob("services/*/haven_*/pages.py")]
    web = list(WEB.rglob("*.py"))
    return sorted(pages + web)


def _is_api(module: str) -> bool:
    parts = module.split(".")
    return parts[0].startswith("haven_") and "api" in parts[1:]


def _client(module: str) -> bool:
    return any(module == c or module.startswith(f"{c}.") for c in HTTP_CLIENTS)


def problems(path: Path, root: Path = ROOT) -> list[str]:
    """What ``path`` imports that a page must not (empty when it calls domain functions only)."""
    wrong = []
    for module, names in imports_of(path):
        if _client(module):
            wrong.append(f"imports the HTTP client {module}")
        if module.startswith("litestar.testing") or any(
            n in ("ASGITransport", "TestClient", "AsyncTestClient") for n in names
        ):
            wrong.append(f"imports an ASGI transport or test client from {module}")
        if module.split(".")[0].startswith("haven_") and "api" in names:
            wrong.append(f"imports the api package of {module}")
        if _is_api(module):
            wrong += [f"imports {name} from the api module {module}" for name in names or ["*"]]
    return [f"{path.relative_to(root)}: {w}" for w in wrong]


def test_the_walk_finds_every_services_pages():
    services = {p.relative_to(ROOT).parts[1] for p in _modules() if p.is_relative_to(ROOT / "services")}
    assert services == {"directory", "options", "reciprocal", "sanctuary"}


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_pages_never_call_an_api_over_http(path):
    assert problems(path) == []


def test_the_walk_catches_http_a_transport_and_a_controller(tmp_path):
    page = tmp_path / "page.py"
    page.write_text(
        "import httpx\n"
        "async def f():\n    from httpx import ASGITransport\n"
        "from haven_options.api.jwa import JwaController\n"
        "from haven_options import api\n"
        "from haven_options.api.schemas import OpenCase\n"
    )
    found = sorted(w.split(": ", 1)[1] for w in problems(page, tmp_path))
    assert found == [
        "imports JwaController from the api module haven_options.api.jwa",
        "imports OpenCase from the api module haven_options.api.schemas",
        "imports an ASGI transport or test client from httpx",
        "imports the HTTP client httpx",
        "imports the HTTP client httpx",
        "imports the api package of haven_options",
    ]
