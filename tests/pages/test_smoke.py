"""Every page renders for each role that may open it, in both languages, on the demo data."""

from __future__ import annotations

import pytest

from services.i18n import translate
from tests.pages.conftest import ROLES_PAGES, by_label, titles

PAGE_TITLES = {
    "pages/home_page.py": "Home",
    "pages/customers_page.py": "Customers",
    "pages/customer_page.py": "Customer file",
    "pages/follow_ups_page.py": "My follow-ups",
    "pages/pipeline_page.py": "Pipeline",
    "pages/goals_page.py": "Goals",
    "pages/goal_page.py": "Goal",
    "pages/cascade_page.py": "Goal cascade",
    "pages/targets_page.py": "Bulk targets",
    "pages/leaderboard_page.py": "Leaderboard",
    "pages/board_page.py": "Board mode",
    "pages/account_page.py": "My account",
    "pages/users_page.py": "Users",
}
# Where a role's title differs: a manager's or admin's follow-ups are their reps'.
ROLE_TITLES = {
    ("admin", "pages/follow_ups_page.py"): "Follow-ups",
    ("manager", "pages/follow_ups_page.py"): "Follow-ups",
}
CASES = [(role, page) for role, pages in ROLES_PAGES.items() for page in pages]


@pytest.mark.parametrize("locale", ["en", "zh_CN"])
@pytest.mark.parametrize(("role", "page"), CASES)
def test_page_renders(logged_in, role: str, page: str, locale: str) -> None:
    at = logged_in(role)
    by_label(at.selectbox, "Language / 语言").select(locale).run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    title = ROLE_TITLES.get((role, page), PAGE_TITLES[page])
    assert translate(locale, title) in titles(at)


@pytest.mark.parametrize("role", ["manager", "rep"])
def test_admin_pages_are_not_in_the_navigation_of(logged_in, role: str) -> None:
    at = logged_in(role)
    with pytest.raises(ValueError, match="users_page"):
        at.switch_page("pages/users_page.py")
