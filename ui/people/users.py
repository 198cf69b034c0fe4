"""Admin → Users forms: create, edit, activate, reset password, through services.people.users."""

from __future__ import annotations

from typing import Any

import streamlit as st

from services.people import users
from services.people.users import UserAccount
from ui import edits
from ui import format as fmt
from ui.choice import labels_now
from ui.errors import attempt
from ui.feedback import flash
from ui.i18n import t
from ui.language import LANGUAGES
from ui.sidebar import ROLE_LABELS, role_label
from ui.text import plain

ROLES = list(ROLE_LABELS)


def _rep_picker(label: str, reps: list[tuple[int, str]], current: int | None, key: str) -> Any:
    options: list[int | None] = [None, *[rep_id for rep_id, _ in reps]]
    names = dict(reps)
    return st.selectbox(
        label,
        options,
        index=options.index(current) if current in options else 0,
        format_func=labels_now(
            options, lambda rep_id: t("— none —") if rep_id is None else names[rep_id]
        ),
        key=key,
        help=t("Required for the rep role: the rep whose numbers this user sees."),
    )


def _profile_fields(
    prefix: str, reps: list[tuple[int, str]], user: UserAccount | None
) -> dict[str, Any]:
    """The fields create and edit share, filled from `user` (None: a new user's defaults)."""
    return {
        "display_name": st.text_input(
            t("Display name"), value=user.display_name if user else "", key=f"{prefix}_name"
        ),
        "email": st.text_input(
            t("Email"), value=(user.email if user else None) or "", key=f"{prefix}_email"
        ),
        "role": st.selectbox(
            t("Role"),
            ROLES,
            index=ROLES.index(user.role if user else "rep"),
            # Made now: Streamlit may format the options again outside the run's language.
            format_func=labels_now(ROLES, role_label),
            key=f"{prefix}_role",
        ),
        "locale": st.selectbox(
            t("Language"),
            list(LANGUAGES),
            index=list(LANGUAGES).index(user.locale if user else "en"),
            format_func=LANGUAGES.__getitem__,
            key=f"{prefix}_locale",
        ),
        "rep_id": _rep_picker(
            t("Linked rep"), reps, user.rep_id if user else None, f"{prefix}_rep"
        ),
    }


def create_form(reps: list[tuple[int, str]]) -> None:
    with st.form("users__create", clear_on_submit=False):
        st.subheader(t("Add a user"))
        username = st.text_input(t("Username"), key="users__create_username")
        data = _profile_fields("users__create", reps, None)
        password = st.text_input(
            t("Initial password"),
            type="password",
            key="users__create_password",
            help=t("8 to 64 characters, not the username."),
        )
        if st.form_submit_button(t("Create user"), type="primary"):
            created, user = attempt(
                users.create, data=data | {"username": username, "password": password}
            )
            if created and user is not None:
                flash(t("User {username} was created.", username=plain(user.username)))
                st.rerun()


def edit_form(user: UserAccount, reps: list[tuple[int, str]]) -> None:
    record = edits.opened("users", user.id, user.version)
    prefix = f"users__edit_{user.id}"
    with st.form(prefix):
        st.subheader(t("Edit {username}", username=plain(user.username)))
        data = _profile_fields(prefix, reps, user)
        if st.form_submit_button(t("Save changes"), type="primary"):
            _save(users.update, user, record, data=data, form_key=prefix)
    _status_and_password(user, record)


def _save(service: Any, user: UserAccount, record: edits.Opened, **kwargs: Any) -> None:
    saved, result = edits.save(service, record, user_id=user.id, **kwargs)
    if saved and result is not None:
        flash(t("Changes to {username} were saved.", username=plain(user.username)))
        st.rerun()


def _status_and_password(user: UserAccount, record: edits.Opened) -> None:
    left, right = st.columns(2)
    with left:
        st.subheader(t("Access"))
        if user.active:
            st.caption(t("Deactivating logs the user out everywhere at once."))
            if st.button(t("Deactivate user"), key="users__deactivate"):
                _save(users.set_active, user, record, active=False)
        else:
            st.caption(t("This user is deactivated and cannot log in."))
            if st.button(t("Reactivate user"), key="users__reactivate"):
                _save(users.set_active, user, record, active=True)
        if user.locked:
            st.warning(
                t(
                    "Locked after failed logins until {moment}.",
                    moment=fmt.moment(user.locked_until),
                ),
                icon=":material/lock:",
            )
            if st.button(t("Unlock account"), key="users__unlock", icon=":material/lock_open:"):
                _save(users.unlock, user, record)
    with right, st.form("users__reset", clear_on_submit=True):
        st.subheader(t("Reset password"))
        new_password = st.text_input(
            t("Temporary password"),
            type="password",
            help=t("The user must choose a new password at next login."),
        )
        if st.form_submit_button(t("Reset password")):
            _save(users.reset_password, user, record, new_password=new_password)
