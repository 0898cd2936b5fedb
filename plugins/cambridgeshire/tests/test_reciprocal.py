"""The Cambridgeshire Housing Reciprocal scheme as the plugin declares it
(seed ``002_c1c7b199d9a53274.txt``)."""

from __future__ import annotations

import pytest

import haven_cambridgeshire.plugin as plugin
from haven_contracts.plugin.reciprocal import ReciprocalScheme
from haven_runtime.plugins import HavenPluginManager


def _manager() -> HavenPluginManager:
    pm = HavenPluginManager()
    assert pm.register(plugin, name="cambridgeshire") is not None, pm.failures
    return pm


@pytest.mark.rule("reciprocal.partnership")
def test_scheme_is_coordinated_by_the_specialist_da_service():
    """Seed 002 §1: "the working partnership between Cambridgeshire Specialist DA Services (with
    Standing Together/DAHA/Safer London as supporting partners) and Local Authorities or
    Registered Providers"."""
    pm = _manager()
    scheme = pm.call("cambridgeshire-da-services", "haven_reciprocal_scheme")
    assert isinstance(scheme, ReciprocalScheme)
    assert pm.organisation(scheme.coordinator).kind == "specialist_da_service"
    assert [p.name for p in scheme.supporting_partners] == ["Standing Together", "DAHA", "Safer London"]
    assert scheme.escalation_to == "Chief Executives/Directors"
    assert pm.call("fenland", "haven_reciprocal_scheme") is None


@pytest.mark.rule("reciprocal.partnership")
def test_partner_candidates_are_the_local_authorities_and_their_areas():
    """Seed 002 §2: "This MoU is between: Cambridgeshire Specialist DA Services [and] [LA/RP.....]" —
    no partner is named, so every Cambridgeshire and Peterborough authority is a candidate."""
    scheme = _manager().call("cambridgeshire-da-services", "haven_reciprocal_scheme")
    orgs = {c.org for c in scheme.partner_candidates}
    assert orgs == {
        "cambridge",
        "east-cambridgeshire",
        "fenland",
        "huntingdonshire",
        "south-cambridgeshire",
        "peterborough",
    }
    assert {a.id for a in scheme.areas} == orgs
    assert all(c.kind == "local_authority" and c.area == c.org for c in scheme.partner_candidates)


@pytest.mark.rule("reciprocal.vawg-strands")
def test_abuse_categories_follow_the_footnote():
    """Seed 002 footnote 1: "Sexual Violence, Sexual Exploitation including prostitution and Child
    Sexual Exploitation, Modern Slavery/Trafficking, Forced Marriage, Female Genital Mutilation
    (FGM), So Called 'Honour Based Violence and Stalking"."""
    scheme = _manager().call("cambridgeshire-da-services", "haven_reciprocal_scheme")
    assert [c.code for c in scheme.abuse_categories] == [
        "domestic_violence",
        "sexual_violence",
        "sexual_exploitation",
        "child_sexual_exploitation",
        "modern_slavery_trafficking",
        "forced_marriage",
        "female_genital_mutilation",
        "honour_based_violence",
        "stalking",
    ]


@pytest.mark.rule("reciprocal.conflict-escalation")
def test_every_level_is_a_clock_with_its_source():
    """As required: "Every timescale is a clock"; seed 002 §4 wants escalation "at the
    earliest instance", and the memorandum sets no other timescale, so each level says where it comes from."""
    scheme = _manager().call("cambridgeshire-da-services", "haven_reciprocal_scheme")
    assert scheme.conflict_escalation and "earliest instance" in scheme.conflict_escalation.source
    assert scheme.previous_tenancy_end and "previous tenancy" in scheme.previous_tenancy_end.source
    assert all(level.source and level.amount > 0 for level in scheme.stuck_levels.values())


def test_local_authority_profile_offers_in_its_own_area():
    """Seed 002 §1: a local authority offers social housing in its own area to the central pool."""
    profile = _manager().call("huntingdonshire", "haven_reciprocal_partner_profile")
    assert profile.kind == "local_authority" and profile.stock_areas == ("huntingdonshire",)
