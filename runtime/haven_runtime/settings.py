"""Typed settings from ``HAVEN_*`` environment variables, validated once at start-up.

A bad value stops the process with a message naming the variable, rather than failing at
the first survivor's case. :func:`get_settings` caches; tests call :func:`reset_settings`.
"""

from __future__ import annotations

import base64
import functools
import ipaddress
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Literal, TypeVar

import msgspec

from haven_contracts.ids import is_org_id
from haven_contracts.subjects import SERVICES

DEFAULT_PORTS = {"options": 8701, "sanctuary": 8702, "reciprocal": 8703, "directory": 8704}
DEV_TOKEN_KEY = "dev:haven-development-only-not-a-secret-0123456789"
# A published 32-byte key, usable only outside production, where real keys are required.
DEV_FIELD_KEY = "dev:aGF2ZW4tZGV2ZWxvcG1lbnQtZmllbGQta2V5LTMyYiE="
DEV_BLIND_INDEX_KEY = "haven-development-blind-index-key-not-secret"


LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
Mode = Literal["development", "production", "test"]
MODES: tuple[Mode, ...] = ("development", "production", "test")
LogFormat = Literal["text", "json"]
LOG_FORMATS: tuple[LogFormat, ...] = ("text", "json")
TraceExporter = Literal["", "console", "otlp"]
TRACE_EXPORTERS: tuple[TraceExporter, ...] = ("", "console", "otlp")
_PLUGIN_NAME_RE = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")


class SettingsError(ValueError):
    """A ``HAVEN_*`` variable has a value Haven cannot use; the message names it."""


class Settings(msgspec.Struct, frozen=True, kw_only=True):
    env: Mode = "development"
    data_dir: Path
    host: str = "127.0.0.1"
    nats_url: str | None = None
    nats_server_bin: str | None = None
    database_urls: dict[str, str] = {}
    ports: dict[str, int] = {}
    token_keys: tuple[tuple[str, str], ...] = ()
    field_keys: tuple[tuple[str, str], ...] = ()
    blind_index_key: str | None = None
    token_ttl_seconds: int = 8 * 3600
    token_issuer: str = "haven"
    plugins: tuple[str, ...] | None = None
    disabled_plugins: tuple[str, ...] = ()
    max_deliver: int = 5
    ack_wait_seconds: int = 30
    redelivery_backoff_seconds: tuple[float, ...] = (1.0, 5.0, 30.0, 120.0)
    request_timeout_seconds: float = 5.0
    log_level: str = "INFO"
    rate_limit_auth_failures: int = 20
    rate_limit_list: int = 120
    retention_days: int = 6 * 365
    trusted_proxies: tuple[str, ...] = ()
    deployment: str = "local"
    #: None: every organisation the installed plugins serve (the all-in-one deployment)
    hosted_orgs: tuple[str, ...] | None = None
    federation_rescan_seconds: float = 30.0
    #: "json" writes one JSON object per log line (the default in production)
    log_format: LogFormat = "text"
    #: where spans go: nowhere (""), stdout ("console") or OTLP over HTTP ("otlp")
    trace_exporter: TraceExporter = ""
    #: when set, ``/metrics`` requires ``Authorization: Bearer <token>``
    metrics_token: str | None = None
    #: how often the overdue-clock sweeps run; None: each sweep's own default
    overdue_check_seconds: float | None = None
    #: how often the retention sweep runs; None: its own default
    retention_interval_seconds: float | None = None
    #: a hub deployment's directory also serves every other deployment's public listing
    directory_hub: bool = False

    @property
    def development(self) -> bool:
        return self.env != "production"

    def database_url(self, service: str) -> str:
        return self.database_urls.get(service) or f"sqlite:///{self.data_dir / f'{service}.sqlite3'}"

    def port(self, service: str) -> int:
        return self.ports.get(service, DEFAULT_PORTS[service])

    def signing_key(self) -> tuple[str, str]:
        """(kid, secret) used to sign new tokens: the first configured key."""
        if self.token_keys:
            return self.token_keys[0]
        if self.development:
            kid, secret = DEV_TOKEN_KEY.split(":", 1)
            return kid, secret
        raise SettingsError("HAVEN_TOKEN_KEYS must be set in production (kid:secret[,kid:secret...])")

    def encryption_keys(self) -> list[tuple[str, str]]:
        """(kid, base64 32-byte key) pairs; the first encrypts, all decrypt (rotation)."""
        if self.field_keys:
            return list(self.field_keys)
        if self.development:
            kid, key = DEV_FIELD_KEY.split(":", 1)
            return [(kid, key)]
        raise SettingsError("HAVEN_FIELD_KEYS must be set in production (kid:base64key[,...])")

    def blind_key(self) -> str:
        if self.blind_index_key:
            return self.blind_index_key
        if self.development:
            return DEV_BLIND_INDEX_KEY
        raise SettingsError("HAVEN_BLIND_INDEX_KEY must be set in production")

    def verification_keys(self) -> dict[str, str]:
        keys = dict(self.token_keys)
        if not keys and self.development:
            kid, secret = DEV_TOKEN_KEY.split(":", 1)
            keys[kid] = secret
        return keys


