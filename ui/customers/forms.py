"""The customer file's forms: add, edit, archive, reassign, tier override, recompute.

Each edit saves against the version the customer had when the page opened it (`ui/edits`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import streamlit as st

from services.customers import records as customers
from services.customers import tiering
from services.customers.records import CustomerFile
from ui import edits, layout, runtime
from ui.customers.profile import CUSTOMER_PAGE, KIND_LABELS, STATUS_LABELS
from ui.errors import attempt
from ui.feedback import flash
from ui.i18n import t
from ui.text import plain

EARLIEST_BIRTHDAY = date(1900, 1, 1)
TIERS = ["A", "B", "C"]
# The name the user was last warned about: pressing Add again with it files the customer.
CONFIRMED_KEY = "customer__new_confirmed"


def _choice(label: str, labels: dict[str, str], current: str, key: str) -> str:
    # Labels made now, in this run's language.
    shown = {value: t(msgid) for value, msgid in labels.items()}
    options = list(shown)
    return str(
        st.selectbox(
            label, options, index=options.index(current), format_func=shown.__getitem__, key=key
        )
    )


def _text(label: str, customer: CustomerFile | None, name: str, key: str, **options: Any) -> str:
    # `name` is both the file's field and the key of the data the service is sent.
    value = getattr(customer, name) if customer is not None else None
    return st.text_input(label, value=value or "", key=f"{key}_{name}", **options)


def _details(customer: CustomerFile | None, key: str) -> dict[str, Any]:
    """The customer file's fields as widgets, blank for a new one; the owner is chosen apart
    from them."""
    left, right = st.columns(2)
    with left:
        name = _text(t("Name"), customer, "name", key)
        kind = _choice(
            t("Kind"), KIND_LABELS, customer.kind if customer else "company", f"{key}_kind"
        )
        status = _choice(
            t("Status"), STATUS_LABELS, customer.status if customer else "lead", f"{key}_status"
        )
        industry = _text(t("Industry"), customer, "industry", key)
        region = _text(t("Region"), customer, "region", key)
        city = _text(t("City"), customer, "city", key)
        source = _text(
            t("Source"), customer, "source", key, help=t("Where the customer came from.")
        )
    with right:
        contact_name = _text(t("Contact"), customer, "contact_name", key)
        phone = _text(t("Phone"), customer, "phone", key)
        email = _text(t("Email"), customer, "email", key)
        birthday = st.date_input(
            t("Birthday"),
            value=customer.birthday if customer else None,
            min_value=EARLIEST_BIRTHDAY,
            format="YYYY-MM-DD",
            key=f"{key}_birthday",
        )
    preferences = st.text_area(
        t("Preferences"),
        value=(customer.preferences if customer else None) or "",
        key=f"{key}_preferences",
    )
    notes = st.text_area(
        t("Notes"), value=(customer.notes if customer else None) or "", key=f"{key}_notes"
    )
    return {
        "name": name, "kind": kind, "status": status, "industry": industry, "region": region,
        "city": city, "source": source, "contact_name": contact_name, "phone": phone,
        "email": email, "birthday": birthday, "preferences": preferences, "notes": notes,
    }  # fmt: skip


def _may_reassign() -> bool:
    return runtime.current_actor().role in ("manager", "admin")


def _owner_box(label: str, owners: list[tuple[int, str]], key: str, current: int | None) -> Any:
    names = dict(owners)
    # A rep chosen before they left or moved away stays chosen, so the service can say why
    # it refuses them instead of the choice silently vanishing.
    shown_before = st.session_state.get(f"{key}__names", {})
    chosen = st.session_state.get(key)
    if chosen in shown_before and chosen not in names:
        names[chosen] = shown_before[chosen]
    st.session_state[f"{key}__names"] = names
    options = list(names)
    return st.selectbox(
        label,
        options,
        index=options.index(current) if current in names else None,
        format_func=names.__getitem__,
        placeholder=t("Choose a rep"),
        key=key,
    )


def new_customer_form() -> None:
    """Add a customer; on success, open its page. A name already filed in scope is added only
    when the user presses Add again after the warning that links to the one filed."""
    st.subheader(t("Add a customer"))
    owners = runtime.call(customers.owner_choices) if _may_reassign() else []
    same: list[tuple[int, str]] = []
    with st.form("customer__new"):
        data = _details(None, "customer__new")
        if _may_reassign():
            data["owner_rep_id"] = _owner_box(t("Owner"), owners, "customer__new_owner", None)
        else:
            st.caption(t("You will own this customer."))
        if st.form_submit_button(t("Add customer"), type="primary"):
            name = str(data["name"]).strip().lower()
            if st.session_state.get(CONFIRMED_KEY) != name:
                same = runtime.call(customers.same_name, name)
            st.session_state[CONFIRMED_KEY] = name
            if not same:
                _add(data)
    if same:
        _same_name_warning(same)


def _add(data: dict[str, Any]) -> None:
    added, customer = attempt(customers.create, data=data)
    if added and customer is not None:
        flash(t("{name} was added.", name=plain(customer.name)))
        st.switch_page(CUSTOMER_PAGE, query_params={"id": str(customer.id)})


def _same_name_warning(same: list[tuple[int, str]]) -> None:
    st.warning(
        t("A customer of this name is already on file. Open it below, or press Add customer "
          "again to file another."),
        icon=":material/content_copy:",
    )  # fmt: skip
    for customer_id, name in same:
        st.page_link(CUSTOMER_PAGE, label=plain(name), query_params={"id": str(customer_id)})


def _save(service: Callable[..., Any], customer: CustomerFile, done: str, **kwargs: Any) -> None:
    record = edits.opened("customers", customer.id, customer.version)
    saved, _ = edits.save(service, record, customer_id=customer.id, **kwargs)
    if saved:
        flash(done)
        st.rerun()


def edit_controls(customer: CustomerFile) -> None:
    """Edit, reassign, tier override and archive for a live customer; unarchive otherwise.
    The edit form's keys carry the version the user opened: after Reload (or their own save)
    it opens afresh with what is stored now."""
    record = edits.opened("customers", customer.id, customer.version)
    if customer.archived_at is not None:
        if st.button(
            t("Unarchive customer"), key="customer__unarchive", icon=":material/unarchive:"
        ):
            _save(customers.unarchive, customer, t("The customer is back on the lists."))
        return
    with layout.expander(
        t("Edit customer"), key=f"customer__open_edit_{customer.id}", icon=":material/edit:"
    ):
        form = f"customer__edit_{customer.id}_{record.version}"
        with st.form(form):
            data = _details(customer, form)
            if st.form_submit_button(t("Save changes"), type="primary"):
                _save(customers.update, customer, t("Changes were saved."), data=data)
        left, right = st.columns(2)
        with left:
            _tier_form(customer)
        with right:
            if _may_reassign():
                _reassign_form(customer)
        st.caption(t("Archived customers leave the lists; their history stays."))
        if st.button(t("Archive customer"), key="customer__archive", icon=":material/archive:"):
            _save(customers.archive, customer, t("The customer was archived."))


def _tier_form(customer: CustomerFile) -> None:
    with st.form(f"customer__tier_{customer.id}"):
        st.markdown(f"**{plain(t('Tier set by hand'))}**")
        labels = {None: t("Computed (no override)")} | {tier: tier for tier in TIERS}
        options = list(labels)
        tier = st.selectbox(
            t("Tier"),
            options,
            index=options.index(customer.tier_override),
            format_func=labels.__getitem__,
            key=f"customer__tier_{customer.id}_tier",
        )
        reason = st.text_input(
            t("Reason"),
            value=customer.tier_override_reason or "",
            key=f"customer__tier_{customer.id}_reason",
        )
        if st.form_submit_button(t("Save tier")):
            _save(
                customers.set_tier_override,
                customer,
                t("The tier was saved."),
                data={"tier": tier, "reason": reason},
            )
    if st.button(t("Recompute tier"), key="customer__recompute", icon=":material/refresh:"):
        done, _ = attempt(tiering.recompute, customer_ids=[customer.id])
        if done:
            edits.refreshed(("customers", customer.id))
            flash(t("The tier was recomputed from the won deals."))
            st.rerun()


def _reassign_form(customer: CustomerFile) -> None:
    owners = runtime.call(customers.owner_choices)
    with st.form(f"customer__owner_{customer.id}"):
        st.markdown(f"**{plain(t('Reassign'))}**")
        owner = _owner_box(
            t("New owner"),
            owners,
            f"customer__owner_{customer.id}_rep",
            customer.owner_rep_id,
        )
        if st.form_submit_button(t("Reassign customer")):
            _save(
                customers.reassign,
                customer,
                t("The customer was reassigned."),
                owner_rep_id=owner,
            )
