"""Every agency and forum the source documents name is in the directory, listed by each
organisation whose procedure names it.

AG/013 principle 9 (``003_8738e4ccc4c4272a.txt``): "The Group will keep an up to date list of
local agencies" — so each landlord's own list carries the agencies the policy names. The SE
London procedures (``001_2a45bb55c36fcb52.txt``) name, borough by borough, the agencies their
officers refer and signpost to; the Joint Working Agreement (``000_93a7cd5d2a8b6030.txt``) names
the DV sub-group that "will meet quarterly".
"""

from __future__ import annotations

import pytest

from haven_runtime.plugins import build_plugin_manager
from haven_runtime.testing.plugins import assert_sources_in_seed, normalise, seed_text

pytestmark = pytest.mark.asyncio

JWA = "000_93a7cd5d2a8b6030.txt"
SE_LONDON = "001_2a45bb55c36fcb52.txt"
AG013 = "003_8738e4ccc4c4272a.txt"

#: (seed, organisation whose procedure names the agency, agency id, the seed's words naming it)
NAMED = [
    (AG013, "dales-housing", "womens-aid", "other agencies e.g. Women's Aid"),
    (AG013, "seven-locks-housing", "womens-aid", "other agencies e.g. Women's Aid"),
    (SE_LONDON, "bexley", "bexley-womens-aid", "Floating support is provided by Bexley Women's Aid"),
    (SE_LONDON, "bexley", "victim-support", "Other floating support providers include Victim Support, Refuge"),
    (SE_LONDON, "bexley", "refuge", "Other floating support providers include Victim Support, Refuge"),
    (SE_LONDON, "bexley", "erith-law-centre", "Staff can also signpost to Erith law centre, the CAB"),
    (SE_LONDON, "bexley", "bexley-citizens-advice", "Staff can also signpost to Erith law centre, the CAB"),
    (SE_LONDON, "bromley", "bromley-community-safety-unit", "a police officer from Bromley Community Safety Unit"),
    (SE_LONDON, "bromley", "bromley-womens-aid", "representative from Bromley Women's Aid and Victim Support"),
    (SE_LONDON, "bromley", "victim-support", "representative from Bromley Women's Aid and Victim Support"),
    (SE_LONDON, "bromley", "refuge", "Housing Options staff contact Refugeline"),
    (SE_LONDON, "greenwich", "newtrack", "NewTrack which is a subsidiary of HACTRAC"),
    (
        SE_LONDON,
        "greenwich",
        "asra",
        "Floating support is available from providers such as Asra, Refuge and Women's Aid.",
    ),
    (
        SE_LONDON,
        "greenwich",
        "refuge",
        "Floating support is available from providers such as Asra, Refuge and Women's Aid.",
    ),
    (
        SE_LONDON,
        "greenwich",
        "womens-aid",
        "Floating support is available from providers such as Asra, Refuge and Women's Aid.",
    ),
    (SE_LONDON, "greenwich", "womens-trust", "they are employed by the Women's Trust"),
    (SE_LONDON, "lewisham", "refuge", "referral is made to the floating support providers, Refuge."),
]

BOROUGHS = ("bexley", "bromley", "greenwich", "lewisham", "southwark")


@pytest.mark.rule("ag013.agency-list", "jwa.quarterly-sub-group")
async def test_every_agency_the_documents_name_is_listed_by_the_organisation_that_names_it(
    start_service, haven_settings, token
):
    manager = build_plugin_manager(haven_settings)
    for seed, org, agency, words in NAMED:
        assert normalise(words) in seed_text(seed), (seed, words)
        listed = {a.id: a for d in manager.call_results(org, "haven_directory_data") for a in d.agencies}
        assert agency in listed, f"{org}'s directory data does not list {agency} ({seed}: {words!r})"
    new = [
        a
        for d in manager.call_results("seven-locks-housing", "haven_directory_data")
        for a in d.agencies
        if a.id == "womens-aid"
    ]
    assert_sources_in_seed(AG013, new)

    directory = await start_service("directory")
    names = {a: n for s, o, a, n in NAMED}
    organisations = []
    page = 1
    while True:
        body = (await directory.get("/organizations", params={"page": page, "per_page": 50})).json()
        organisations += body["contents"]
        if body["last_page"]:
            break
        page += 1
    in_directory = {o["name"] for o in organisations}
    expected = {
        a.name
        for o in {o for _, o, _, _ in NAMED}
        for d in manager.call_results(o, "haven_directory_data")
        for a in d.agencies
        if a.id in names
    }
    assert expected <= in_directory, expected - in_directory

    # the Joint Working Agreement's DV sub-group, quarterly, in each of the five boroughs' listings
    forums = (await directory.get("/catalogue/forums", headers=token("bexley", "dv_lead"))).json()
    subgroups = {f["org"]: f for f in forums if f["key"].endswith("-jwa-dv-subgroup")}
    assert set(subgroups) == set(BOROUGHS)
    assert all(f["cadence"] == "quarterly" and f["schedule"]["interval"] == 3 for f in subgroups.values())
    assert "A DV sub-group will meet quarterly" in seed_text(JWA)
