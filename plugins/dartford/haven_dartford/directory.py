"""Dartford Borough Council: directory data (seed ``004_d4b796f614d2cfd3.txt``).

The organisations, phone numbers, e-mail addresses and websites below are the public
organisational contacts of the procedure's section 3, 8 and 12 and "Appendix B: Useful
contacts" (``seeds/README.md``: they may seed the directory). The named officers are
invented placeholders (``invented=True``, ``.example`` addresses): the seed names posts,
not people.

Hours are typed HSDS schedules (``Session``), each quoting its line of
``004_d4b796f614d2cfd3.txt``: the Housing Options and Private Sector service's office hours
(section 3) and their complement, when "the out of hours service" answers, the sanctuary
referral hours (section 5), and Appendix B's 24-hour helplines and
the Respect Phone Line's Monday, Tuesday, Wednesday and Friday sessions.
"""

from __future__ import annotations

from datetime import time

from haven_contracts.plugin import hookimpl
from haven_contracts.plugin.directory import AgencyRecord, DirectoryData, OfficerRecord, Phone, ServiceRecord, Session

SEED = "004_d4b796f614d2cfd3.txt"
APPENDIX_B = "004_d4b796f614d2cfd3.txt Appendix B"
DAILY = "MO,TU,WE,TH,FR,SA,SU"

OFFICERS = (
    OfficerRecord(
        key="dartford-dv-lead",
        org="dartford",
        name="Dartford DV Lead (invented)",
        positions=("dv_lead",),
        email="dv.lead@dartford.example",
        source=SEED,
    ),
    OfficerRecord(
        key="dartford-team-manager",
        org="dartford",
        name="Dartford Housing Options Manager (invented)",
        positions=("team_manager",),
        email="housing.options.manager@dartford.example",
        source=SEED,
    ),
    OfficerRecord(
        key="dartford-sanctuary-officer",
        org="dartford",
        name="Dartford Sanctuary Officer (invented)",
        positions=("sanctuary_project_officer",),
        email="sanctuary@dartford.example",
        source=SEED,
    ),
)

AGENCIES = (
    AgencyRecord(
        id="dartford",
        name="Dartford Borough Council",
        kind="local_authority",
        area="Dartford",
        description="Housing Options and Private Sector service: housing advice and assistance, and the "
        "Sanctuary Scheme.",
        email="housingadvice@dartford.gov.uk",
        url="https://www.dartford.gov.uk/",
        phones=(
            Phone(number="01322 343114", description="Housing Options and Private Sector service"),
            Phone(number="0845 634 1212", description="Emergency out of hours"),
            Phone(number="01322 343625", description="Housing Policy Officer"),
        ),
        source=SEED,
    ),
    AgencyRecord(
        id="age-concern-dartford",
        name="Age Concern",
        kind="support_agency",
        url="http://www.ageconcern.org",
        description="Advice and assistance on any matter affecting the elderly or disabled.",
        phones=(Phone(number="01322 226496"),),
        source=APPENDIX_B,
    ),
    AgencyRecord(
        id="broken-rainbow",
        name="Broken Rainbow",
        kind="helpline",
        url="http://www.broken-rainbow.org.uk",
        description="Information and support for lesbian, gay, bisexual or transgender victims of domestic abuse.",
        phones=(Phone(number="07812 644914"),),
        source=APPENDIX_B,
    ),
    AgencyRecord(
        id="darent-valley-hospital",
        name="Darent Valley Hospital",
        kind="health",
        phones=(Phone(number="01322 428100"),),
        source=APPENDIX_B,
    ),
    AgencyRecord(
        id="dartford-citizens-advice",
        name="Dartford Citizens Advice Bureau",
        kind="advice_agency",
        phones=(Phone(number="01322 220448"),),
        source=APPENDIX_B,
    ),
    AgencyRecord(
        id="kent-police-dv-unit",
        name="Domestic Violence Police Unit",
        kind="police",
        phones=(Phone(number="01622 690690"), Phone(number="01474 565153", description="Domestic Violence Officer")),
        source=APPENDIX_B,
    ),
    AgencyRecord(
        id="fco-forced-marriage",
        name="Foreign and Commonwealth Office",
        kind="other",
        description="Advice on forced marriages.",
        phones=(Phone(number="0207 0080135"), Phone(number="0207 0080230")),
        source=APPENDIX_B,
    ),
    AgencyRecord(
        id="refuge",
        name="Refuge",
        kind="specialist_da_service",
        description="Runs the 24 hour National Domestic Violence Helpline.",
        source=APPENDIX_B,
    ),
    AgencyRecord(
        id="kent-council-on-addiction",
        name="Kent Council on Addiction (KCA)",
        kind="support_agency",
        description="Providers of community drug and alcohol services in Kent.",
        phones=(Phone(number="01795 590635"),),
        source=APPENDIX_B,
    ),
    AgencyRecord(
        id="kent-da-information-line",
        name="Kent Domestic Abuse Information Line",
        kind="helpline",
        phones=(Phone(number="0845 6036813"),),
        source=APPENDIX_B,
    ),
    AgencyRecord(
        id="minor-injuries-unit-gravesend",
        name="Minor Injuries Unit (Gravesend)",
        kind="health",
        phones=(Phone(number="01474 574217"),),
        source=APPENDIX_B,
    ),
    AgencyRecord(
        id="north-kent-womens-aid",
        name="North Kent Women's Aid",
        kind="specialist_da_service",
        email="admin@nkwa.org.uk",
        phones=(Phone(number="0800 917 9948"),),
        source=APPENDIX_B,
    ),
    AgencyRecord(
        id="respect",
        name="Respect",
        kind="helpline",
        url="http://www.respect.uk.net/pages/respect_phoneline",
        description="Information and advice line for those who are abusive towards their partners.",
        phones=(Phone(number="0845 1228609"),),
        source=APPENDIX_B,
    ),
    AgencyRecord(
        id="rethink-sahayak",
        name="Rethink Sahayak",
        kind="support_agency",
        description="Free and confidential Asian counselling service.",
        email="asiancounselling@rethink.org",
        phones=(
            Phone(number="01474 364837"),
            Phone(number="0808 8002073", description="Asian language speaking helpline"),
        ),
        source=APPENDIX_B,
    ),
    AgencyRecord(
        id="male-advice-line",
        name="The Male Advice and Enquiry Line",
        kind="helpline",
        description="Information and advice for male victims of domestic abuse.",
        phones=(Phone(number="0845 0646800"),),
        source=APPENDIX_B,
    ),
    AgencyRecord(
        id="victim-support-dartford",
        name="Victim Support (Dartford, Gravesham and Swanley)",
        kind="support_agency",
        url="http://www.victimsupport.org.uk",
        description="Support and practical advice for anyone affected by crime.",
        phones=(Phone(number="01634 401733"),),
        source=APPENDIX_B,
    ),
)

