"""uv finds packages where pip does: pip's configured indexes and wheel folders become uv's."""

from __future__ import annotations

from pathlib import Path

import pytest

from framematrix.versions import uv


def test_pips_sources_become_uvs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "pip.conf"
    config.write_text("[global]\nindex-url = https://pypi.example/simple\n"
                      "extra-index-url = file:///mirror/a file:///mirror/b\n"
                      "find-links = /wheels\n")  # fmt: skip
    monkeypatch.setenv("PIP_CONFIG_FILE", str(config))
    monkeypatch.delenv("PIP_FIND_LINKS", raising=False)
    found = uv.pip_sources.__wrapped__()
    assert found["UV_DEFAULT_INDEX"] == "https://pypi.example/simple"
    assert found["UV_INDEX"] == "file:///mirror/a file:///mirror/b"
    assert found["UV_INDEX_STRATEGY"] == "unsafe-best-match"  # pip trusts every index alike
    assert "/wheels" in found["UV_FIND_LINKS"].split(",")


def test_uvs_own_settings_win(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("UV_INDEX_URL", "https://mine.example/simple")
    assert uv._uv_configured("UV_DEFAULT_INDEX") and not uv._uv_configured("UV_FIND_LINKS")
