"""A scheme operator's settings: the plugin's :class:`SanctuaryScheme` with core defaults.

Core defaults (used where a plugin leaves a field empty; documented in the README):

* office hours — the organisation's manifest hours, else 09:00–17:00 Monday–Friday;
* clocks — the reference process of seed ``004_d4b796f614d2cfd3.txt``: ask the police to
  inspect within 3 working days of the referral; arrange works within 24 hours of the
  police recommendations; complete works by the contractor's timescale, or within 24 hours
  when treated as an emergency (the seed gives no emergency figure: core default);
* catalogue — the reference list of section 4 of the same seed;
* funding — section 6: council tenants from existing budgets; private sector tenants and
  owner-occupiers from the Preventing Homelessness Grant; housing-association tenants: the
  landlord is asked to resource the works and the council covers them if it cannot;
* works categories — ``standard`` and ``emergency``.

The clocks, catalogue and funding defaults are Dartford's procedure: a scheme whose own
document is silent on them (Bexley's Bobby Van, Bromley's and Southwark's schemes) runs on
Dartford's rules, which :func:`core_defaults_of` lists for the scheme's page and ``haven
plugins`` ("core default, not from this organisation's procedure"); the scheme sets its own
through the fields of its ``SanctuaryScheme``.
"""

from __future__ import annotations

from dataclasses import dataclass

from haven_contracts.clocks import STANDARD_OFFICE_HOURS, OfficeHours, ServiceLevel
from haven_contracts.plugin.records import CoreDefault
from haven_contracts.plugin.sanctuary import ClockRule, FundingRule, SanctuaryScheme, SecurityMeasure
from haven_runtime.calendar import WorkingCalendar
from haven_runtime.context import ServiceContext

SEED = "004_d4b796f614d2cfd3.txt"

CORE_CLOCKS: tuple[ClockRule, ...] = (
    ClockRule(
        key="police_request",
        label="Ask the police to inspect the property",
        starts="received",
        stops="inspection_requested",
        office_hours_only=True,
        level=ServiceLevel(amount=3, unit="working_days", source=f"core default ({SEED} section 9)"),
    ),
    ClockRule(
        key="works_arranged",
        label="Arrange the works",
        starts="recommendations_received",
        stops="works_ordered",
        level=ServiceLevel(amount=24, unit="hours", source=f"core default ({SEED} section 9)"),
    ),
    ClockRule(
        key="works_completion",
        label="Complete the works (contractor's timescale)",
        starts="works_ordered",
        stops="works_completed",
        categories=("standard",),
    ),
    ClockRule(
        key="works_completion_emergency",
        label="Complete emergency works",
        starts="works_ordered",
        stops="works_completed",
        categories=("emergency",),
        level=ServiceLevel(amount=24, unit="hours", source="core default: emergency works within 24 hours"),
    ),
)

_CATALOGUE_LABELS = (
    ("fire_proof_letter_box", "Fire proof letter box"),
    ("double_locking_night_latch", "Double locking night latch"),
    ("mortice_lock", "Mortice lock"),
    ("mortice_bolt", "Mortice bolt"),
    ("door_chain", "Door chain"),
    ("mirror_tile", "Mirror tile"),
    ("window_lock", "Window lock"),
    ("door_viewer", "Door viewer"),
    ("london_bar", "London bar"),
    ("birmingham_bar", "Birmingham bar"),
    ("pas_24_door", "PAS 24 door"),
    ("security_lighting", "Security lighting"),
    ("trellis_toppings", "Trellis toppings"),
    ("fencing_2m", "2m fencing"),
    ("defensive_planting", "Defensive planting (Pyracantha, Gorse, Climbing roses, Hawthorn)"),
)
CORE_CATALOGUE: tuple[SecurityMeasure, ...] = tuple(
    SecurityMeasure(key=k, label=v, source=f"core default ({SEED} section 4)") for k, v in _CATALOGUE_LABELS
)

CORE_FUNDING: tuple[FundingRule, ...] = (
    FundingRule(tenure="council_tenant", funding="existing_budget", source=f"core default ({SEED} section 6)"),
    FundingRule(
        tenure="private_sector_tenant",
        funding="preventing_homelessness_grant",
        source=f"core default ({SEED} section 6)",
    ),
    FundingRule(
        tenure="owner_occupier", funding="preventing_homelessness_grant", source=f"core default ({SEED} section 6)"
    ),
    FundingRule(
        tenure="housing_association_tenant",
        funding="landlord",
        fallback="council",
        source=f"core default ({SEED} section 6)",
    ),
)
CORE_WORKS_CATEGORIES = ("standard", "emergency")
DARTFORD = "Dartford Borough Council's sanctuary procedure"


def _level_words(rule: ClockRule) -> str:
    if rule.level is None:
        return "the contractor's timescale"
    return f"{rule.level.amount} {rule.level.unit.replace('_', ' ')}"


