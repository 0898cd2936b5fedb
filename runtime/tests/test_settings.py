"""Settings fail fast with a message naming the variable."""

from __future__ import annotations

import base64

import pytest

from haven_runtime.settings import DEFAULT_PORTS, SettingsError, load_settings

GOOD_KEY = "k1:" + "s" * 32
GOOD_FIELD_KEY = "f1:" + base64.b64encode(b"x" * 32).decode()


def _load(**env: str):
    return load_settings({"HAVEN_DATA_DIR": "/tmp/haven-settings-test", **env})


def test_defaults():
    s = _load()
    assert s.env == "development" and s.development
    assert [s.port(x) for x in ("options", "sanctuary", "reciprocal", "directory")] == list(DEFAULT_PORTS.values())
    assert s.database_url("options") == "sqlite:////tmp/haven-settings-test/options.sqlite3"
    assert s.plugins is None and s.disabled_plugins == ()
    assert s.max_deliver == 5 and s.log_level == "INFO"


@pytest.mark.parametrize(
    "env, variable",
    [
        ({"HAVEN_ENV": "prod"}, "HAVEN_ENV"),
        ({"HAVEN_OPTIONS_PORT": "eighty"}, "HAVEN_OPTIONS_PORT"),
        ({"HAVEN_DIRECTORY_PORT": "0"}, "HAVEN_DIRECTORY_PORT"),
        ({"HAVEN_SANCTUARY_PORT": "70000"}, "HAVEN_SANCTUARY_PORT"),
        ({"HAVEN_MAX_DELIVER": "0"}, "HAVEN_MAX_DELIVER"),
        ({"HAVEN_MAX_DELIVER": "many"}, "HAVEN_MAX_DELIVER"),
        ({"HAVEN_ACK_WAIT_SECONDS": "0"}, "HAVEN_ACK_WAIT_SECONDS"),
        ({"HAVEN_TOKEN_TTL_SECONDS": "5"}, "HAVEN_TOKEN_TTL_SECONDS"),
        ({"HAVEN_REDELIVERY_BACKOFF": "1,soon"}, "HAVEN_REDELIVERY_BACKOFF"),
        ({"HAVEN_REDELIVERY_BACKOFF": "1,-2"}, "HAVEN_REDELIVERY_BACKOFF"),
        ({"HAVEN_TOKEN_KEYS": "short:abc"}, "HAVEN_TOKEN_KEYS"),
        ({"HAVEN_TOKEN_KEYS": "no-colon-" + "x" * 40}, "HAVEN_TOKEN_KEYS"),
        ({"HAVEN_FIELD_KEYS": "f1:not-base64!"}, "HAVEN_FIELD_KEYS"),
        ({"HAVEN_FIELD_KEYS": "f1:" + base64.b64encode(b"short").decode()}, "HAVEN_FIELD_KEYS"),
        ({"HAVEN_OPTIONS_DATABASE_URL": "mysql://x"}, "HAVEN_OPTIONS_DATABASE_URL"),
        ({"HAVEN_DATABASE_URL": "mysql://x"}, "HAVEN_DATABASE_URL"),
        ({"HAVEN_LOG_LEVEL": "chatty"}, "HAVEN_LOG_LEVEL"),
        ({"HAVEN_DIRECTORY_HUB": "sometimes"}, "HAVEN_DIRECTORY_HUB"),
        ({"HAVEN_PLUGINS": "bexley,Not A Plugin"}, "HAVEN_PLUGINS"),
        ({"HAVEN_ENV": "production"}, "HAVEN_TOKEN_KEYS"),
        ({"HAVEN_ENV": "production", "HAVEN_TOKEN_KEYS": GOOD_KEY}, "HAVEN_FIELD_KEYS"),
        (
            {"HAVEN_ENV": "production", "HAVEN_TOKEN_KEYS": GOOD_KEY, "HAVEN_FIELD_KEYS": GOOD_FIELD_KEY},
            "HAVEN_BLIND_INDEX_KEY",
        ),
    ],
)
def test_bad_value_names_the_variable(env, variable):
    with pytest.raises(SettingsError) as info:
        _load(**env)
    assert variable in str(info.value)


def test_production_with_all_keys():
    s = _load(
        HAVEN_ENV="production",
        HAVEN_TOKEN_KEYS=GOOD_KEY,
        HAVEN_FIELD_KEYS=GOOD_FIELD_KEY,
        HAVEN_BLIND_INDEX_KEY="b" * 32,
    )
    assert not s.development
    assert s.signing_key() == ("k1", "s" * 32)
    assert s.encryption_keys() == [("f1", GOOD_FIELD_KEY[3:])]


def test_values_are_parsed():
    s = _load(
        HAVEN_OPTIONS_PORT="9001",
        HAVEN_DATABASE_URL="postgresql://u@h/haven_{service}",
        HAVEN_DIRECTORY_DATABASE_URL="sqlite:////tmp/dir.sqlite3",
        HAVEN_PLUGINS="bexley, bromley",
        HAVEN_DISABLED_PLUGINS="lewisham",
        HAVEN_REDELIVERY_BACKOFF="0.5,2",
        HAVEN_TOKEN_KEYS=f"{GOOD_KEY},old:{'o' * 32}",
        HAVEN_LOG_LEVEL="debug",
    )
    assert s.port("options") == 9001
    assert s.database_url("options") == "postgresql://u@h/haven_options"
    assert s.database_url("directory") == "sqlite:////tmp/dir.sqlite3"
    assert s.plugins == ("bexley", "bromley") and s.disabled_plugins == ("lewisham",)
    assert s.redelivery_backoff_seconds == (0.5, 2.0)
    assert s.verification_keys() == {"k1": "s" * 32, "old": "o" * 32}
    assert s.log_level == "DEBUG"


def test_empty_plugin_allow_list_means_none():
    assert _load(HAVEN_PLUGINS="").plugins == ()


def test_logging_is_plain_and_keeps_real_errors(capsys):
    import logging

    from haven_runtime.logs import bus_message_logger, configure_logging

    configure_logging("options", "INFO")
    try:
        bus = bus_message_logger()
        try:
            raise TimeoutError()
        except TimeoutError:
            bus.error("Task-1 raised an exception, retrying...", exc_info=True)
        try:
            raise RuntimeError("database unreachable")
        except RuntimeError:
            bus.error("Task-2 raised an exception, retrying...", exc_info=True)
        bus.info("callback for Task-3 is being executed...")
        bus.debug("Received message")
        logging.getLogger("faststream").warning("from the library")
        err = capsys.readouterr().err
        assert "\x1b[" not in err
        assert "Task-1" not in err and "Task-3" not in err and "Received message" not in err
        assert " options ERROR haven.bus.messages: Task-2 raised an exception" in err
        assert "RuntimeError: database unreachable" in err
        assert " options WARNING faststream: from the library" in err
    finally:
        root = logging.getLogger()
        for handler in list(root.handlers):
            root.removeHandler(handler)
        root.setLevel(logging.WARNING)


def test_directory_hub_is_off_unless_asked_for():
    assert _load().directory_hub is False
    assert (
        _load(HAVEN_DIRECTORY_HUB="true").directory_hub is True
        and _load(HAVEN_DIRECTORY_HUB="0").directory_hub is False
    )