#: Opening hours as typed HSDS schedules, each quoting its line of ``004_d4b796f614d2cfd3.txt``.
#: Section 3: the Housing Options and Private Sector service "is open ... between 8:45am and
#: 5:15pm Monday to Thursday, and 8:45am to 4:45pm on Friday".
OFFICE_HOURS_QUOTE = (
    f"{SEED}: The service is open to provide housing advice and assistance to anyone between 8:45am "
    "and 5:15pm Monday to Thursday, and 8:45am to 4:45pm on Friday."
)
OFFICE_HOURS = (
    Session(
        byday="MO,TU,WE,TH",
        opens_at=time(8, 45),
        closes_at=time(17, 15),
        description="Monday to Thursday",
        source=OFFICE_HOURS_QUOTE,
    ),
    Session(byday="FR", opens_at=time(8, 45), closes_at=time(16, 45), description="Friday", source=OFFICE_HOURS_QUOTE),
)
#: Section 5, "When the scheme is available": the same hours for sanctuary referrals.
SANCTUARY_QUOTE = (
    f"{SEED}: Sanctuary referrals can be made between 8:45am to 5:15pm Monday to Thursday and 8:45am "
    "to 4:45pm on Friday."
)
SANCTUARY_HOURS = (
    Session(
        byday="MO,TU,WE,TH",
        opens_at=time(8, 45),
        closes_at=time(17, 15),
        description="Referrals, Monday to Thursday",
        source=SANCTUARY_QUOTE,
    ),
    Session(
        byday="FR",
        opens_at=time(8, 45),
        closes_at=time(16, 45),
        description="Referrals, Friday",
        source=SANCTUARY_QUOTE,
    ),
)

