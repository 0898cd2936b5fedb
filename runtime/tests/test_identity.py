"""Identity hardening: signed tokens with expiry and key
rotation, keys from configuration only, and no development issuer in production."""

from __future__ import annotations

import time

import jwt
import pytest
from click.testing import CliRunner

from haven_runtime.identity import TokenError, issue_token, verify_token
from haven_runtime.settings import DEV_BLIND_INDEX_KEY, DEV_FIELD_KEY, DEV_TOKEN_KEY, SettingsError, load_settings

K_NEW = "new:" + "n" * 64
K_OLD = "old:" + "o" * 40
FIELD = "f1:" + "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWY="


def settings(keys: str = K_NEW, **extra: str):
    return load_settings({"HAVEN_ENV": "test", "HAVEN_TOKEN_KEYS": keys, **extra})


def production(**extra: str) -> dict[str, str]:
    env = {
        "HAVEN_ENV": "production",
        "HAVEN_TOKEN_KEYS": K_NEW,
        "HAVEN_FIELD_KEYS": FIELD,
        "HAVEN_BLIND_INDEX_KEY": "b" * 40,
    }
    env.update(extra)
    return env


def test_token_round_trip():
    s = settings()
    p = verify_token(issue_token("officer-9", "bexley", ["dv_lead"], settings=s), s)
    assert (p.sub, p.org, p.roles, p.senior) == ("officer-9", "bexley", frozenset({"dv_lead"}), True)


def test_expired_token_is_refused():
    s = settings()
    kid, secret = s.signing_key()
    now = int(time.time())
    claims = {"sub": "x", "org": "bexley", "roles": [], "iat": now - 100, "exp": now - 10, "iss": s.token_issuer}
    with pytest.raises(TokenError, match="expired"):
        verify_token(jwt.encode(claims, secret, algorithm="HS256", headers={"kid": kid}), s)


def test_token_signed_with_another_secret_under_a_known_kid_is_refused():
    s = settings()
    forged = issue_token("x", "bexley", ["admin"], settings=s, key=("new", "z" * 40))
    with pytest.raises(TokenError, match="[Ss]ignature"):
        verify_token(forged, s)


def test_unknown_kid_and_malformed_tokens_are_refused():
    s = settings()
    with pytest.raises(TokenError, match="unknown key"):
        verify_token(issue_token("x", "bexley", [], settings=s, key=("stranger", "s" * 40)), s)
    for bad in ("", "abc", "a.b.c"):
        with pytest.raises(TokenError):
            verify_token(bad, s)


def test_unsigned_and_other_algorithm_tokens_are_refused():
    s = settings()
    now = int(time.time())
    claims = {"sub": "x", "org": "bexley", "roles": ["admin"], "iat": now, "exp": now + 60, "iss": "haven"}
    unsigned = jwt.encode(claims, None, algorithm="none", headers={"kid": "new"})
    with pytest.raises(TokenError):
        verify_token(unsigned, s)
    hs512 = jwt.encode(claims, "n" * 64, algorithm="HS512", headers={"kid": "new"})
    with pytest.raises(TokenError):
        verify_token(hs512, s)


def test_wrong_issuer_missing_claims_and_bad_roles_are_refused():
    s = settings()
    kid, secret = s.signing_key()
    now = int(time.time())
    base = {"sub": "x", "org": "bexley", "roles": ["dv_lead"], "iat": now, "exp": now + 60, "iss": "haven"}
    for change in ({"iss": "elsewhere"}, {"org": "Not An Org"}, {"roles": ["superuser"]}, {"roles": "admin"}):
        with pytest.raises(TokenError):
            verify_token(jwt.encode(base | change, secret, algorithm="HS256", headers={"kid": kid}), s)
    for missing in ("exp", "sub", "org"):
        claims = {k: v for k, v in base.items() if k != missing}
        with pytest.raises(TokenError):
            verify_token(jwt.encode(claims, secret, algorithm="HS256", headers={"kid": kid}), s)


def test_rotation_new_key_signs_old_key_still_verifies_until_removed():
    before = settings(K_OLD)
    old_token = issue_token("x", "bexley", ["dv_lead"], settings=before)
    during = settings(f"{K_NEW},{K_OLD}")
    assert verify_token(old_token, during).org == "bexley"
    new_token = issue_token("x", "bexley", ["dv_lead"], settings=during)
    assert jwt.get_unverified_header(new_token)["kid"] == "new"
    after = settings(K_NEW)
    assert verify_token(new_token, after).org == "bexley"
    with pytest.raises(TokenError, match="unknown key"):
        verify_token(old_token, after)


def test_issue_token_refuses_unknown_roles_and_bad_org():
    s = settings()
    with pytest.raises(TokenError, match="unknown role"):
        issue_token("x", "bexley", ["root"], settings=s)
    with pytest.raises(TokenError, match="organisation"):
        issue_token("x", "Bexley Council", ["dv_lead"], settings=s)


