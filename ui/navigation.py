"""The pages each role may open, built on every rerun for `st.navigation`.

Every page of the app has its URL path in every navigation, so a link (`/board?metrics=…`,
`/goal?id=…`) always names a page: logged out it shows the login form and, once logged in, the
same run (same page, same query string) opens the page itself; a page the role may not see
shows the permission message instead. Nothing is ever redirected to: Streamlit only resolves
the paths declared here.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from services.access import Actor
from services.errors import PermissionDenied
from ui.auth import login_screen
from ui.errors import show
from ui.i18n import N_, t

HOME_FILE = "pages/home_page.py"
# Role values (ui never imports models): the actor's Role is a StrEnum, equal to them.
_EVERYONE = frozenset({"admin", "manager", "rep"})
_MANAGERS = frozenset({"admin", "manager"})


@dataclass(frozen=True)
class _Spec:
    """One page: its section and title (msgids), file, URL path, icon and who may open it."""

    section: str
    file: str
    url_path: str
    title: str
    icon: str
    roles: frozenset[str] = _EVERYONE
    # What a rep sees instead of `title`, where the page holds only their own.
    rep_title: str | None = None


_PAGES = (
    _Spec(N_("Overview"), HOME_FILE, "home", N_("Home"), ":material/home:"),
    _Spec(N_("Customers"), "pages/customers_page.py", "customers", N_("Customers"),
          ":material/groups:"),
    _Spec(N_("Customers"), "pages/customer_page.py", "customer", N_("Customer file"),
          ":material/storefront:"),
    _Spec(N_("Customers"), "pages/follow_ups_page.py", "follow-ups", N_("Follow-ups"),
          ":material/event_upcoming:", rep_title=N_("My follow-ups")),
    _Spec(N_("Customers"), "pages/pipeline_page.py", "pipeline", N_("Pipeline"),
          ":material/filter_alt:"),
    _Spec(N_("Goals"), "pages/goals_page.py", "goals", N_("Goals"), ":material/flag:"),
    _Spec(N_("Goals"), "pages/goal_page.py", "goal", N_("Goal"), ":material/target:"),
    _Spec(N_("Goals"), "pages/cascade_page.py", "cascade", N_("Goal cascade"),
          ":material/account_tree:"),
    _Spec(N_("Goals"), "pages/targets_page.py", "targets", N_("Bulk targets"),
          ":material/table_edit:", _MANAGERS),
    _Spec(N_("Goals"), "pages/leaderboard_page.py", "leaderboard", N_("Leaderboard"),
          ":material/leaderboard:"),
    _Spec(N_("Goals"), "pages/board_page.py", "board", N_("Board mode"), ":material/tv:"),
    _Spec(N_("You"), "pages/account_page.py", "account", N_("My account"),
          ":material/person:"),
    _Spec(N_("Admin"), "pages/users_page.py", "users", N_("Users"), ":material/group:",
          frozenset({"admin"})),
)  # fmt: skip
# Every URL path a link into the app may name.
URL_PATHS = tuple(spec.url_path for spec in _PAGES)
_ACCOUNT = next(spec for spec in _PAGES if spec.url_path == "account")


def _page(spec: _Spec, role: str | None = None, **options: bool) -> st.Page:
    # A `pages/` folder makes Streamlit's old multipage mode run a page whose URL matches a
    # file name directly, skipping app.py and its login gate; URL paths must differ from them.
    assert not spec.file.endswith(f"/{spec.url_path}.py"), spec.file
    title = spec.rep_title if role == "rep" and spec.rep_title else spec.title
    return st.Page(spec.file, title=t(title), icon=spec.icon, url_path=spec.url_path,
                   **options)  # fmt: skip


def login_page() -> st.Page:
    return st.Page(login_screen, title=t("Log in"), url_path="login", default=True)


def login_pages() -> list[st.Page]:
    """The login page at the root and under every page's path: a link opened logged out keeps
    its path and query string while the user logs in, and no "Page not found" covers the form."""
    return [login_page()] + [
        st.Page(login_screen, title=t("Log in"), url_path=path, visibility="hidden")
        for path in URL_PATHS
    ]


def _denied() -> None:
    show(PermissionDenied())
    st.page_link(HOME_FILE, label=t("Home"), icon=":material/home:")


def _denied_page(spec: _Spec) -> st.Page:
    # The same path as the real page, so a link to it explains itself instead of "Page not
    # found" (or, after a login, Home without a word).
    return st.Page(_denied, title=t(spec.title), url_path=spec.url_path, visibility="hidden")


def pages_for(actor: Actor, must_change_password: bool) -> dict[str, list[st.Page]]:
    if must_change_password:
        # Nothing else opens until the temporary password is replaced.
        return {t("You"): [_page(_ACCOUNT)]}
    sections: dict[str, list[st.Page]] = {}
    denied: list[st.Page] = []
    for spec in _PAGES:
        if actor.role not in spec.roles:
            denied.append(_denied_page(spec))
            continue
        page = _page(spec, actor.role, default=spec.file == HOME_FILE)
        sections.setdefault(t(spec.section), []).append(page)
    # Hidden: out of the menu, but their paths answer (the account's section is every role's).
    sections[t(_ACCOUNT.section)] += denied
    return sections
