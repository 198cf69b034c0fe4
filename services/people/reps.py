"""Reps as the actor may see them: a rep themself, a manager their teams, an admin all."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from models import Rep, Team
from models.base import N_
from models.enums import RepStatus
from services.access import Actor, rep_scope, require_rep
from services.errors import NotFound, ValidationError


@dataclass(frozen=True, slots=True)
class RepSummary:
    """A rep as lists and pickers show them, with their team's name."""

    id: int
    name: str
    email: str | None
    team_id: int | None
    team_name: str | None
    title: str | None
    hire_date: date | None
    status: RepStatus
    version: int


def _as_row(rep: Rep, team_name: str | None) -> RepSummary:
    assert rep.id is not None
    return RepSummary(
        id=rep.id,
        name=rep.name,
        email=rep.email,
        team_id=rep.team_id,
        team_name=team_name,
        title=rep.title,
        hire_date=rep.hire_date,
        status=rep.status,
        version=rep.version,
    )


def get(session: Session, actor: Actor, rep_id: int) -> RepSummary:
    """One rep; PermissionDenied outside the actor's scope."""
    require_rep(session, actor, rep_id, action="rep.get")
    row = session.exec(
        select(Rep, Team.name)
        .join(Team, col(Rep.team_id) == Team.id, isouter=True)
        .where(Rep.id == rep_id)
    ).first()
    if row is None:
        raise NotFound()
    return _as_row(*row)


def list_reps(session: Session, actor: Actor) -> list[RepSummary]:
    """The reps within the actor's scope, by name."""
    query = select(Rep, Team.name).join(Team, col(Rep.team_id) == Team.id, isouter=True)
    scope = rep_scope(session, actor)
    if scope is not None:
        query = query.where(col(Rep.id).in_(scope))
    return [_as_row(*row) for row in session.exec(query.order_by(col(Rep.name))).all()]


def require_active(session: Session, actor: Actor, rep_id: int, *, action: str, field: str) -> None:
    """A rep the actor may give work to: in scope (else PermissionDenied, audited) and
    working (else ValidationError on `field`, naming why)."""
    require_rep(session, actor, rep_id, action=action)
    check_active(session.get(Rep, rep_id), field=field)


def check_active(rep: Rep | None, *, field: str) -> None:
    """ValidationError on `field` unless `rep` exists and is working, naming why."""
    if rep is None:
        raise ValidationError(N_("That rep does not exist."), field=field)
    if rep.status == RepStatus.LEFT or rep.archived_at is not None:
        raise ValidationError(
            N_("That rep has left the company. Choose an active rep as the owner."), field=field
        )
    if rep.status != RepStatus.ACTIVE:
        raise ValidationError(
            N_("That rep is on leave. Choose an active rep as the owner."), field=field
        )
