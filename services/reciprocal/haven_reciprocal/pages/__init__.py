"""Reciprocal pages: everything a coordinator and a partner's officers do in the reciprocal,
as server-rendered forms (seed ``002_c1c7b199d9a53274.txt``).

Each page controller parses its form into the API's body type and calls the same domain
function the API controller calls, with the signed-in officer as principal
(:mod:`haven_runtime.web.domain`); pages never call their own API over HTTP. Pages show
ARCs and references only; the household behind an ARC stays behind the audited identity read.
"""

from __future__ import annotations

from pathlib import Path

from haven_reciprocal.pages.conflicts import ConflictPages
from haven_reciprocal.pages.incoming import IncomingPages
from haven_reciprocal.pages.ledger import LedgerPages, ledger_chart
from haven_reciprocal.pages.partners import PartnerPages
from haven_reciprocal.pages.pool import PoolPages
from haven_reciprocal.pages.referrals import ReferralPages

TEMPLATES = Path(__file__).parent.parent / "templates"
PAGES = [ReferralPages, IncomingPages, PoolPages, PartnerPages, LedgerPages, ConflictPages]

__all__ = ["PAGES", "TEMPLATES", "ledger_chart"]
