"""The housing options available on a case: the core range plus what the organisation adds.

``000_93a7cd5d2a8b6030.txt``: "Boroughs will seek to offer a wide range of housing options
to people fleeing domestic violence from the outset" — "options such as sanctuary schemes or
facilitating access to private rented sector accommodation through rent deposit schemes",
with "links to appropriate support agencies". The core list below covers the kinds every
procedure in ``001_2a45bb55c36fcb52.txt`` and ``003_8738e4ccc4c4272a.txt`` names; each
organisation's plugins add their own (``haven_housing_options``), and a plugin option with
``replaces`` stands in for the core one (Bexley's Bobby Van for the sanctuary scheme).

Choosing a ``sanctuary_scheme`` option refers the case to the scheme (the organisation from
``haven_sanctuary_scheme_for``, default the case's own) with ``SanctuaryReferralRequested``;
choosing a transfer, a reciprocal move or an option that carries a floating support referral
opens those referrals on their clocks (:mod:`haven_options.referrals`).

Choosing an option that contacts someone outside the organisation (``needs_consent``) needs
the client's permission first — ``003_8738e4ccc4c4272a.txt`` principle 5: "the employee
carrying out the interview will contact external agencies such as the Local Authority,
Police, Solicitor, or the local advice agency with the permission of the victim." Without an
active ``contact_agency`` consent for the option's recipient (:func:`consent_recipient`) or
a recorded safeguarding override, the choice is refused (409) and nothing changes.
"""

from __future__ import annotations

from datetime import UTC, datetime

from haven_contracts.events.options import OptionDecided, OptionsOffered, SanctuaryReferralRequested
from haven_contracts.ids import new_reference
from haven_contracts.plugin.options import CORE_OPTION_IDS, CaseFacts, HousingOption, SchemeOperator
from haven_options import consent, referrals
from haven_options.tables import Case, CaseOption, Referral
from haven_runtime.context import ServiceContext
from haven_runtime.errors import conflict, unprocessable
from haven_runtime.identity import Principal
from haven_runtime.plugins import unique_by_key
from haven_runtime.store import UnitOfWork

SOCIAL = ("council_secure", "housing_association")
CORE_SOURCE = "000_93a7cd5d2a8b6030.txt: a wide range of housing options ... from the outset"


def core_options(case: CaseFacts) -> list[HousingOption]:
    """The core range, with eligibility from the case facts."""
    homeless = case.may_be_homeless or case.unable_to_return_home
    social = case.tenure in SOCIAL
    stays_home = case.perpetrator_at_property is not True and case.tenure not in (
        "no_fixed_abode",
        "temporary_accommodation",
    )
    return [
        HousingOption(
            id="refuge",
            title="Refuge",
            kind="refuge",
            refer_to="Refugeline / national domestic abuse helpline",
            reason="open to anyone fleeing domestic abuse",
            source=CORE_SOURCE,
        ),
        HousingOption(
            id="temporary_accommodation",
            title="Temporary / emergency accommodation",
            kind="temporary_accommodation",
            eligible=homeless,
            reason="the client may be homeless or cannot return home"
            if homeless
            else "the client is not homeless and can return home",
            refer_to="the organisation's emergency accommodation",
            needs_consent=False,
            source=CORE_SOURCE,
        ),
        HousingOption(
            id="sanctuary_scheme",
            title="Sanctuary scheme",
            kind="sanctuary_scheme",
            eligible=stays_home,
            reason=(
                "the client wishes to stay and the perpetrator does not live at the property"
                if stays_home
                else "a sanctuary scheme needs a home the perpetrator does not live in"
            ),
            refer_to="sanctuary project officer",
            source=CORE_SOURCE,
        ),
        HousingOption(
            id="private_rented",
            title="Rent deposit / private rented sector",
            kind="private_rented",
            reason="access to private rented accommodation through a rent deposit scheme",
            source=CORE_SOURCE,
        ),
        HousingOption(
            id="transfer",
            title="Management or priority transfer",
            kind="transfer",
            eligible=social,
            reason="the client is a social tenant" if social else "only social tenants can transfer",
            refer_to="the landlord",
            source="003_8738e4ccc4c4272a.txt principle 7: a priority transfer",
        ),
        HousingOption(
            id="reciprocal",
            title="Reciprocal move",
            kind="reciprocal",
            eligible=social,
            reason="the client is a social tenant" if social else "a reciprocal move is between social landlords",
            refer_to="reciprocal scheme coordinator",
            source="003_8738e4ccc4c4272a.txt principle 8: a reciprocal arrangement",
        ),
        HousingOption(
            id="floating_support",
            title="Floating support",
            kind="floating_support",
            reason="support to keep or set up a home",
            refer_to="floating support provider",
            source=CORE_SOURCE,
        ),
        HousingOption(
            id="legal_remedies",
            title="Legal remedies",
            kind="legal_remedies",
            reason="injunctions and occupation orders (Family Law Act 1996)",
            refer_to="solicitor / law centre",
            source="003_8738e4ccc4c4272a.txt principle 4: possible legal remedies",
        ),
        HousingOption(
            id="signposting",
            title="Signposting to support agencies",
            kind="signposting",
            reason="links to appropriate support agencies",
            refer_to="IDVA / local DV support services",
            needs_consent=False,
            source="000_93a7cd5d2a8b6030.txt: links to appropriate support agencies",
        ),
        HousingOption(
            id="landlord_negotiation",
            title="Negotiation with the landlord",
            kind="landlord_negotiation",
            eligible=case.tenure in (*SOCIAL, "private_rented"),
            reason="the client has a landlord"
            if case.tenure in (*SOCIAL, "private_rented")
            else "the client has no landlord",
            refer_to="the landlord",
            source="001_2a45bb55c36fcb52.txt (Bromley): Landlord negotiation",
        ),
    ]


