"""The options service's pages: start page, cases, DASH, options, sheet, JWA inbox, disputes between boroughs,
monitoring."""

from pathlib import Path

from haven_options.pages.cases import CasePages
from haven_options.pages.disputes import DisputePages
from haven_options.pages.jwa import JwaPages
from haven_options.pages.monitoring import MonitoringPages
from haven_options.pages.start import EmergencyAccommodationPages, StartPage

TEMPLATES = Path(__file__).parent.parent / "templates"
PAGES = [StartPage, EmergencyAccommodationPages, CasePages, JwaPages, DisputePages, MonitoringPages]
