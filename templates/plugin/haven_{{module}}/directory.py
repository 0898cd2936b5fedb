"""{{title}}: directory data — the named officers other organisations contact.

The officers below are invented placeholders: replace them with real positions, or manage people
through the directory service's API and keep only stable keys here.
"""

from __future__ import annotations

from haven_contracts.plugin import hookimpl
from haven_contracts.plugin.directory import DirectoryData, OfficerRecord


OFFICERS = (
    OfficerRecord(key="{{org}}-dv-lead", org="{{org}}", name="{{title}} DV Lead (invented)",
                  positions=("dv_lead",), email="dv.lead@{{org}}.example"),
)


@hookimpl
def haven_directory_data(org: str) -> DirectoryData:
    return DirectoryData(officers=tuple(o for o in OFFICERS if o.org == org))