def options_for(ctx: ServiceContext, case: CaseFacts) -> list[HousingOption]:
    """Core options plus the organisation's; a plugin option with ``replaces`` takes the core one's place.

    Two options with one id (from two plugins, or a plugin and the core without ``replaces``)
    are a plugin defect: :class:`~haven_runtime.plugins.PluginError` names them rather than one
    silently hiding the other from the officer.
    """
    added = [
        (plugin, o)
        for plugin, o in ctx.plugins.results_by_plugin(case.org, "haven_housing_options", case=case)
        if isinstance(o, HousingOption)
    ]
    replaced = {o.replaces for _, o in added if o.replaces in CORE_OPTION_IDS}
    core = [("core", o) for o in core_options(case) if o.id not in replaced]
    return unique_by_key([*core, *added], "id", what="housing option")


def scheme_for(ctx: ServiceContext, case: CaseFacts) -> SchemeOperator:
    result = ctx.plugins.call(case.org, "haven_sanctuary_scheme_for", case=case)
    return (
        result
        if isinstance(result, SchemeOperator)
        else SchemeOperator(org=case.org, source="core default: the case's own organisation")
    )


def consent_recipient(ctx: ServiceContext, case: CaseFacts, option: HousingOption) -> str | None:
    """Whom choosing ``option`` contacts, when that needs the client's permission; ``None`` when it does not.

    The recipient is the sanctuary scheme's organisation for a sanctuary option, and the
    reciprocal's coordinator for a reciprocal move (the ones that will ask for the details),
    else the option's ``refer_to_key``, else the option id. An option without ``needs_consent``,
    or one whose recipient is the case's own organisation, needs none (the sharing responder
    likewise releases to the case's own organisation without consent).
    """
    if not option.needs_consent:
        return None
    if option.kind == "sanctuary_scheme":
        recipient = scheme_for(ctx, case).org
    elif option.kind == "reciprocal" and (scheme := referrals.coordinator_for(ctx, case.org)) is not None:
        recipient = scheme.coordinator
    else:
        recipient = option.refer_to_key or option.id
    return None if recipient == case.org else recipient


async def require_permission(ctx: ServiceContext, case: CaseFacts, option: HousingOption) -> str | None:
    """The consent or override allowing the referral ``option`` makes; 409 naming the consent when there is none."""
    recipient = consent_recipient(ctx, case, option)
    if recipient is None:
        return None
    return await consent.require_basis(case.case_ref, "contact_agency", recipient)