def test_production_refuses_missing_keys():
    with pytest.raises(SettingsError, match="HAVEN_TOKEN_KEYS"):
        load_settings({k: v for k, v in production().items() if k != "HAVEN_TOKEN_KEYS"})
    with pytest.raises(SettingsError, match="HAVEN_FIELD_KEYS"):
        load_settings({k: v for k, v in production().items() if k != "HAVEN_FIELD_KEYS"})
    with pytest.raises(SettingsError, match="HAVEN_BLIND_INDEX_KEY"):
        load_settings({k: v for k, v in production().items() if k != "HAVEN_BLIND_INDEX_KEY"})
    assert load_settings(production()).env == "production"


@pytest.mark.parametrize(
    "override",
    [
        {"HAVEN_TOKEN_KEYS": DEV_TOKEN_KEY},
        {"HAVEN_FIELD_KEYS": DEV_FIELD_KEY},
        {"HAVEN_BLIND_INDEX_KEY": DEV_BLIND_INDEX_KEY},
    ],
)
def test_production_refuses_the_published_development_keys(override):
    with pytest.raises(SettingsError, match="development key"):
        load_settings(production(**override))


def test_production_settings_never_fall_back_to_the_development_key():
    s = load_settings(production())
    assert DEV_TOKEN_KEY.split(":", 1)[0] not in s.verification_keys()
    dev_token = issue_token("x", "bexley", ["admin"], settings=load_settings({"HAVEN_ENV": "development"}))
    with pytest.raises(TokenError):
        verify_token(dev_token, s)


def test_short_token_secret_is_refused():
    with pytest.raises(SettingsError, match="at least 32"):
        settings("k:short")


def test_haven_token_command_is_refused_in_production(monkeypatch):
    from haven_runtime.ops import cli
    from haven_runtime.settings import reset_settings

    for name, value in production().items():
        monkeypatch.setenv(name, value)
    reset_settings()
    try:
        result = CliRunner().invoke(cli.main, ["token", "--org", "bexley", "--role", "admin"])
    finally:
        reset_settings()
    assert result.exit_code != 0
    assert "disabled in production" in result.output
    assert "eyJ" not in result.output


def test_haven_token_command_works_in_development(monkeypatch, tmp_path):
    from haven_runtime.ops import cli
    from haven_runtime.settings import reset_settings

    monkeypatch.setenv("HAVEN_ENV", "development")
    monkeypatch.setenv("HAVEN_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("HAVEN_TOKEN_KEYS", raising=False)
    reset_settings()
    try:
        result = CliRunner().invoke(cli.main, ["token", "--org", "bexley", "--role", "dv_lead"])
    finally:
        reset_settings()
    assert result.exit_code == 0, result.output
    assert verify_token(result.output.strip(), load_settings({"HAVEN_ENV": "development"})).org == "bexley"


def test_haven_token_command_refuses_an_organisation_no_plugin_serves(monkeypatch, tmp_path):
    from haven_runtime.ops import cli
    from haven_runtime.settings import reset_settings

    monkeypatch.setenv("HAVEN_ENV", "development")
    monkeypatch.setenv("HAVEN_DATA_DIR", str(tmp_path))
    reset_settings()
    try:
        result = CliRunner().invoke(cli.main, ["token", "--org", "nowhere", "--role", "dv_lead"])
        monkeypatch.setenv("HAVEN_PLUGINS", "bexley")
        reset_settings()
        narrowed = CliRunner().invoke(cli.main, ["token", "--org", "bromley", "--role", "dv_lead"])
    finally:
        reset_settings()
    assert result.exit_code != 0
    assert "no installed plugin serves organisation 'nowhere'" in result.output and "bexley" in result.output
    assert "eyJ" not in result.output
    assert narrowed.exit_code != 0 and "served: bexley" in narrowed.output


def test_a_cached_verification_still_honours_expiry_and_key_rotation(monkeypatch):
    """A token verified once is not decoded again, but its expiry is checked on every use
    and a key removed from the configuration stops matching at once."""
    from haven_runtime import identity
    from haven_runtime.settings import load_settings

    settings = load_settings(
        {
            "HAVEN_ENV": "test",
            "HAVEN_TOKEN_KEYS": "k1:first-secret-0123456789abcdef0123456789,k2:second-secret-0123456789abcdef012345678",
            "HAVEN_DATA_DIR": "/tmp",
        }
    )
    short = identity.issue_token("officer-8", "bexley", ["options_officer"], settings=settings, ttl_seconds=60)
    assert identity.verify_token(short, settings).sub == "officer-8"
    with pytest.raises(identity.TokenError, match="expired"):
        identity.verify_token(short, settings, now=time.time() + 61)  # expired although verified (and cached) before
    with pytest.raises(identity.TokenError, match="expired"):
        identity.verify_token(short, settings, now=time.time() + 61)  # and again, now that the cache has dropped it
    tok = identity.issue_token("officer-9", "bexley", ["options_officer"], settings=settings, ttl_seconds=60)
    assert identity.verify_token(tok, settings).org == "bexley"
    monkeypatch.setattr(identity, "_verify", lambda *a: pytest.fail("decoded again"))
    assert identity.verify_token(tok, settings).org == "bexley"  # from the cache
    monkeypatch.undo()
    rotated = load_settings(
        {
            "HAVEN_ENV": "test",
            "HAVEN_TOKEN_KEYS": "k2:second-secret-0123456789abcdef012345678",
            "HAVEN_DATA_DIR": "/tmp",
        }
    )
    with pytest.raises(identity.TokenError):
        identity.verify_token(tok, rotated)