#: Section 3 ends "The out of hours service can be contacted on 0845 634 1212": it answers
#: whenever the office is closed, i.e. the complement of :data:`OFFICE_HOURS`.
OUT_OF_HOURS_QUOTE = (
    f"{SEED}: between 8:45am and 5:15pm Monday to Thursday, and 8:45am to 4:45pm on Friday ... "
    "The out of hours service can be contacted on 0845 634 1212."
)
OUT_OF_HOURS_NOTE = "Whenever the Housing Options office is closed; the source does not mention bank holidays."
OUT_OF_HOURS = (
    Session(
        byday="MO,TU,WE,TH,FR",
        opens_at=time(0, 0),
        closes_at=time(8, 45),
        description="Before the office opens",
        notes=OUT_OF_HOURS_NOTE,
        source=OUT_OF_HOURS_QUOTE,
    ),
    Session(
        byday="MO,TU,WE,TH",
        opens_at=time(17, 15),
        closes_at=time(23, 59),
        description="After the office closes",
        notes=OUT_OF_HOURS_NOTE,
        source=OUT_OF_HOURS_QUOTE,
    ),
    Session(
        byday="FR",
        opens_at=time(16, 45),
        closes_at=time(23, 59),
        description="After the office closes",
        notes=OUT_OF_HOURS_NOTE,
        source=OUT_OF_HOURS_QUOTE,
    ),
    Session(
        byday="SA,SU",
        opens_at=time(0, 0),
        closes_at=time(23, 59),
        description="All weekend",
        notes=OUT_OF_HOURS_NOTE,
        source=OUT_OF_HOURS_QUOTE,
    ),
)


def always(quote: str) -> tuple[Session, ...]:
    """A 24-hour, seven-day service (HSDS: every day, 00:00 to 23:59)."""
    return (
        Session(
            byday=DAILY,
            opens_at=time(0, 0),
            closes_at=time(23, 59),
            description="Open 24 hours, 7 days a week",
            source=f"{SEED}: {quote}",
        ),
    )


#: Appendix B, Respect Phone Line: "Open Monday, Tuesday, Wednesday and Friday 10am – 1pm and
#: 2pm – 5pm" (the appendix's two columns interleave the line with a web address).
RESPECT_QUOTE = f"{SEED}: Open Monday, ... Tuesday, Wednesday and Friday 10am – 1pm and 2pm – 5pm"
RESPECT_HOURS = (
    Session(
        byday="MO,TU,WE,FR", opens_at=time(10, 0), closes_at=time(13, 0), description="Morning", source=RESPECT_QUOTE
    ),
    Session(
        byday="MO,TU,WE,FR", opens_at=time(14, 0), closes_at=time(17, 0), description="Afternoon", source=RESPECT_QUOTE
    ),
)

SANCTUARY_ELIGIBILITY = (
    "All of: the landlord agrees to the works; the victim lives in the Dartford borough; the victim has the right to "
    "occupy the property as sole owner or tenant; the perpetrator does not live in the accommodation; the victim "
    "agrees to the works; the victim intends to remain for the foreseeable future; it is considered safe to remain "
    "with the security measures; without the work the victim would likely become homeless. Tenure neutral."
)

