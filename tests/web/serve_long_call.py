"""Serve one long call's audio through the web app and report the peak memory (VmHWM).

Run as a script (its own process, so the peak is the server's alone):
    python -m tests.web.serve_long_call DB CALL_ID
Prints JSON: the peak RSS in MiB before and after the requests, and the bytes served.
"""

from __future__ import annotations

import json
import re
import sys


def peak_mib() -> float:
    with open("/proc/self/status") as fh:
        kib = int(re.search(r"VmHWM:\s+(\d+)", fh.read()).group(1))  # type: ignore[union-attr]
    return kib / 1024


def main(db: str, call: str) -> None:
    from callqa.web import create_app
    from tests.web.fixture_db import PASSWORD

    app = create_app(db, secret_key="test")
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    client.post("/login", data={"name": "sup", "password": PASSWORD, "csrf_token": token})
    client.get(f"/calls/{call}")
    before = peak_mib()
    served = 0
    response = client.get(f"/calls/{call}/audio", buffered=False)
    for chunk in response.response:
        served += len(chunk)
    response.close()
    part = client.get(f"/calls/{call}/audio", headers={"Range": "bytes=1000000-1999999"})
    print(
        json.dumps(
            {
                "before_mib": before,
                "after_mib": peak_mib(),
                "served": served,
                "status": response.status_code,
                "mimetype": response.mimetype,
                "range_status": part.status_code,
                "range_bytes": len(part.data),
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
