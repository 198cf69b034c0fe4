"""The leaderboard: reps or teams ranked on a registry metric for a period, with attainment
against their goals and their movement since the previous period.

Who is ranked (the field) and whose rows an actor sees are decided here: an admin ranks and
sees every rep, a manager the reps of their teams; a rep follows the `leaderboard_visibility`
setting: "everyone" (all reps, all shown), "team" (their team's reps, all shown) or "self"
(all reps ranked, only their own row shown). Teams are ranked the same way: a rep sees every
team under "everyone", else only their own team, with its place among all teams.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from sqlmodel import Session, select

from models import Rep, Team
from models.base import N_
from models.enums import OwnerKind, RepStatus, Role
from services import settings
from services.access import Actor, deny, rep_scope, teams_below
from services.errors import ValidationError
from services.goals import targets
from services.metrics import Direction, Fraction, Metric, get_metric, total
from services.metrics.compute import values_of_reps
from services.performance.dashboard import attainment
from services.periods import Period


class Ranking(StrEnum):
    """What is ranked."""

    REPS = "reps"
    TEAMS = "teams"


class Visibility(StrEnum):
    """The `leaderboard_visibility` setting: whose places a rep sees."""

    EVERYONE = "everyone"
    TEAM = "team"
    SELF = "self"


@dataclass(frozen=True)
class Standing:
    """One rep's or team's place. `rank` None: no result to rank (shown last, unranked)."""

    id: int
    name: str
    # A rep's team, a team's parent (its region); None when there is none.
    group: str | None
    rank: int | None
    value: float | None
    target: float | None
    attainment: float | None
    # The place in the previous period; None when unranked then (or not yet hired).
    previous_rank: int | None
    # The actor's own row, or their own team's.
    own: bool = False

    @property
    def movement(self) -> int | None:
        """Places gained (negative: lost) since the previous period; None if not comparable."""
        if self.rank is None or self.previous_rank is None:
            return None
        return self.previous_rank - self.rank

    @property
    def is_new(self) -> bool:
        """Ranked now but not in the previous period."""
        return self.rank is not None and self.previous_rank is None


@dataclass(frozen=True)
class Leaderboard:
    metric_key: str
    ranking: Ranking
    # How many reps or teams the ranks are counted among (the field), shown or not.
    ranked_among: int
    standings: list[Standing]
    # The setting a rep's view follows; None for managers and admins.
    visibility: Visibility | None = None


@dataclass(frozen=True)
class _Entrant:
    id: int
    name: str
    group: str | None
    # The reps whose numbers add up to the entrant's: the rep, or a team's reps.
    reps: frozenset[int]
    hired: date | None = None


@dataclass(frozen=True)
class _Org:
    """Reps and teams in one read: who works where, and the team tree."""

    reps: dict[int, Rep]
    teams: dict[int, Team]
    # Each team's direct sub-teams (see access.team_children).
    children: dict[int, list[int]]

    @classmethod
    def load(cls, session: Session) -> _Org:
        reps = {rep.id: rep for rep in session.exec(select(Rep)).all() if rep.id is not None}
        teams = {team.id: team for team in session.exec(select(Team)).all() if team.id is not None}
        children: dict[int, list[int]] = {}
        for team_id, team in teams.items():
            if team.parent_id is not None:
                children.setdefault(team.parent_id, []).append(team_id)
        return cls(reps, teams, children)

    def current(self, rep_ids: Iterable[int] | None = None) -> frozenset[int]:
        """Reps still working here (active or on leave), of `rep_ids` (None: all)."""
        wanted = self.reps if rep_ids is None else rep_ids
        return frozenset(
            rep_id
            for rep_id in wanted
            if rep_id in self.reps
            and self.reps[rep_id].status != RepStatus.LEFT
            and self.reps[rep_id].archived_at is None
        )

    def subtree(self, team_id: int) -> frozenset[int]:
        """The team and every team below it."""
        return teams_below(self.children, [team_id])

    def reps_under(self, team_id: int) -> frozenset[int]:
        """Reps of the team and of its sub-teams, whatever their status."""
        teams = self.subtree(team_id)
        return frozenset(rep_id for rep_id, rep in self.reps.items() if rep.team_id in teams)

    def team_name(self, team_id: int | None) -> str | None:
        team = self.teams.get(team_id) if team_id is not None else None
        return None if team is None else team.name

    def rep_entrant(self, rep_id: int) -> _Entrant:
        rep = self.reps[rep_id]
        group = self.team_name(rep.team_id)
        return _Entrant(rep_id, rep.name, group, frozenset({rep_id}), rep.hire_date)


def _field_of_reps(
    session: Session, actor: Actor, org: _Org, team_id: int | None
) -> tuple[frozenset[int], frozenset[int], Visibility | None]:
    """(reps ranked, reps shown, the rep's visibility) for a ranking of reps."""
    if team_id is not None:
        ranked = org.current(org.reps_under(team_id))
        return ranked, ranked, None
    if actor.role != Role.REP:
        ranked = org.current(rep_scope(session, actor))
        return ranked, ranked, None
    visibility = Visibility(settings.leaderboard_visibility(session))
    own = org.current([actor.rep_id] if actor.rep_id is not None else [])
    if not own:
        return frozenset(), frozenset(), visibility
    if visibility == Visibility.EVERYONE:
        everyone = org.current()
        return everyone, everyone, visibility
    if visibility == Visibility.SELF:
        return org.current(), own, visibility
    team = org.reps[min(own)].team_id
    mates = own if team is None else org.current(org.reps_under(team))
    return mates, mates, visibility


def _field_of_teams(
    session: Session, actor: Actor, org: _Org, team_id: int | None
) -> tuple[frozenset[int], frozenset[int], Visibility | None]:
    """(teams ranked, teams shown, the rep's visibility): live teams with working reps."""
    working = {org.reps[rep_id].team_id for rep_id in org.current()}
    live = frozenset(t for t, team in org.teams.items() if t in working and not team.archived_at)
    if team_id is not None:
        ranked = live & org.subtree(team_id)
        return ranked, ranked, None
    if actor.role == Role.ADMIN:
        return live, live, None
    if actor.role == Role.MANAGER:
        return live & actor.team_ids, live & actor.team_ids, None
    visibility = Visibility(settings.leaderboard_visibility(session))
    if visibility == Visibility.EVERYONE:
        return live, live, visibility
    rep = org.reps.get(actor.rep_id) if actor.rep_id is not None else None
    own = live & {rep.team_id} if rep is not None else frozenset()
    return live, frozenset(own), visibility


def _team_entrants(org: _Org, team_ids: frozenset[int]) -> list[_Entrant]:
    # A team's numbers are its own reps' and its sub-teams', whatever their status now:
    # what a rep who has left sold this period still counts for the team.
    return [
        _Entrant(
            team_id,
            org.teams[team_id].name,
            org.team_name(org.teams[team_id].parent_id),
            org.reps_under(team_id),
        )
        for team_id in team_ids
    ]


def _results(
    metric: Metric, entrants: list[_Entrant], values: Mapping[int, Fraction]
) -> dict[int, tuple[float | None, bool]]:
    """Each entrant's (value, whether it is ranked). With no rows at all a sum is zero, but
    only ranked where fewer is better: no complaints is a result, no sales is not yet one."""
    results = {}
    for entrant in entrants:
        found = [values[rep_id] for rep_id in entrant.reps if rep_id in values]
        if not found:
            value = 0.0 if metric.additive else None
            results[entrant.id] = (value, value is not None and metric.direction == Direction.LOWER)
            continue
        value = total(found, ratio=not metric.additive).value
        results[entrant.id] = (value, value is not None)
    return results


def competition_ranks(values: Mapping[int, float], direction: Direction) -> dict[int, int]:
    """Standard competition ranking (1, 2, 2, 4): equal values share the better place."""
    ordered = sorted(values.values(), reverse=direction == Direction.HIGHER)
    first_place: dict[float, int] = {}
    for place, value in enumerate(ordered, start=1):
        first_place.setdefault(value, place)
    return {entrant: first_place[value] for entrant, value in values.items()}


def _ranks(
    session: Session, metric: Metric, period: Period, entrants: list[_Entrant], org: _Org
) -> tuple[dict[int, tuple[float | None, bool]], dict[int, int]]:
    if not entrants:
        return {}, {}
    reps = frozenset[int]().union(*(entrant.reps for entrant in entrants))
    # For most of the reps, one query over all of them beats listing their ids.
    values = values_of_reps(
        session, metric.key, period, None if 2 * len(reps) > len(org.reps) else reps
    )
    results = _results(metric, entrants, values)
    ranked = {
        e: value for e, (value, is_ranked) in results.items() if is_ranked and value is not None
    }
    return results, competition_ranks(ranked, metric.direction)


def standings(
    session: Session,
    actor: Actor,
    key: str,
    period: Period,
    *,
    ranking: Ranking = Ranking.REPS,
    team_id: int | None = None,
) -> Leaderboard:
    """The ranking of reps (active or on leave) or of teams on metric `key` for `period`.

    Ranks are counted over the whole field (see the module's docstring), even when the actor
    sees only part of it; `team_id` narrows the field to a team and its sub-teams, for an
    admin or the team's manager. Each standing carries its target (the goal for exactly this
    period), attainment and its rank in the previous period. PermissionDenied for a team
    outside the actor's teams; ValidationError for an unknown or hand-entered metric.
    """
    if team_id is not None and not actor.is_admin and team_id not in actor.team_ids:
        deny(session, actor, action="leaderboard.read", entity="team", entity_id=team_id)
    metric = get_metric(key)
    if metric.manual:
        raise ValidationError(N_("Metrics entered by hand are not ranked."), field="metric")
    org = _Org.load(session)
    if ranking == Ranking.REPS:
        ranked, shown, visibility = _field_of_reps(session, actor, org, team_id)
        entrants = [org.rep_entrant(rep_id) for rep_id in ranked]
        own = {actor.rep_id}
    else:
        ranked, shown, visibility = _field_of_teams(session, actor, org, team_id)
        entrants = _team_entrants(org, ranked)
        rep = org.reps.get(actor.rep_id) if actor.rep_id is not None else None
        own = {rep.team_id} if rep is not None and actor.role == Role.REP else set()
    previous = period.previous()
    results, ranks = _ranks(session, metric, period, entrants, org)
    earlier = [e for e in entrants if e.hired is None or e.hired <= previous.end]
    _before, previous_ranks = _ranks(session, metric, previous, earlier, org)
    kind = OwnerKind.REP if ranking == Ranking.REPS else OwnerKind.TEAM
    goals = targets.targets_of_owners(session, key, period, kind, shown)
    rows = []
    for entrant in entrants:
        if entrant.id not in shown:
            continue
        value, target = results[entrant.id][0], goals.get(entrant.id)
        rows.append(
            Standing(
                entrant.id, entrant.name, entrant.group, ranks.get(entrant.id), value, target,
                attainment(value, target, metric.direction), previous_ranks.get(entrant.id),
                own=entrant.id in own,
            )
        )  # fmt: skip
    rows.sort(key=lambda row: (row.rank is None, row.rank or 0, row.name, row.id))
    return Leaderboard(key, ranking, len(entrants), rows, visibility)
