"""An administrator may run the erasure of expired closed referrals now (audited)."""

from __future__ import annotations

from haven_reciprocal import retention
from haven_runtime.controllers import retention_controller

RetentionController = retention_controller(retention.RETENTION, "referrals")
