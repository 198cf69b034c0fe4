"""Home's "Results by rep" in Chromium: for all teams and for each team, every rep the
services rank has its own name on the chart's axis, level with its own bar (Vega once
dropped overlapping names, so bars sat beside another rep's name)."""

from __future__ import annotations

from itertools import pairwise

import pytest
from playwright.sync_api import BrowserContext, Locator, Page, expect
from sqlmodel import Session, select

from models import User
from services import settings
from services.access import build_actor
from services.db import make_engine
from services.people import teams
from services.performance import dashboard
from services.periods import PeriodKind, containing
from tests.browser.conftest import Served, log_in, open_app, screenshot, wait_for_app_loaded
from ui import charts

pytestmark = pytest.mark.browser
ENGLISH = ("Username", "Password", "Log in")
# Home's default metric, as its picker starts.
METRIC = "revenue"
ALL_TEAMS = "All teams"


def _expected(database_url: str) -> tuple[list[str], dict[str, list[str]]]:
    """The rep names Home's chart draws for the admin this month: for all teams, and for
    each team by name, as the services rank them and the page keeps them."""
    engine = make_engine(database_url)
    try:
        with Session(engine) as session:
            user = session.exec(select(User).where(User.username == "admin")).one()
            admin = build_actor(session, user)
            month = containing(
                PeriodKind.MONTH,
                settings.office_today(session),
                settings.fiscal_year_start_month(session),
            )

            def names(team_id: int | None) -> list[str]:
                results = dashboard.rep_results(session, admin, METRIC, month, team_id=team_id)
                return [result.name for result in charts.top_and_bottom(results)]

            every = names(None)
            by_team = {name: names(team_id) for team_id, name in teams.list_teams(session, admin)}
    finally:
        engine.dispose()
    return every, by_team


def _results_chart(page: Page) -> Locator:
    column = page.get_by_test_id("stColumn").filter(
        has=page.get_by_role("heading", name="Results by rep")
    )
    return column.get_by_test_id("stVegaLiteChart")


def _rep_axis_labels(chart: Locator) -> Locator:
    # Vega's SVG names each axis group for screen readers: "Y-axis for a discrete scale…".
    return chart.locator('g.role-axis[aria-label^="Y-axis"] g.role-axis-label text')


# Where each element sits on screen; a rep at 0 % has a bar of no width, still placed.
RECTS = "els => els.map(e => { const r = e.getBoundingClientRect(); return [r.top, r.bottom]; })"


def _check_every_bar_named(page: Page, names: list[str], what: str) -> None:
    chart = _results_chart(page)
    labels = _rep_axis_labels(chart)
    # Polls: the chart is redrawn a moment after the rerun that chose the team.
    expect(labels, what).to_have_text(names)
    # One bar per rep (the 100 % rule is a line, not a rect), each level with its own name.
    bars = chart.locator("g.mark-rect.role-mark path")
    expect(bars).to_have_count(len(names))
    label_rows = labels.evaluate_all(RECTS)
    bar_rows = sorted(bars.evaluate_all(RECTS))
    for (label_top, label_bottom), (bar_top, bar_bottom) in zip(label_rows, bar_rows, strict=True):
        middle = (label_top + label_bottom) / 2
        assert abs(middle - (bar_top + bar_bottom) / 2) < charts.BAR_HEIGHT / 2, what
    for (_, upper_bottom), (lower_top, _) in pairwise(label_rows):
        assert upper_bottom <= lower_top + 1, f"{what}: names overlap"


def _choose_team(page: Page, team: str) -> None:
    # The list is long and drawn only in part: type to bring the team's option up.
    box = page.get_by_label("Team", exact=True)
    box.click()
    box.fill(team)
    page.get_by_role("option", name=team, exact=True).click()
    wait_for_app_loaded(page)


def test_results_by_rep_name_every_bar_for_all_teams_and_each_team(
    context: BrowserContext, served: Served
) -> None:
    every, by_team = _expected(served.database_url)
    assert every, "the demo data gives no rep a result or target this month"
    page = open_app(context, served.url)
    page.set_viewport_size({"width": 1400, "height": 1000})  # as the issue saw it
    log_in(page, "admin", "demo1234", labels=ENGLISH)
    # Opened from the sidebar: where the login lands is another test's business.
    page.get_by_test_id("stSidebar").get_by_role("link", name="Home").click()
    wait_for_app_loaded(page)
    expect(page.get_by_role("heading", name="Results by rep")).to_be_visible()
    _check_every_bar_named(page, every, ALL_TEAMS)
    # The page scrolls inside its main block: bring the chart into the picture.
    _results_chart(page).scroll_into_view_if_needed()
    screenshot(page, "home_results_by_rep")
    for team, names in by_team.items():
        _choose_team(page, team)
        if names:
            _check_every_bar_named(page, names, team)
        else:
            expect(page.get_by_text("No results for this period yet.")).to_be_visible()
    _results_chart(page).scroll_into_view_if_needed()
    screenshot(page, "home_results_by_rep_one_team")
