"""The process-wide engine and the bridge from pages to services: pages never see a Session."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from datetime import date
from typing import Any, Concatenate, ParamSpec, TypeVar
from zoneinfo import ZoneInfo

import streamlit as st

from services import data_version, settings
from services.access import Actor
from services.bootstrap import open_database
from services.config import Config, load_config
from services.db import session_scope
from services.periods import today_in

P = ParamSpec("P")
R = TypeVar("R")
ACTOR_KEY = "app__actor"


@st.cache_resource(show_spinner=False)
def _engine_for(database_url: str) -> Any:
    # Keyed by the URL alone: one pool per database, whatever else the configuration holds.
    # A failure is not cached: the next rerun tries again.
    return open_database(database_url)


def config() -> Config:
    return load_config()


def engine() -> Any:
    """The engine, created and upgraded to head once per process."""
    return _engine_for(config().database_url)


@st.cache_data(ttl=60, max_entries=4, show_spinner=False)
def _currency_for(database_url: str) -> str:
    with session_scope(engine()) as session:
        return settings.currency(session)


def currency() -> str:
    """The currency setting, read at most once a minute per database."""
    return _currency_for(config().database_url)


@st.cache_data(ttl=60, max_entries=4, show_spinner=False)
def _timezone_for(database_url: str) -> str:
    with session_scope(engine()) as session:
        return settings.timezone(session).key


def office_zone() -> ZoneInfo:
    """The office's time zone, from its setting read at most once a minute."""
    return ZoneInfo(_timezone_for(config().database_url))


def viewer_zone() -> ZoneInfo | None:
    """The zone the viewer's browser says it is in; None when it says none we know."""
    try:
        return ZoneInfo(st.context.timezone) if st.context.timezone else None
    except (ValueError, KeyError):  # not an IANA name this machine knows
        return None


def office_day() -> date:
    """Today at the office."""
    return today_in(office_zone())


def current_actor() -> Actor:
    actor = st.session_state.get(ACTOR_KEY)
    if actor is None:
        st.stop()
    return actor


def call(service: Callable[Concatenate[Any, Actor, P], R], *args: P.args, **kwargs: P.kwargs) -> R:
    """Call `service(session, actor, ...)` for the logged-in user in a fresh session."""
    with session_scope(engine()) as session:
        return service(session, current_actor(), *args, **kwargs)


def call_anonymous(
    service: Callable[Concatenate[Any, P], R], *args: P.args, **kwargs: P.kwargs
) -> R:
    """Call a service that runs before anyone is logged in (login, session checks)."""
    with session_scope(engine()) as session:
        return service(session, *args, **kwargs)


@st.cache_data(max_entries=2000, show_spinner=False)
def _cached_call(
    database_url: str,
    version: int,
    office_day: date,
    actor: Actor,
    service_path: tuple[str, str],
    args: tuple[Any, ...],
    kwargs: tuple[tuple[str, Any], ...],
) -> Any:
    # The URL, data version, office day and actor are part of the key: another database, any
    # write, midnight at the office (overdue, quiet, birthdays, pace) or another scope never
    # reuses an answer.
    module, name = service_path
    service = getattr(importlib.import_module(module), name)
    with session_scope(engine()) as session:
        return service(session, actor, *args, **dict(kwargs))


def cached(
    service: Callable[Concatenate[Any, Actor, P], R], *args: P.args, **kwargs: P.kwargs
) -> R:
    """Like `call`, for reads: answered from the cache until the data version moves."""
    version = call_anonymous(data_version.current)
    path = (service.__module__, service.__name__)
    return _cached_call(  # type: ignore[no-any-return]
        config().database_url,
        version,
        office_day(),
        current_actor(),
        path,
        args,
        tuple(sorted(kwargs.items())),
    )