def _split(value: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in value.split(",") if v.strip())


def _int(env: dict[str, str], name: str, default: int, minimum: int = 0) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{name}={raw!r} is not a whole number") from None
    if value < minimum:
        raise SettingsError(f"{name}={value} must be at least {minimum}")
    return value


def data_dir_from(env: Mapping[str, str]) -> Path:
    """``HAVEN_DATA_DIR`` (default ``.haven``), absolute: where a deployment keeps its files."""
    return Path(env.get("HAVEN_DATA_DIR") or ".haven").expanduser().resolve()


def _seconds(env: dict[str, str], name: str) -> float | None:
    raw = env.get(name)
    if raw is None or raw == "":
        return None
    try:
        value = float(raw)
    except ValueError:
        raise SettingsError(f"{name}={raw!r} is not a number of seconds") from None
    if value <= 0:
        raise SettingsError(f"{name}={raw!r} must be positive")
    return value


Choice = TypeVar("Choice", bound=str)


def _choice(env: dict[str, str], name: str, allowed: tuple[Choice, ...], default: Choice) -> Choice:
    value = (env.get(name) or default).lower()
    for choice in allowed:
        if value == choice:
            return choice
    raise SettingsError(f"{name}={value!r}: expected one of {', '.join(repr(a) for a in allowed)}")