def core_defaults_of(raw: SanctuaryScheme) -> tuple[CoreDefault, ...]:
    """The settings ``raw`` leaves to the core defaults, i.e. to Dartford's procedure."""
    own = {r.key for r in raw.clocks}
    out = [
        CoreDefault(
            setting=f"{r.label} clock",
            value=_level_words(r),
            taken_from=f"{DARTFORD} ({SEED} section 9)",
            set_with=f"SanctuaryScheme.clocks (a rule with key {r.key!r}) or SanctuaryScheme.omit_core_clocks",
        )
        for r in CORE_CLOCKS
        if r.key not in own and r.key not in raw.omit_core_clocks
    ]
    if not raw.catalogue:
        out.append(
            CoreDefault(
                setting="security measures catalogue",
                value=f"the {len(CORE_CATALOGUE)} measures of section 4",
                taken_from=f"{DARTFORD} ({SEED} section 4)",
                set_with="SanctuaryScheme.catalogue",
            )
        )
    if not raw.funding:
        out.append(
            CoreDefault(
                setting="funding by tenure",
                value="council budget, Preventing Homelessness Grant, or the landlord",
                taken_from=f"{DARTFORD} ({SEED} section 6)",
                set_with="SanctuaryScheme.funding",
            )
        )
    return tuple(out)


def core_defaults(plugins, org: str) -> list[CoreDefault]:
    """What ``org``'s scheme takes from the core defaults (nothing when it runs no scheme)."""
    raw = plugins.call(org, "haven_sanctuary_scheme") if plugins.serves(org) else None
    return list(core_defaults_of(raw)) if raw is not None else []


@dataclass(frozen=True)
class Scheme:
    """The effective settings of one scheme (plugin values over core defaults)."""

    org: str
    name: str
    borough: str
    office_hours: OfficeHours
    clocks: tuple[ClockRule, ...]
    catalogue: tuple[SecurityMeasure, ...]
    funding: tuple[FundingRule, ...]
    postcode_districts: frozenset[str]
    police_org: str | None
    works_categories: tuple[str, ...]
    survey: bool
    source: str
    core_defaults: tuple[CoreDefault, ...] = ()

    @property
    def calendar(self) -> WorkingCalendar:
        return WorkingCalendar(self.office_hours)

    def measure_keys(self) -> set[str]:
        return {m.key for m in self.catalogue}

    def funding_for(self, tenure: str | None) -> FundingRule | None:
        return next((r for r in self.funding if r.tenure == tenure), None)


def merge_clocks(own: tuple[ClockRule, ...], omit: tuple[str, ...]) -> tuple[ClockRule, ...]:
    """The scheme's clock rules over the core defaults, by key; ``omit`` drops core rules."""
    keys = {r.key for r in own}
    return tuple(r for r in CORE_CLOCKS if r.key not in keys and r.key not in omit) + tuple(own)


def effective(ctx: ServiceContext, raw: SanctuaryScheme) -> Scheme:
    organisation = ctx.plugins.organisation(raw.org)
    hours = raw.office_hours or (organisation.office_hours if organisation else None) or STANDARD_OFFICE_HOURS
    catalogue = list(raw.catalogue or CORE_CATALOGUE)
    known = {m.key for m in catalogue}
    for extra in ctx.plugins.call_results(raw.org, "haven_sanctuary_catalogue"):
        if extra.key not in known:
            catalogue.append(extra)
            known.add(extra.key)
    return Scheme(
        org=raw.org,
        name=raw.name,
        borough=raw.borough or (organisation.name if organisation else raw.org),
        office_hours=hours,
        clocks=merge_clocks(raw.clocks, raw.omit_core_clocks),
        catalogue=tuple(catalogue),
        funding=raw.funding or CORE_FUNDING,
        postcode_districts=frozenset(d.upper() for d in raw.postcode_districts),
        police_org=raw.police_org,
        works_categories=raw.works_categories or CORE_WORKS_CATEGORIES,
        survey=raw.survey,
        source=raw.source,
        core_defaults=core_defaults_of(raw),
    )


def scheme_for(ctx: ServiceContext, org: str) -> Scheme | None:
    """The effective scheme run by ``org``, or ``None`` when no plugin declares one."""
    cache = ctx.extras.setdefault("sanctuary_schemes", {})
    assert isinstance(cache, dict), "only this function fills the sanctuary_schemes cache"
    if org not in cache:
        raw = ctx.plugins.call(org, "haven_sanctuary_scheme") if ctx.plugins.serves(org) else None
        cache[org] = effective(ctx, raw) if raw is not None else None
    return cache[org]


def all_schemes(ctx: ServiceContext) -> list[Scheme]:
    return [s for o in ctx.plugins.organisations() if (s := scheme_for(ctx, o.id)) is not None]
