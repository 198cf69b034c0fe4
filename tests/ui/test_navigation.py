"""ui/navigation.py: the pages and sections each role is offered, Home first, only the account
while a temporary password stands, the login page, and titles in both languages; every page's
path answers in every navigation (the login form logged out, the permission page for a role
that may not see it), so a link keeps its page through the login."""

from __future__ import annotations

import inspect
import json
import textwrap
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from models.enums import Locale, Role
from services.access import Actor
from services.i18n import translate
from ui import runtime
from ui.i18n import LOCALE_KEY

ROOT = Path(__file__).resolve().parents[2]
# st.Page gives the default page the app's root as its URL: a fresh session opens it.
HOME = ""
CUSTOMERS = ["customers", "customer", "follow-ups", "pipeline"]
GOALS = ["goals", "goal", "cascade"]
BOARDS = ["leaderboard", "board"]
# The URL paths under each (English) section title.
EXPECTED = {
    Role.REP: {
        "Overview": [HOME], "Customers": CUSTOMERS, "Goals": [*GOALS, *BOARDS],
        "You": ["account"],
    },
    Role.MANAGER: {
        "Overview": [HOME], "Customers": CUSTOMERS, "Goals": [*GOALS, "targets", *BOARDS],
        "You": ["account"],
    },
    Role.ADMIN: {
        "Overview": [HOME], "Customers": CUSTOMERS, "Goals": [*GOALS, "targets", *BOARDS],
        "You": ["account"], "Admin": ["users"],
    },
}  # fmt: skip
# Pages a role may not see: their paths answer with the permission message, out of the menu.
DENIED = {Role.REP: [["targets", "Bulk targets"], ["users", "Users"]],
          Role.MANAGER: [["users", "Users"]], Role.ADMIN: []}  # fmt: skip
# Every path a link may name: Home's own besides the root.
EVERY_PATH = {"home", *CUSTOMERS, *GOALS, "targets", *BOARDS, "account", "users"}


def _navigation() -> None:
    import json

    import streamlit as st

    from ui.navigation import login_page, login_pages, pages_for

    sections = pages_for(st.session_state["app__actor"], st.session_state["must_change"])
    shown = {
        section: [[page.url_path, page.title] for page in pages if page.visibility == "visible"]
        for section, pages in sections.items()
    }
    hidden = [[page.url_path, page.title] for pages in sections.values() for page in pages
              if page.visibility == "hidden"]  # fmt: skip
    # What a fresh session opens, as app.py asks for it (without running it).
    opened = st.navigation(sections).title
    login = login_page()
    # Each logged-out page: its path (the default one's is the root), title and visibility.
    logged_out = [[page.url_path, page.title, page.visibility]
                  for page in login_pages()]  # fmt: skip
    st.text(json.dumps({"sections": shown, "hidden": hidden, "opened": opened,
                        "login": [login.url_path, login.title],
                        "logged_out": logged_out}))  # fmt: skip


@pytest.fixture
def at_the_root(tmp_path: Path) -> Path:
    """The script, next to a `pages/` that is the app's: st.Page finds page files relative to
    the main script, as it does for app.py."""
    (tmp_path / "pages").symlink_to(ROOT / "pages", target_is_directory=True)
    script = tmp_path / "navigation_script.py"
    source = textwrap.dedent(inspect.getsource(_navigation))
    script.write_text(f"{source}\n_navigation()\n", encoding="utf-8")
    return script


def _offered(script: Path, role: Role, *, must_change: bool = False, locale: str = "en") -> dict:
    at = AppTest.from_file(str(script), default_timeout=30)
    actor = Actor(user_id=1, username="someone", display_name="Someone", role=role,
                  locale=Locale(locale))  # fmt: skip
    at.session_state[runtime.ACTOR_KEY] = actor
    at.session_state["must_change"] = must_change
    at.session_state[LOCALE_KEY] = locale
    at.run()
    assert not at.exception, at.exception
    return json.loads(at.text[0].value)


@pytest.mark.parametrize("role", list(EXPECTED))
def test_each_role_is_offered_its_pages_with_home_first(at_the_root: Path, role: Role) -> None:
    offered = _offered(at_the_root, role)
    sections = offered["sections"]
    assert {section: [p[0] for p in pages] for section, pages in sections.items()} == EXPECTED[role]
    assert offered["opened"] == "Home"


@pytest.mark.parametrize("role", list(EXPECTED))
def test_a_temporary_password_leaves_only_the_account(at_the_root: Path, role: Role) -> None:
    offered = _offered(at_the_root, role, must_change=True)
    assert offered["sections"] == {"You": [["account", "My account"]]}
    assert offered["opened"] == "My account"


@pytest.mark.parametrize("locale", ["en", "zh_CN"])
def test_the_login_page_opens_at_the_root(at_the_root: Path, locale: str) -> None:
    login = _offered(at_the_root, Role.REP, locale=locale)["login"]
    assert login == [HOME, translate(locale, "Log in")]


def test_sections_and_titles_are_in_the_user_s_language(at_the_root: Path) -> None:
    english = _offered(at_the_root, Role.ADMIN)["sections"]
    chinese = _offered(at_the_root, Role.ADMIN, locale="zh_CN")["sections"]
    assert list(chinese) == [translate("zh_CN", section) for section in english]
    titles = [page[1] for pages in english.values() for page in pages]
    translated = [page[1] for pages in chinese.values() for page in pages]
    assert translated == [translate("zh_CN", title) for title in titles]
    assert not set(titles) & set(translated), "every title has a Chinese translation"


@pytest.mark.parametrize("role", list(EXPECTED))
def test_pages_a_role_may_not_see_answer_hidden_under_their_path(
    at_the_root: Path, role: Role
) -> None:
    offered = _offered(at_the_root, role)
    assert offered["hidden"] == DENIED[role]
    shown = {path for pages in offered["sections"].values() for path, _title in pages}
    assert {"home" if path == HOME else path for path in shown} | {
        path for path, _title in offered["hidden"]
    } == EVERY_PATH


def test_a_temporary_password_hides_nothing_else(at_the_root: Path) -> None:
    # The account page is the only one, and the default: any other path opens it.
    assert _offered(at_the_root, Role.REP, must_change=True)["hidden"] == []


@pytest.mark.parametrize("locale", ["en", "zh_CN"])
def test_logged_out_every_page_path_shows_the_login_form(at_the_root: Path, locale: str) -> None:
    logged_out = _offered(at_the_root, Role.REP, locale=locale)["logged_out"]
    title = translate(locale, "Log in")
    # The visible login page at the root, then a hidden one under each page's path and no
    # other (never an outside address: a link can only name our own pages).
    assert logged_out[0] == [HOME, title, "visible"]
    assert sorted(page[0] for page in logged_out[1:]) == sorted(EVERY_PATH)
    assert all(page[1:] == [title, "hidden"] for page in logged_out[1:])
