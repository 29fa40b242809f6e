"""The UI served for real on a free port, in a thread of the test process."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from framematrix.servers import free_port
from framematrix.ui.server import make_server


@pytest.fixture
def ui_url(tmp_path, monkeypatch) -> Iterator[str]:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)  # no ./runs here: the page uses the article's figures
    server = make_server("127.0.0.1", free_port())
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