def load_settings(environ: dict[str, str] | None = None) -> Settings:
    """Build settings from ``environ`` (default: the process environment)."""
    env = dict(os.environ if environ is None else environ)
    mode = env.get("HAVEN_ENV", "development")
    if mode not in MODES:
        raise SettingsError(f"HAVEN_ENV={mode!r}: expected development, production or test")
    data_dir = data_dir_from(env)

    database_urls: dict[str, str] = {}
    ports: dict[str, int] = {}
    for service in SERVICES:
        key = service.upper()
        variable = f"HAVEN_{key}_DATABASE_URL" if env.get(f"HAVEN_{key}_DATABASE_URL") else "HAVEN_DATABASE_URL"
        url = env.get(variable)
        if url:
            if not url.startswith(("sqlite:///", "postgresql://", "postgres://")):
                raise SettingsError(
                    f"{variable}={url.split('://')[0]}://…: must start with sqlite:/// or postgresql://"
                )
            database_urls[service] = url.replace("{service}", service)
        ports[service] = _int(env, f"HAVEN_{key}_PORT", DEFAULT_PORTS[service], minimum=1)
        if ports[service] > 65535:
            raise SettingsError(f"HAVEN_{key}_PORT={ports[service]} is not a TCP port")

    keys: list[tuple[str, str]] = []
    for item in _split(env.get("HAVEN_TOKEN_KEYS", "")):
        kid, sep, secret = item.partition(":")
        if not sep or not kid or len(secret) < 32:
            raise SettingsError("HAVEN_TOKEN_KEYS entries must be kid:secret with a secret of at least 32 characters")
        keys.append((kid, secret))
    if mode == "production" and not keys:
        raise SettingsError("HAVEN_TOKEN_KEYS must be set in production (kid:secret[,kid:secret...])")

    field_keys: list[tuple[str, str]] = []
    for item in _split(env.get("HAVEN_FIELD_KEYS", "")):
        kid, sep, key = item.partition(":")
        try:
            raw = base64.b64decode(key, validate=True) if sep else b""
        except ValueError:
            raw = b""
        if not kid or len(raw) != 32:
            raise SettingsError("HAVEN_FIELD_KEYS entries must be kid:base64 of exactly 32 bytes")
        field_keys.append((kid, key))
    if mode == "production" and (not field_keys or not env.get("HAVEN_BLIND_INDEX_KEY")):
        raise SettingsError("HAVEN_FIELD_KEYS and HAVEN_BLIND_INDEX_KEY must be set in production")
    if mode == "production":
        published = {DEV_TOKEN_KEY.split(":", 1)[1], DEV_FIELD_KEY.split(":", 1)[1], DEV_BLIND_INDEX_KEY}
        used = {s for _, s in keys} | {k for _, k in field_keys} | {env.get("HAVEN_BLIND_INDEX_KEY", "")}
        if used & published:
            raise SettingsError("a published development key is configured in production; generate new HAVEN_*_KEYS")

    plugins = env.get("HAVEN_PLUGINS")
    backoff_raw = env.get("HAVEN_REDELIVERY_BACKOFF")
    try:
        backoff = tuple(float(x) for x in _split(backoff_raw)) if backoff_raw else (1.0, 5.0, 30.0, 120.0)
    except ValueError:
        raise SettingsError(f"HAVEN_REDELIVERY_BACKOFF={backoff_raw!r}: expected comma-separated seconds") from None
    if any(step < 0 for step in backoff):
        raise SettingsError(f"HAVEN_REDELIVERY_BACKOFF={backoff_raw!r}: delays cannot be negative")
    log_level = env.get("HAVEN_LOG_LEVEL", "INFO").upper()
    if log_level not in LOG_LEVELS:
        raise SettingsError(f"HAVEN_LOG_LEVEL={log_level.lower()!r}: expected one of {', '.join(LOG_LEVELS)}")
    for variable in ("HAVEN_PLUGINS", "HAVEN_DISABLED_PLUGINS"):
        bad = [name for name in _split(env.get(variable) or "") if not _PLUGIN_NAME_RE.fullmatch(name)]
        if bad:
            raise SettingsError(
                f"{variable}: invalid plugin name(s) {', '.join(map(repr, bad))}; expected entry-point names like "
                "'bexley'"
            )

    trusted_proxies = _split(env.get("HAVEN_TRUSTED_PROXIES", ""))
    for entry in trusted_proxies:
        try:
            ipaddress.ip_network(entry, strict=False)
        except ValueError:
            raise SettingsError(
                f"HAVEN_TRUSTED_PROXIES: {entry!r} is not an IP address or network (e.g. 10.0.0.5 or 172.16.0.0/12)"
            ) from None
    deployment = env.get("HAVEN_DEPLOYMENT") or "local"
    if not is_org_id(deployment):
        raise SettingsError(
            f"HAVEN_DEPLOYMENT={deployment!r}: expected a lower-case slug like 'bexley' or 'southwark-dartford'"
        )
    hosted_raw = env.get("HAVEN_HOSTED_ORGS")
    hosted = _split(hosted_raw) if hosted_raw is not None else None
    if hosted is not None:
        bad = [org for org in hosted if not is_org_id(org)]
        if bad or not hosted:
            raise SettingsError(f"HAVEN_HOSTED_ORGS={hosted_raw!r}: expected organisation ids like 'bexley,lewisham'")
    rescan = _seconds(env, "HAVEN_FEDERATION_RESCAN_SECONDS") or 30.0
    hub_raw = (env.get("HAVEN_DIRECTORY_HUB") or "").strip().lower()
    if hub_raw not in ("", "0", "1", "false", "true", "no", "yes"):
        raise SettingsError(f"HAVEN_DIRECTORY_HUB={hub_raw!r}: expected true or false")

    return Settings(
        env=mode,
        data_dir=data_dir,
        host=env.get("HAVEN_HOST", "127.0.0.1"),
        nats_url=env.get("HAVEN_NATS_URL") or None,
        nats_server_bin=env.get("HAVEN_NATS_SERVER_BIN") or None,
        database_urls=database_urls,
        ports=ports,
        token_keys=tuple(keys),
        field_keys=tuple(field_keys),
        blind_index_key=env.get("HAVEN_BLIND_INDEX_KEY") or None,
        token_ttl_seconds=_int(env, "HAVEN_TOKEN_TTL_SECONDS", 8 * 3600, minimum=60),
        plugins=_split(plugins) if plugins is not None else None,
        disabled_plugins=_split(env.get("HAVEN_DISABLED_PLUGINS", "")),
        max_deliver=_int(env, "HAVEN_MAX_DELIVER", 5, minimum=1),
        ack_wait_seconds=_int(env, "HAVEN_ACK_WAIT_SECONDS", 30, minimum=1),
        redelivery_backoff_seconds=backoff or (1.0,),
        log_level=log_level,
        # per client per minute / per officer per minute; off by default in test mode only
        rate_limit_auth_failures=_int(env, "HAVEN_RATE_LIMIT_AUTH_FAILURES", 0 if mode == "test" else 20),
        rate_limit_list=_int(env, "HAVEN_RATE_LIMIT_LIST", 0 if mode == "test" else 120),
        retention_days=_int(env, "HAVEN_RETENTION_DAYS", 6 * 365, minimum=1),
        # proxies whose X-Forwarded-For / X-Forwarded-Proto are believed; none by default
        trusted_proxies=trusted_proxies,
        deployment=deployment,
        hosted_orgs=tuple(dict.fromkeys(hosted)) if hosted is not None else None,
        federation_rescan_seconds=rescan,
        log_format=_choice(env, "HAVEN_LOG_FORMAT", LOG_FORMATS, "json" if mode == "production" else "text"),
        trace_exporter=_choice(env, "HAVEN_TRACE_EXPORTER", TRACE_EXPORTERS, ""),
        metrics_token=env.get("HAVEN_METRICS_TOKEN") or None,
        overdue_check_seconds=_seconds(env, "HAVEN_OPTIONS_CHECK_SECONDS"),
        retention_interval_seconds=_seconds(env, "HAVEN_RETENTION_INTERVAL"),
        directory_hub=hub_raw in ("1", "true", "yes"),
    )


@functools.cache
def get_settings() -> Settings:
    return load_settings()


def reset_settings() -> None:
    get_settings.cache_clear()
