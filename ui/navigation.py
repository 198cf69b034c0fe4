"""The pages each role may open, built on every rerun for `st.navigation`."""

from __future__ import annotations

import streamlit as st

from services.access import Actor
from ui.auth import login_screen
from ui.i18n import t


def _page(file: str, url_path: str, title: str, icon: str, **options: bool) -> st.Page:
    # A `pages/` folder makes Streamlit's old multipage mode run a page whose URL matches a
    # file name directly, skipping app.py and its login gate; URL paths must differ from them.
    assert not file.endswith(f"/{url_path}.py"), file
    return st.Page(file, title=title, icon=icon, url_path=url_path, **options)


def login_page() -> st.Page:
    return st.Page(login_screen, title=t("Log in"), url_path="login", default=True)


def pages_for(actor: Actor, must_change_password: bool) -> dict[str, list[st.Page]]:
    account = _page("pages/account_page.py", "account", t("My account"), ":material/person:")
    if must_change_password:
        # Nothing else opens until the temporary password is replaced.
        return {t("You"): [account]}
    home = _page("pages/home_page.py", "home", t("Home"), ":material/home:", default=True)
    customer_pages = [
        _page("pages/customers_page.py", "customers", t("Customers"), ":material/groups:"),
        _page("pages/customer_page.py", "customer", t("Customer file"), ":material/storefront:"),
        _page(
            "pages/follow_ups_page.py",
            "follow-ups",
            t("My follow-ups"),
            ":material/event_upcoming:",
        ),
        _page("pages/pipeline_page.py", "pipeline", t("Pipeline"), ":material/filter_alt:"),
    ]
    goal_pages = [
        _page("pages/goals_page.py", "goals", t("Goals"), ":material/flag:"),
        _page("pages/goal_page.py", "goal", t("Goal"), ":material/target:"),
        _page("pages/cascade_page.py", "cascade", t("Goal cascade"), ":material/account_tree:"),
    ]
    if actor.role != "rep":
        goal_pages.append(
            _page("pages/targets_page.py", "targets", t("Bulk targets"), ":material/table_edit:")
        )
    goal_pages += [
        _page(
            "pages/leaderboard_page.py", "leaderboard", t("Leaderboard"), ":material/leaderboard:"
        ),
        _page("pages/board_page.py", "board", t("Board mode"), ":material/tv:"),
    ]
    sections = {
        t("Overview"): [home],
        t("Customers"): customer_pages,
        t("Goals"): goal_pages,
        t("You"): [account],
    }
    if actor.is_admin:
        sections[t("Admin")] = [
            _page("pages/users_page.py", "users", t("Users"), ":material/group:")
        ]
    return sections
