"""An administrator may run the erasure of expired closed referrals now (audited)."""

from __future__ import annotations

from haven_runtime.controllers import retention_controller
from haven_sanctuary import retention

RetentionController = retention_controller(retention.RETENTION, "referrals")
