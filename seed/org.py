"""The organisation: regions and teams, reps with a hidden skill, and the login accounts."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache

from seed.calendar import Calendar, add_months, at_start
from seed.dataset import Link, TableRows
from seed.names import Person, chinese_person, english_person, unique_people
from seed.sizes import Size
from seed.texts import REP_TITLES, TRAINEE_TITLE, pick
from services.people.passwords import validated_hash

DEMO_PASSWORD = "demo1234"  # noqa: S105 - published in the README; demo data only
ACTIVE, ON_LEAVE, LEFT = "active", "on_leave", "left"
LI_WEI = chinese_person(("Li", "李"), ("Wei", "伟"))
EMMA_CLARK = english_person("Emma", "Clark")
# The first three teams' managers; the demo and the large set share them.
MANAGERS = (
    chinese_person(("Wang", "王"), ("Fang", "芳")),
    chinese_person(("Zhao", "赵"), ("Lei", "磊")),
    english_person("Sarah", "Johnson"),
)
# (team, person, title, months since hire, status): the demo's fifteen reps.
DEMO_REPS = (
    ("Team East", LI_WEI, "Account Manager", 44, ACTIVE),
    ("Team East", EMMA_CLARK, "Sales Rep", 29, ACTIVE),
    ("Team East", chinese_person(("Liu", "刘"), ("Yang", "洋")), "Senior Sales Rep", 60, ACTIVE),
    ("Team East", english_person("Daniel", "Moore"), "Key Account Manager", 72, ACTIVE),
    ("Team East", chinese_person(("Huang", "黄"), ("Li", "丽")), TRAINEE_TITLE, 2, ACTIVE),
    ("Team West", chinese_person(("Zhang", "张"), ("Min", "敏")), "Sales Rep", 22, ACTIVE),
    ("Team West", chinese_person(("Sun", "孙"), ("Hao", "浩")), "Account Manager", 50, ACTIVE),
    ("Team West", english_person("Sophia", "Turner"), "Senior Sales Rep", 38, ACTIVE),
    ("Team West", english_person("David", "Wilson"), "Sales Rep", 30, LEFT),
    ("Team West", chinese_person(("Xu", "徐"), ("Ting", "婷")), "Sales Rep", 14, ACTIVE),
    ("Team South", chinese_person(("Zhou", "周"), ("Jie", "杰")), "Account Manager", 40, ON_LEAVE),
    ("Team South", english_person("Olivia", "Harris"), TRAINEE_TITLE, 4, ACTIVE),
    ("Team South", chinese_person(("Lin", "林"), ("Hao", "浩")), "Key Account Manager", 80, ACTIVE),
    ("Team South", english_person("Grace", "Evans"), "Sales Rep", 18, ACTIVE),
    ("Team South", chinese_person(("Guo", "郭"), ("Xin", "欣")), "Senior Sales Rep", 34, ACTIVE),
)
# Reps the admin can still link a new user to.
DEMO_WITHOUT_LOGIN = frozenset({EMMA_CLARK.name, "Olivia Harris"})
DEMO_SKILLS = (1.55, 1.4, 1.3, 1.2, 1.1, 1.05, 1.0, 1.0, 0.95, 0.9, 0.85, 0.8, 0.7, 0.65, 0.55)
DEMO_LEFT_MONTHS_AGO = 5
REP_LOGINS_PER_TEAM_LARGE = 2
MOBILE_PREFIXES = ("138", "139", "158", "186", "188", "135", "136", "150")


@cache
def demo_password_hash() -> str:
    """One bcrypt hash for every demo account: hashing costs a quarter second each."""
    return validated_hash(DEMO_PASSWORD, "admin")


@dataclass(slots=True)
class TeamSeed:
    id: int
    name: str
    parent_id: int | None
    # The customer region its customers are mostly in.
    region: str
    manager_user_id: int | None = None


@dataclass(slots=True)
class RepSeed:
    id: int
    person: Person
    team: TeamSeed
    title: str
    hire_date: date
    status: str
    left_on: date | None
    # Hidden talent, about 0.5 (weak) to 1.6 (strong): win rate, deal size, service, activity.
    skill: float
    email: str = ""
    phone: str = ""
    mentor_id: int | None = None
    # Calendar indices of the first and last day the rep works in the data.
    first_index: int = 0
    last_index: int = 0


@dataclass
class Org:
    teams: list[TeamSeed]
    reps: list[RepSeed]
    tables: list[TableRows] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    # The user id of each rep who has an account.
    logins: dict[int, int] = field(default_factory=dict)

    @property
    def sales_teams(self) -> list[TeamSeed]:
        return [team for team in self.teams if team.parent_id is not None]

    def logger_of(self, rep: RepSeed) -> int | None:
        """Who types a rep's contacts in: the rep, or for a rep without an account, the
        manager of their team."""
        return self.logins.get(rep.id, rep.team.manager_user_id)


def mobile(rng: random.Random) -> str:
    return f"{pick(rng, MOBILE_PREFIXES)}{rng.randrange(10**8):08d}"


def build_org(rng: random.Random, size: Size, calendar: Calendar) -> Org:
    teams = _teams(size)
    specs = _demo_specs(rng, calendar) if size.name == "demo" else _large_specs(rng, size, calendar)
    org = Org(teams, _reps(rng, calendar, teams, specs, size))
    users, managers = _users(rng, size, org, calendar)
    org.tables = [_team_rows(calendar, teams), _rep_rows(calendar, org.reps), users]
    org.links = [Link("teams", "manager_user_id", managers)]
    return org


def _teams(size: Size) -> list[TeamSeed]:
    # Regions first, so every parent gets a smaller id than its teams.
    regions = [
        TeamSeed(index + 1, name, None, region)
        for index, (name, (region, _)) in enumerate(size.regions.items())
    ]
    teams = list(regions)
    for region, (_, names) in zip(regions, size.regions.values(), strict=True):
        for name in names:
            teams.append(TeamSeed(len(teams) + 1, name, region.id, region.region))
    return teams


RepSpec = tuple[str, Person, str, date, str, date | None]


def _hired(rng: random.Random, today: date, months: int) -> date:
    return min(add_months(today, -months) + timedelta(days=rng.randrange(27)), today)


def _demo_specs(rng: random.Random, calendar: Calendar) -> list[RepSpec]:
    left_on = add_months(calendar.today, -DEMO_LEFT_MONTHS_AGO) + timedelta(days=9)
    return [
        (team, person, title, _hired(rng, calendar.today, months), status,
         left_on if status == LEFT else None)
        for team, person, title, months, status in DEMO_REPS
    ]  # fmt: skip


def _large_specs(rng: random.Random, size: Size, calendar: Calendar) -> list[RepSpec]:
    names = [team for _, teams in size.regions.values() for team in teams]
    per_team = size.reps // len(names)
    taken = {LI_WEI.name, EMMA_CLARK.name} | {manager.name for manager in MANAGERS}
    people = unique_people(rng, size.reps - 2, english_share=0.3, taken=taken)
    specs: list[RepSpec] = [
        ("Team East", LI_WEI, "Account Manager", _hired(rng, calendar.today, 44), ACTIVE, None),
        ("Team East", EMMA_CLARK, "Sales Rep", _hired(rng, calendar.today, 29), ACTIVE, None),
    ]
    for index, person in enumerate(people):
        team = names[min((index + 2) // per_team, len(names) - 1)]
        specs.append(_large_spec(rng, calendar, team, person))
    return specs


def _large_spec(rng: random.Random, calendar: Calendar, team: str, person: Person) -> RepSpec:
    draw = rng.random()
    months = rng.randint(1, 6) if draw < 0.1 else rng.randint(7, 120)
    hired = _hired(rng, calendar.today, months)
    status, left_on = ACTIVE, None
    status_draw = rng.random()
    if status_draw < 0.05 and months > 8:
        status = LEFT
        earliest = max(hired + timedelta(days=90), calendar.window_start + timedelta(days=30))
        span = max((calendar.today - earliest).days - 20, 1)
        left_on = earliest + timedelta(days=rng.randrange(span))
    elif status_draw < 0.08:
        status = ON_LEAVE
    title = TRAINEE_TITLE if months <= 6 else pick(rng, REP_TITLES[: 2 if months < 24 else 4])
    return (team, person, title, hired, status, left_on)


def _skills(rng: random.Random, size: Size, count: int) -> list[float]:
    if size.name == "demo":
        skills = list(DEMO_SKILLS)
        rng.shuffle(skills)
        return skills
    return [min(max(rng.gauss(1.0, 0.28), 0.5), 1.7) for _ in range(count)]


def _reps(
    rng: random.Random,
    calendar: Calendar,
    teams: list[TeamSeed],
    specs: list[RepSpec],
    size: Size,
) -> list[RepSeed]:
    by_name = {team.name: team for team in teams}
    skills = _skills(rng, size, len(specs))
    reps: list[RepSeed] = []
    # Within a team the longest-serving come first, so a mentor always has the smaller id.
    ordered = sorted(
        enumerate(specs), key=lambda item: (by_name[item[1][0]].id, item[1][3], item[0])
    )
    for position, (index, (team, person, title, hired, status, left_on)) in enumerate(ordered):
        rep = RepSeed(
            position + 1, person, by_name[team], title, hired, status, left_on, skills[index]
        )
        rep.first_index = max(calendar.index(hired), 0)
        end = left_on if left_on is not None else calendar.today
        rep.last_index = max(calendar.index(end) - 1, rep.first_index)
        reps.append(rep)
    _contacts(rng, reps)
    _mentors(rng, calendar, reps)
    return reps


def _contacts(rng: random.Random, reps: list[RepSeed]) -> None:
    used: set[str] = set()
    for rep in reps:
        slug = rep.person.slug if rep.person.slug not in used else f"{rep.person.slug}{rep.id}"
        used.add(slug)
        rep.email = f"{slug}@repboard.example"
        rep.phone = mobile(rng)


def _mentors(rng: random.Random, calendar: Calendar, reps: list[RepSeed]) -> None:
    seniors: dict[int, list[RepSeed]] = {}
    for rep in reps:
        candidates = seniors.setdefault(rep.team.id, [])
        newcomer = rep.title == TRAINEE_TITLE
        if candidates and (newcomer or rng.random() < 0.1):
            rep.mentor_id = pick(rng, candidates).id
        if rep.status == ACTIVE and (calendar.today - rep.hire_date).days > 730:
            candidates.append(rep)


def _team_rows(calendar: Calendar, teams: list[TeamSeed]) -> TableRows:
    founded = at_start(0)
    return TableRows(
        "teams",
        ("id", "created_at", "updated_at", "version", "name", "parent_id"),
        [(team.id, founded, founded, 1, team.name, team.parent_id) for team in teams],
    )


def _rep_rows(calendar: Calendar, reps: list[RepSeed]) -> TableRows:
    columns = (
        "id", "created_at", "updated_at", "version", "archived_at", "name", "email", "phone",
        "team_id", "title", "hire_date", "mentor_rep_id", "status",
    )  # fmt: skip
    rows = []
    for rep in reps:
        created = at_start(rep.first_index)
        archived = at_start(rep.last_index + 1) if rep.left_on else None
        rows.append((
            rep.id, created, archived or created, 1, archived, rep.person.name, rep.email,
            rep.phone, rep.team.id, rep.title, calendar.index(rep.hire_date), rep.mentor_id,
            rep.status,
        ))  # fmt: skip
    return TableRows("reps", columns, rows)


def _login_reps(size: Size, reps: list[RepSeed]) -> list[RepSeed]:
    """Reps who get an account, after `rep` (Li Wei): a few stay free to link a new user to."""
    candidates = [rep for rep in reps if rep.status != LEFT and rep.person != LI_WEI]
    if size.name == "demo":
        return [rep for rep in candidates if rep.person.name not in DEMO_WITHOUT_LOGIN]
    chosen: list[RepSeed] = []
    per_team: dict[int, int] = {}
    for rep in candidates:
        if rep.person != EMMA_CLARK and per_team.get(rep.team.id, 0) < REP_LOGINS_PER_TEAM_LARGE:
            per_team[rep.team.id] = per_team.get(rep.team.id, 0) + 1
            chosen.append(rep)
    return chosen


def _users(
    rng: random.Random, size: Size, org: Org, calendar: Calendar
) -> tuple[TableRows, list[tuple[int, int]]]:
    accounts: list[tuple[str, Person | None, str, int | None]] = [("admin", None, "admin", None)]
    teams = org.sales_teams
    taken = {rep.person.name for rep in org.reps} | {manager.name for manager in MANAGERS}
    extra = unique_people(rng, max(len(teams) - len(MANAGERS), 0), 0.3, taken)
    managers = [*MANAGERS, *extra][: len(teams)]
    for number, person in enumerate(managers, start=1):
        accounts.append((_numbered("manager", number), person, "manager", None))
    li_wei = next(rep for rep in org.reps if rep.person == LI_WEI)
    accounts.append(("rep", li_wei.person, "rep", li_wei.id))
    for number, rep in enumerate(_login_reps(size, org.reps), start=2):
        accounts.append((_numbered("rep", number), rep.person, "rep", rep.id))
    created = at_start(calendar.window_index)
    rows = [
        _user_row(created, user_id, *account) for user_id, account in enumerate(accounts, start=1)
    ]
    org.logins = {
        rep_id: user_id
        for user_id, (*_, rep_id) in enumerate(accounts, start=1)
        if rep_id is not None
    }
    # Managers are users 2 .. len(teams) + 1, in team order.
    pairs = [(index + 2, team.id) for index, team in enumerate(teams)]
    for (manager_id, _), team in zip(pairs, teams, strict=True):
        team.manager_user_id = manager_id
    columns = (
        "id", "created_at", "updated_at", "version", "username", "display_name", "email",
        "password_hash", "role", "locale", "rep_id", "failed_logins", "active",
        "must_change_password",
    )  # fmt: skip
    return TableRows("users", columns, rows), pairs


def _numbered(base: str, number: int) -> str:
    return base if number == 1 else f"{base}{number}"


def _user_row(
    created: int,
    user_id: int,
    username: str,
    person: Person | None,
    role: str,
    rep_id: int | None,
) -> tuple[object, ...]:
    name = person.name if person else "Ada Admin"
    locale = "en" if person is None or person.english else "zh_CN"
    email = f"{username}@repboard.example"
    return (
        user_id, created, created, 1, username, name, email, demo_password_hash(), role, locale,
        rep_id, 0, True, False,
    )  # fmt: skip
