"""Who may see and change what. Every service calls these before it reads or writes."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import NoReturn

from sqlmodel import Session, col, select

from models import AuditEvent, Rep, Team, User
from models.enums import Locale, Role
from services.errors import PermissionDenied


@dataclass(frozen=True)
class Actor:
    """The logged-in user as every service sees them."""

    user_id: int
    username: str
    display_name: str
    role: Role
    locale: Locale
    rep_id: int | None = None
    # Teams this user manages, sub-teams included.
    team_ids: frozenset[int] = frozenset()

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN


def team_children(session: Session) -> dict[int, list[int]]:
    """Each team's direct sub-teams, read in one query."""
    children: dict[int, list[int]] = {}
    for team_id, parent_id in session.exec(select(Team.id, Team.parent_id)).all():
        if parent_id is not None and team_id is not None:
            children.setdefault(parent_id, []).append(team_id)
    return children


def teams_below(children: dict[int, list[int]], roots: Iterable[int]) -> frozenset[int]:
    """`roots` and every team under them, from a `team_children` map."""
    found: set[int] = set()
    stack = list(roots)
    while stack:
        team_id = stack.pop()
        if team_id not in found:
            found.add(team_id)
            stack.extend(children.get(team_id, []))
    return frozenset(found)


def with_sub_teams(session: Session, roots: Iterable[int]) -> frozenset[int]:
    return teams_below(team_children(session), roots)


def teams_above_rep(session: Session, rep_id: int | None) -> frozenset[int]:
    """The rep's team now and every team above it: whose goals a rep reads. Read at every
    call, so a rep who moves team reads the new team's goals at once."""
    if rep_id is None:
        return frozenset()
    team_id = session.exec(select(Rep.team_id).where(col(Rep.id) == rep_id)).first()
    parents = dict(session.exec(select(Team.id, Team.parent_id)).all())
    found: set[int] = set()
    while team_id is not None and team_id not in found:
        found.add(team_id)
        team_id = parents.get(team_id)
    return frozenset(found)


def build_actor(session: Session, user: User) -> Actor:
    """The Actor for `user`: role, linked rep and every team they manage below them."""
    assert user.id is not None
    managed = session.exec(select(Team.id).where(Team.manager_user_id == user.id)).all()
    team_ids = with_sub_teams(session, [t for t in managed if t is not None])
    return Actor(
        user_id=user.id,
        username=user.username,
        display_name=user.display_name,
        role=user.role,
        locale=user.locale,
        rep_id=user.rep_id,
        team_ids=team_ids if user.role == Role.MANAGER else frozenset(),
    )


def deny(
    session: Session, actor: Actor | None, *, action: str, entity: str, entity_id: int | None
) -> NoReturn:
    """Record the refused attempt and raise PermissionDenied; nothing else is written."""
    session.rollback()
    session.add(
        AuditEvent(
            user_id=actor.user_id if actor else None,
            username=actor.username if actor else None,
            action="access.denied",
            entity=entity,
            entity_id=entity_id,
            after={"attempted": action},
        )
    )
    session.commit()
    raise PermissionDenied()


def require_role(session: Session, actor: Actor, *roles: Role, action: str, entity: str) -> None:
    if actor.role not in roles:
        deny(session, actor, action=action, entity=entity, entity_id=None)


def rep_scope(session: Session, actor: Actor) -> frozenset[int] | None:
    """Rep ids the actor may see; None means every rep (admin)."""
    if actor.role == Role.ADMIN:
        return None
    if actor.role == Role.MANAGER:
        if not actor.team_ids:
            return frozenset()
        rows = session.exec(select(Rep.id).where(col(Rep.team_id).in_(actor.team_ids))).all()
        return frozenset(r for r in rows if r is not None)
    return frozenset({actor.rep_id}) if actor.rep_id is not None else frozenset()


def require_rep(session: Session, actor: Actor, rep_id: int, *, action: str) -> None:
    """Raise PermissionDenied unless `rep_id` is within the actor's scope."""
    scope = rep_scope(session, actor)
    if scope is not None and rep_id not in scope:
        deny(session, actor, action=action, entity="rep", entity_id=rep_id)
