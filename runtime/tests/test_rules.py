"""The traceability of the source documents' rules: every rule listed
in ``docs/rules.toml`` quotes its seed word for word, points at code that exists and is checked
by a test carrying ``@pytest.mark.rule``; every marker names a listed rule; and the committed
``docs/rules.md`` is exactly what ``haven rules`` generates. Nothing here writes a file in the
repository: the page is compared in memory, and the scanner's own checks run on files written
under ``tmp_path``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from haven_runtime.ops import rules
from haven_runtime.ops.cli import main
from haven_runtime.testing.plugins import normalise, seed_text


@pytest.fixture(scope="module")
def catalogue() -> rules.Catalogue:
    return rules.load_catalogue()


@pytest.fixture(scope="module")
def scanned() -> tuple[dict[str, list[str]], list[str]]:
    return rules.scan_tests()


def test_the_catalogue_is_well_formed(catalogue):
    assert not catalogue.problems, catalogue.problems
    assert set(catalogue.documents) == {
        "000_93a7cd5d2a8b6030.txt",
        "001_2a45bb55c36fcb52.txt",
        "002_c1c7b199d9a53274.txt",
        "003_8738e4ccc4c4272a.txt",
        "004_d4b796f614d2cfd3.txt",
    }
    assert {r.seed for r in catalogue.rules} == set(catalogue.documents), (
        "every document states at least one listed rule"
    )


def test_every_quote_is_word_for_word_in_its_seed(catalogue):
    """A missing seed fails here (``seed_text``), so a quote is never left unchecked."""
    assert rules.quote_problems(catalogue.rules, seed_text, normalise) == []


def test_every_code_reference_exists(catalogue):
    assert rules.code_problems(catalogue.rules) == []


def test_every_listed_rule_has_a_marked_test_and_every_marker_a_listed_rule(catalogue, scanned):
    tests, problems = scanned
    assert problems == []
    assert rules.coverage_problems(catalogue, tests) == []


def test_the_seeds_timescales_are_listed_with_their_clocks(catalogue):
    """The timescales the seeds state, each listed; the ones a clock enforces name it."""
    timescales = {r.id: r for r in catalogue.rules if r.timescale}
    clocked = {rid: r.clock.name for rid, r in timescales.items() if r.clock}
    assert clocked["ag013.interview-next-working-day"] == "interview"
    assert clocked["dartford.police-within-3-working-days"] == "police_request"
    assert clocked["dartford.works-within-24-hours"] == "works_arranged"
    assert clocked["jwa.information-as-soon-as-requested"] == "information_response"
    assert clocked["reciprocal.conflict-escalation"] == "conflict_escalation"
    assert {"jwa.one-night-ta", "jwa.quarterly-sub-group"} <= set(timescales)
    schedules = {rid for rid, r in timescales.items() if r.clock and r.clock.kind == "schedule"}
    assert schedules == {
        "bromley.bwa-meeting-every-six-weeks",
        "lewisham.exceptional-panel-every-3-weeks",
        "southwark.forum-and-panel-cadences",
        "jwa.quarterly-sub-group",
    }


def test_docs_rules_md_is_what_the_generator_writes(catalogue, scanned):
    committed = (rules.ROOT / rules.OUTPUT).read_text(encoding="utf-8")
    assert committed == rules.render(catalogue, scanned[0]), "docs/rules.md is stale: run `haven rules`"


def test_the_page_traces_line_rule_code_test_and_timescale_clock(catalogue, scanned):
    page = rules.render(catalogue, scanned[0])
    row = next(line for line in page.splitlines() if "`dartford.police-within-3-working-days`<br>" in line)
    assert '"Once a referral is made, DBC will ask the Police within 3 working days' in row
    assert "`services/sanctuary/haven_sanctuary/assessment.py:request_inspection`" in row
    assert "`services/sanctuary/tests/test_clocks.py::test_dartford_police_asked_within_3_working_days`" in row
    clocks = page.split("## Timescales → clocks", 1)[1]
    assert (
        "| within 3 working days of the referral | `dartford.police-within-3-working-days` | `police_request` |"
        in clocks
    )
    assert "| on the day | `se-london.refuge-list-and-ta` | `option_referral` |" in clocks
    assert "| **not a clock yet** |" not in clocks, "every timescale the documents state is a clock or a schedule"
    assert "`jwa.one-night-ta` | `one_night_ta` |" in clocks
    assert (
        "| every six weeks | `bromley.bwa-meeting-every-six-weeks` | `bromley-bwa-meeting` (directory schedule) |"
        in clocks
    )


def test_haven_rules_check_passes_and_writes_nothing():
    before = (rules.ROOT / rules.OUTPUT).stat().st_mtime_ns
    result = CliRunner().invoke(main, ["rules", "--check"])
    assert result.exit_code == 0, result.output
    assert (rules.ROOT / rules.OUTPUT).stat().st_mtime_ns == before


# -- the checks fail when they should, on a miniature repository under tmp_path ------------------

CATALOGUE = '''
[documents]
"004_d4b796f614d2cfd3.txt" = "Dartford"

[[rule]]
id = "dartford.police"
seed = "004_d4b796f614d2cfd3.txt"
quote = "DBC will ask the Police within 3 working days"
does = "a clock"
code = ["pkg/clocks.py:CLOCKS"]
timescale = "within 3 working days"
clock = { name = "police_request", code = ["pkg/clocks.py:check"] }

[[rule]]
id = "dartford.untested"
seed = "004_d4b796f614d2cfd3.txt"
quote = "There is no cost to the victim ... not in the document"
does = "nothing yet"
code = ["pkg/missing.py", "pkg/clocks.py:Nope.attr"]
'''

TESTS = '''
import pytest
from pytest import mark

pytestmark = [pytest.mark.rule("dartford.police")]


@pytest.mark.parametrize("x", [1])
@mark.rule("dartford.police", "dartford.unknown")
def test_marked(x):
    pass


class TestGroup:
    @pytest.mark.rule("dartford.police")
    async def test_in_class(self):
        pass


def helper():
    pass
'''


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "rules.toml").write_text(CATALOGUE, encoding="utf-8")
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "clocks.py").write_text(
        "CLOCKS = ()\n\n\ndef check():\n    pass\n\n\nclass Nope:\n    other = 1\n", encoding="utf-8"
    )
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_things.py").write_text(TESTS, encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text('[tool.pytest.ini_options]\ntestpaths = ["tests"]\n', encoding="utf-8")
    return tmp_path


def test_markers_are_found_by_reading_the_files(mini):
    tests, problems = rules.scan_tests(mini)
    assert problems == []
    assert tests == {
        "dartford.police": ["tests/test_things.py::TestGroup::test_in_class", "tests/test_things.py::test_marked"],
        "dartford.unknown": ["tests/test_things.py::test_marked"],
    }


def test_a_rule_without_a_test_and_a_marker_without_a_rule_fail(mini):
    catalogue = rules.load_catalogue(root=mini)
    tests, _ = rules.scan_tests(mini)
    assert rules.coverage_problems(catalogue, tests) == [
        "dartford.untested: no test carries @pytest.mark.rule('dartford.untested')",
        "tests/test_things.py::test_marked: @pytest.mark.rule('dartford.unknown') names no rule in docs/rules.toml",
    ]


def test_a_missing_file_or_name_fails(mini):
    catalogue = rules.load_catalogue(root=mini)
    assert rules.code_problems(catalogue.rules, mini) == [
        "dartford.untested: pkg/missing.py does not exist",
        "dartford.untested: pkg/clocks.py defines no Nope.attr",
    ]


def test_a_quote_not_in_its_seed_fails(mini):
    catalogue = rules.load_catalogue(root=mini)
    assert rules.quote_problems(catalogue.rules, seed_text, normalise) == [
        "dartford.untested: not in 004_d4b796f614d2cfd3.txt: 'not in the document'",
    ]


def test_a_marker_without_literal_ids_and_a_malformed_rule_are_reported(tmp_path):
    nodes, problems = rules.markers_in(
        "import pytest\nIDS = ['x']\n\n@pytest.mark.rule(*IDS)\ndef test_a():\n    pass\n", "t.py"
    )
    assert nodes == {} and problems == ["t.py::test_a: a rule marker names its rules with string literals only"]
    (tmp_path / "rules.toml").write_text(
        '[documents]\n"a.txt" = "A"\n[[rule]]\nid = "a.one"\nseed = "b.txt"\nquote = "q"\n'
        'does = "d"\ncode = "x.py"\nclock = { name = "c", code = "x.py", kind = "alarm" }\n',
        encoding="utf-8",
    )
    problems = rules.load_catalogue(tmp_path / "rules.toml", root=tmp_path).problems
    assert problems == [
        "a.one: seed b.txt is not one of [documents]",
        "a.one: a clock's kind is one of clock, schedule",
        "a.one: a clock without the timescale it enforces",
    ]


def test_check_fails_on_a_stale_page_and_generation_writes_it(mini):
    lines: list[str] = []
    assert rules.run(check=True, root=mini, echo=lines.append) == 1
    assert "docs/rules.md is out of date: run `haven rules`" in lines
    assert not (mini / "docs" / "rules.md").exists()
    assert rules.run(root=mini, echo=lines.append) == 1  # written, but the problems above still fail it
    page = (mini / "docs" / "rules.md").read_text(encoding="utf-8")
    assert "`dartford.untested`<br>nothing yet | `pkg/missing.py`<br>`pkg/clocks.py:Nope.attr` | **none** |" in page


def test_without_a_catalogue_nothing_is_written(tmp_path):
    lines: list[str] = []
    assert rules.run(root=tmp_path, echo=lines.append) == 1
    assert "docs/rules.toml not found" in lines[0] and not (tmp_path / "docs").exists()
