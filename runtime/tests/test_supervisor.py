"""`haven up`'s restart policy: back-off doubling to a cap, clean exits restart at once, and
the suite gives up only after repeated crashes within the window."""

from __future__ import annotations

from haven_runtime.ops import supervisor
from haven_runtime.ops.supervisor import Suite, Supervised
from haven_runtime.testing import make_settings


def test_backoff_doubles_and_the_suite_gives_up_after_repeated_crashes(tmp_path, capsys):
    suite = Suite(make_settings(tmp_path, "nats://127.0.0.1:1"))
    info = Supervised()
    delays = []
    for n in range(supervisor.MAX_CRASHES):
        assert suite._schedule("options", info, -9, now=100.0 + n)
        delays.append(info.restart_at - (100.0 + n))
        info.restart_at = None
    assert delays == [1.0, 2.0, 4.0, 8.0, 16.0]
    assert not suite._schedule("options", info, -9, now=106.0)  # one too many within the window
    assert "giving up" in capsys.readouterr().err


def test_crashes_outside_the_window_are_forgotten_and_clean_exits_are_not_crashes(tmp_path):
    suite = Suite(make_settings(tmp_path, "nats://127.0.0.1:1"))
    info = Supervised()
    for n in range(supervisor.MAX_CRASHES):
        assert suite._schedule("options", info, 1, now=float(n))
    later = supervisor.CRASH_WINDOW + 10.0
    assert suite._schedule("options", info, 1, now=later)
    assert info.crashes == [later] and info.restart_at == later + 1.0
    assert suite._schedule("options", info, 0, now=later + 1)
    assert info.crashes == [later] and info.restart_at == later + 1  # at once
    assert Supervised(crashes=[0.0] * 9).backoff() == supervisor.BACKOFF_MAX
