"""The bare Litestar baseline: one GET returning a small JSON body, no auth, no database,
served exactly as the services are (uvicorn, uvloop, httptools, one worker)."""

from __future__ import annotations

from _serve import serve
from litestar import Litestar, get


@get("/bare")
async def bare() -> dict[str, str]:
    return {"status": "ok"}


app = Litestar([bare], openapi_config=None)

if __name__ == "__main__":
    serve(app)