SERVICES = (
    ServiceRecord(
        key="dartford-housing-options",
        org="dartford",
        name="Housing Options and Private Sector service",
        description="Housing advice and assistance to anyone; emergency cases seen without an appointment. "
        "Out of hours: 0845 634 1212.",
        taxonomy=("housing-options", "emergency-accommodation"),
        email="housingadvice@dartford.gov.uk",
        phones=(Phone(number="01322 343114"), Phone(number="0845 634 1212", description="Emergency out of hours")),
        schedules=OFFICE_HOURS,
        area="Dartford",
        application_process="An appointment is usually made.",
        source=SEED,
    ),
    ServiceRecord(
        key="dartford-sanctuary",
        org="dartford",
        name="Sanctuary Scheme",
        description="Additional security to the victim's property or perimeter so they can remain at home.",
        taxonomy=("sanctuary", "target-hardening"),
        eligibility=SANCTUARY_ELIGIBILITY,
        application_process="Any organisation emails the referral form (Appendix A) to housingadvice@dartford.gov.uk "
        "or faxes it to 01322 343619, during office hours.",
        fees="There is no cost to the victim.",
        email="housingadvice@dartford.gov.uk",
        phones=(Phone(number="01322 343114"),),
        schedules=SANCTUARY_HOURS,
        area="Dartford",
        source=SEED,
    ),
    ServiceRecord(
        key="dartford-out-of-hours",
        org="dartford",
        name="Out of hours service",
        description="Dartford Borough Council outside office hours: if it is unsafe to remain at home, emergency "
        "temporary accommodation is arranged.",
        taxonomy=("emergency-accommodation",),
        phones=(Phone(number="0845 634 1212", description="Emergency out of hours"),),
        schedules=OUT_OF_HOURS,
        area="Dartford",
        source=SEED,
    ),
    ServiceRecord(
        key="refuge-national-dv-helpline",
        org="refuge",
        name="24 hour National Domestic Violence Helpline",
        description="A free phone number for women victims of domestic abuse. Text phone and Language Line available.",
        taxonomy=("helpline",),
        phones=(Phone(number="0808 2000247"),),
        fees="Free",
        source=APPENDIX_B,
        schedules=always("24 hour National Violence Domestic"),
    ),
    ServiceRecord(
        key="kent-da-information-line",
        org="kent-da-information-line",
        name="Kent Domestic Abuse Information Line",
        description="Local information of services for victims of domestic abuse; call back translation service.",
        taxonomy=("helpline",),
        phones=(Phone(number="0845 6036813"),),
        area="Kent",
        source=APPENDIX_B,
        schedules=always("Kent Domestic Abuse Information Line ... Open 24 hours 7 days a week."),
    ),
    ServiceRecord(
        key="respect-phone-line",
        org="respect",
        name="Respect Phone Line",
        description="Information and advice for those who are abusive towards their partners.",
        taxonomy=("perpetrator", "helpline"),
        phones=(Phone(number="0845 1228609"),),
        schedules=RESPECT_HOURS,
        source=APPENDIX_B,
    ),
    ServiceRecord(
        key="broken-rainbow-support",
        org="broken-rainbow",
        name="LGBT domestic abuse support",
        taxonomy=("lgbt", "helpline"),
        phones=(Phone(number="07812 644914"),),
        source=APPENDIX_B,
    ),
    ServiceRecord(
        key="kca-community-services",
        org="kent-council-on-addiction",
        name="Community drug and alcohol services",
        taxonomy=("substance-misuse",),
        phones=(Phone(number="01795 590635"),),
        area="Kent",
        source=APPENDIX_B,
    ),
    ServiceRecord(
        key="north-kent-womens-aid-support",
        org="north-kent-womens-aid",
        name="North Kent Women's Aid",
        taxonomy=("outreach",),
        email="admin@nkwa.org.uk",
        phones=(Phone(number="0800 917 9948"),),
        area="North Kent",
        source=APPENDIX_B,
    ),
    ServiceRecord(
        key="rethink-sahayak-counselling",
        org="rethink-sahayak",
        name="Asian counselling service",
        taxonomy=("counselling", "culturally-specific"),
        email="asiancounselling@rethink.org",
        phones=(
            Phone(number="01474 364837"),
            Phone(number="0808 8002073", description="Asian language speaking helpline"),
        ),
        source=APPENDIX_B,
    ),
    ServiceRecord(
        key="male-advice-line",
        org="male-advice-line",
        name="The Male Advice and Enquiry Line",
        taxonomy=("male-victims", "helpline"),
        phones=(Phone(number="0845 0646800"),),
        source=APPENDIX_B,
    ),
    ServiceRecord(
        key="fco-forced-marriage-advice",
        org="fco-forced-marriage",
        name="Forced marriage advice",
        taxonomy=("forced-marriage",),
        phones=(Phone(number="0207 0080135"), Phone(number="0207 0080230")),
        source=APPENDIX_B,
    ),
    ServiceRecord(
        key="dartford-cab-advice",
        org="dartford-citizens-advice",
        name="Citizens Advice",
        taxonomy=("general-advice",),
        phones=(Phone(number="01322 220448"),),
        area="Dartford",
        source=APPENDIX_B,
    ),
    ServiceRecord(
        key="victim-support-dartford",
        org="victim-support-dartford",
        name="Victim Support",
        taxonomy=("victim-support",),
        phones=(Phone(number="01634 401733"),),
        area="Dartford, Gravesham and Swanley",
        source=APPENDIX_B,
    ),
    ServiceRecord(
        key="age-concern-advice",
        org="age-concern-dartford",
        name="Advice for older or disabled people",
        taxonomy=("older-people",),
        phones=(Phone(number="01322 226496"),),
        source=APPENDIX_B,
    ),
    ServiceRecord(
        key="kent-police-dv-unit",
        org="kent-police-dv-unit",
        name="Domestic Violence Police Unit",
        taxonomy=("police",),
        phones=(Phone(number="01622 690690"), Phone(number="01474 565153", description="Domestic Violence Officer")),
        source=APPENDIX_B,
    ),
    ServiceRecord(
        key="darent-valley-hospital",
        org="darent-valley-hospital",
        name="Darent Valley Hospital",
        taxonomy=("health",),
        phones=(Phone(number="01322 428100"),),
        source=APPENDIX_B,
    ),
    ServiceRecord(
        key="minor-injuries-unit-gravesend",
        org="minor-injuries-unit-gravesend",
        name="Minor Injuries Unit (Gravesend)",
        taxonomy=("health",),
        phones=(Phone(number="01474 574217"),),
        source=APPENDIX_B,
    ),
)


@hookimpl
def haven_directory_data(org: str) -> DirectoryData:
    if org != "dartford":
        return DirectoryData()
    return DirectoryData(officers=OFFICERS, agencies=AGENCIES, services=SERVICES)
