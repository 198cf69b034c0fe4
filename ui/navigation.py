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
    customer = _page("pages/customer_page.py", "customer", t("Customer"), ":material/storefront:")
    sections = {t("Overview"): [home], t("Customers"): [customer], t("You"): [account]}
    if actor.is_admin:
        sections[t("Admin")] = [
            _page("pages/users_page.py", "users", t("Users"), ":material/group:")
        ]
    return sections