async def offer(
    ctx: ServiceContext, uow: UnitOfWork, principal: Principal, case: Case, facts: CaseFacts, option_ids: list[str]
) -> list[CaseOption]:
    """Record the options offered; each must be an option of this organisation for this case."""
    available = {o.id: o for o in options_for(ctx, facts)}
    unknown = [i for i in option_ids if i not in available]
    if unknown:
        raise unprocessable("option_ids", f"not options of {case.org}: {', '.join(unknown)}")
    already = {
        r["option_id"] for r in await CaseOption.select(CaseOption.option_id).where(CaseOption.case_ref == case.ref)
    }
    new_ids = [i for i in dict.fromkeys(option_ids) if i not in already]
    if not new_ids:
        raise conflict("every option listed has already been offered on this case")
    now = datetime.now(UTC)
    rows = []
    for option_id in new_ids:
        option = available[option_id]
        row = CaseOption(
            case_ref=case.ref,
            org=case.org,
            option_id=option.id,
            kind=option.kind,
            title=option.title,
            refer_to=option.refer_to,
            status="offered",
            offered_by=principal.sub,
            offered_at=now,
        )
        await CaseOption.insert(row)
        rows.append(row)
    await uow.emit(
        OptionsOffered(
            org=case.org,
            case_ref=case.ref,
            option_ids=new_ids,
            kinds=[available[i].kind for i in new_ids],
            offered_at=now,
        ),
        ref=case.ref,
    )
    await uow.audit(principal, "update", "case", case.ref, entity_org=case.org, purpose="options offered")
    return rows


async def decide(
    ctx: ServiceContext,
    uow: UnitOfWork,
    principal: Principal,
    case: Case,
    facts: CaseFacts,
    option_id: str,
    decision: str,
    bedrooms: int | None = None,
    unsafe_areas: list[str] | None = None,
) -> tuple[CaseOption, Referral | None, list[Referral]]:
    """The client chose or refused an offered option; choosing a sanctuary option refers the case,
    and a transfer, reciprocal or floating-support-carrying option opens its referrals."""
    row = (
        await CaseOption.objects()
        .where((CaseOption.case_ref == case.ref) & (CaseOption.option_id == option_id))
        .first()
    )
    if row is None:
        raise conflict(f"option {option_id} has not been offered on this case")
    if row.status != "offered":
        raise conflict(f"option {option_id} is already {row.status}")
    available = {o.id: o for o in options_for(ctx, facts)}
    option = available.get(option_id)
    basis = await require_permission(ctx, facts, option) if decision == "chosen" and option is not None else None
    now = datetime.now(UTC)
    row.status = decision
    row.decided_at = now
    if decision == "chosen" and option is not None and option.referral_level is not None:
        row.referral_due_at = ctx.calendar(case.org).due(now, option.referral_level).due_at
    await row.save([CaseOption.status, CaseOption.decided_at, CaseOption.referral_due_at])
    await uow.emit(
        OptionDecided(
            org=case.org,
            case_ref=case.ref,
            option_id=option_id,
            kind=row.kind,
            decision=decision,
            decided_at=now,
            referral_due_at=row.referral_due_at,
        ),
        ref=case.ref,
    )
    referral = None
    if decision == "chosen" and row.kind == "sanctuary_scheme":
        scheme = scheme_for(ctx, facts)
        referral = Referral(
            ref=new_reference("REF"),
            case_ref=case.ref,
            org=case.org,
            to_org=scheme.org,
            kind="sanctuary_scheme",
            option_id=option_id,
            created_by=principal.sub,
            created_at=now,
        )
        await Referral.insert(referral)
        await uow.emit(
            SanctuaryReferralRequested(
                org=case.org,
                to_org=scheme.org,
                case_ref=case.ref,
                referral_ref=referral.ref,
                requested_at=now,
                unsafe_to_stay=case.unable_to_return_home,
                out_of_hours=case.out_of_hours,
                approached_at=case.approached_at,
            ),
            ref=referral.ref,
        )
    opened = []
    if decision == "chosen" and option is not None:
        opened = await referrals.open_for(
            ctx, uow, principal, case, option, available, now, bedrooms, list(unsafe_areas or [])
        )
    await uow.audit(
        principal,
        "update",
        "case",
        case.ref,
        entity_org=case.org,
        purpose=f"option {decision}",
        detail={"option_id": option_id, "basis": basis} if basis else None,
    )
    return row, referral, opened
