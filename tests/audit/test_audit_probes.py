"""Each probe fails against the deliberately vulnerable blog and passes against the safe one."""

from __future__ import annotations

import pytest

from framematrix.audit.model import CANNOT_TELL, NOT_APPLICABLE, ProbeResult, Target
from framematrix.audit.probes import PROBE_NAMES, run_probes
from framematrix.audit.probes.passwords import identify


@pytest.mark.parametrize("probe", PROBE_NAMES)
def test_probe_fails_on_the_vulnerable_app(
    probe: str, hardened_results: dict[str, dict[str, ProbeResult]]
) -> None:
    result = hardened_results["vulnerable"][probe]
    assert result.passed is False, result.detail


@pytest.mark.parametrize("probe", PROBE_NAMES)
def test_probe_passes_on_the_safe_app(
    probe: str, hardened_results: dict[str, dict[str, ProbeResult]]
) -> None:
    result = hardened_results["safe"][probe]
    assert result.passed is True, result.detail


def test_findings_name_what_is_wrong(hardened_results: dict[str, dict[str, ProbeResult]]) -> None:
    bad = hardened_results["vulnerable"]
    assert "BlogKit/1.2.3" in bad["server-version-leak"].detail
    assert bad["sql-injection"].outcome == "sqli-error"
    assert "login as" in bad["sql-injection"].detail
    assert "traceback" in bad["error-disclosure"].detail
    assert bad["password-storage"].data == {"algorithm": "md5", "cost": "one round"}
    good = hardened_results["safe"]
    assert good["password-storage"].data["algorithm"] == "pbkdf2-sha256"
    assert good["x-frame-options"].outcome == "xfo-via-csp"


def test_default_profile_promises_no_redirect_and_no_db_means_no_password_probe(test_apps) -> None:  # type: ignore[no-untyped-def]
    results = {r.name: r for r in run_probes(Target(test_apps["vulnerable"].url, "default"))}
    assert results["https-redirect"].outcome == NOT_APPLICABLE
    assert results["password-storage"].outcome == NOT_APPLICABLE
    assert results["https-redirect"].passed is None


def test_api_only_target_makes_web_probes_not_applicable(test_apps) -> None:  # type: ignore[no-untyped-def]
    """A target without /login (the raw baselines) gets n/a for the web-side probes."""
    from framematrix.audit.context import Context

    ctx = Context(Target(test_apps["safe"].url, "hardened"))
    ctx.__dict__["web"] = False  # as if /login were missing
    from framematrix.audit.probes import cookies, csrf, xss

    for probe in (*cookies.PROBES, *csrf.PROBES, *xss.PROBES):
        assert probe(ctx).outcome == NOT_APPLICABLE


def test_an_unreachable_target_cannot_tell() -> None:
    from framematrix.servers import free_port

    results = run_probes(Target(f"http://127.0.0.1:{free_port()}", "hardened"))
    assert {r.outcome for r in results} <= {CANNOT_TELL, NOT_APPLICABLE}


@pytest.mark.parametrize(
    ("stored", "algorithm", "strong"),
    [
        ("pbkdf2_sha256$1000000$salt$hash=", "pbkdf2-sha256", True),
        ("pbkdf2_sha256$260000$salt$hash=", "pbkdf2-sha256", False),
        ("pbkdf2:sha256:1000000$salt$hex", "pbkdf2-sha256", True),
        ("scrypt:32768:8:1$salt$hex", "scrypt", False),
        ("scrypt:131072:8:1$salt$hex", "scrypt", True),
        ("$argon2id$v=19$m=65536,t=3,p=4$salt$hash", "argon2id", True),
        ("argon2$argon2id$v=19$m=102400,t=2,p=8$salt$hash", "argon2id", True),
        ("$argon2id$v=19$m=4096,t=1,p=1$salt$hash", "argon2id", False),
        ("$2b$12$abcdefghijklmnopqrstuu1234567890123456789012345678901", "bcrypt", True),
        (
            "bcrypt_sha256$$2b$08$abcdefghijklmnopqrstuu12345678901234567890123456789",
            "bcrypt",
            False,
        ),
        ("5f4dcc3b5aa765d61d8327deb882cf99", "md5", False),
        ("audit-password-1", "plaintext", False),
    ],
)
def test_identify_hash_formats(stored: str, algorithm: str, strong: bool) -> None:
    info = identify(stored)
    assert (info.algorithm, info.strong) == (algorithm, strong)


def test_identify_real_framework_hashes() -> None:
    from django.conf import settings

    if not settings.configured:
        settings.configure()
    from django.contrib.auth.hashers import make_password
    from werkzeug.security import generate_password_hash

    assert identify(make_password("x")).algorithm == "pbkdf2-sha256"
    assert identify(generate_password_hash("x")).algorithm == "scrypt"
