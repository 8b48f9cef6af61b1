"""A hostile upload (issue 13) is parsed in a separate process under a time budget: the app keeps answering
other requests meanwhile, and the upload is refused with one line once over budget."""

from __future__ import annotations

import sys
import threading
import time
from pathlib import Path

from fastapi.testclient import TestClient

from govreport.web.app import create_app
from govreport.web.worker import Budget

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from bench_adversarial import build  # noqa: E402


def test_a_slow_upload_neither_freezes_the_app_nor_runs_past_its_budget():
    client = TestClient(create_app(None, max_upload=16 * 1024 * 1024, budget=Budget(seconds=1)),
                        base_url="http://127.0.0.1")
    slow = build("pairs", 8.0).encode("utf-8")  # several seconds to parse even for linear code
    done: dict[str, object] = {}

    def post() -> None:
        done["upload"] = client.post("/upload", files={"file": ("slow.txt", slow)}, follow_redirects=False)
        done["upload_at"] = time.monotonic()

    worker = threading.Thread(target=post)
    worker.start()
    deadline = time.monotonic() + 60
    while not client.app.state.parsing and time.monotonic() < deadline:  # until the upload is being parsed
        time.sleep(0.02)
    page = client.get("/upload")
    page_at = time.monotonic()
    worker.join(300)
    assert page.status_code == 200
    res = done["upload"]
    assert res.status_code == 422 and "slow.txt: parsing took longer than the budget of 1 s" in res.text
    assert page_at < done["upload_at"] - 0.5, "the page waited for the upload's parse"
