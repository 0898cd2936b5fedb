"""The bare Litestar baseline: one GET returning a small JSON body, no auth, no database,
served exactly as the services are (uvicorn, uvloop, httptools, one worker)."""

from __future__ import annotations

import sys

import uvicorn
from litestar import Litestar, get


@get("/bare")
async def bare() -> dict[str, str]:
    return {"status": "ok"}


app = Litestar([bare], openapi_config=None)

if __name__ == "__main__":
    uvicorn.run(
        app,
        host="127.0.0.1",
        port=int(sys.argv[1]),
        log_level="warning",
        access_log=False,
        loop="uvloop",
        http="httptools",
    )
