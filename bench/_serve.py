"""How the benchmark's own apps (the bare and floor baselines) are served: exactly as the
services are (uvicorn, uvloop, httptools, one worker, no access log), on the port given as
the script's first argument. Kept apart from ``_common`` so a baseline imports nothing of Haven's."""

from __future__ import annotations

import sys

import uvicorn


def serve(app) -> None:
    uvicorn.run(
        app,
        host="127.0.0.1",
        port=int(sys.argv[1]),
        log_level="warning",
        access_log=False,
        loop="uvloop",
        http="httptools",
    )
