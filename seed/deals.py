"""Deals: closed ones in the past (won or lost), open ones expected in the coming weeks,
and each deal's stage history from the day it opened to its stage now."""

from __future__ import annotations

import math
import random
from operator import itemgetter
from typing import NamedTuple

from seed.calendar import MINUTES_PER_DAY, Calendar, at_start, at_work
from seed.customers import CustomerSeed
from seed.dataset import TableRows
from seed.org import ACTIVE, RepSeed
from seed.texts import LOST_REASONS, PROBABILITY, PRODUCTS, pick, weighted

COLUMNS = (
    "id", "created_at", "updated_at", "version", "customer_id", "rep_id", "title",
    "product", "amount", "stage", "probability", "expected_close_on", "closed_on", "lost_reason",
)  # fmt: skip
MIN_YUAN, MAX_YUAN = 5_000, 500_000
FEN_PER_YUAN = 100
BIG_DEAL_YUAN = 200_000
LOST_POOL = weighted(LOST_REASONS)
OPEN_STAGES = (("lead", 0.25), ("qualified", 0.5), ("proposal", 0.7), ("negotiation", 1.01))
OVERDUE_SHARE = 0.1
# A quiet customer's last deals may still close this many days after it went quiet.
QUIET_TAIL_DAYS = 30
# A typical sales cycle of 25 days (log-normal), and an average rep's chance to win.
LOG_CYCLE_DAYS = math.log(25)
WIN_CHANCE = 0.42
FUNNEL = ("lead", "qualified", "proposal", "negotiation")
CLOSED = ("won", "lost")
# How far a lost deal got before it was lost, and the chance a deal skips a middle stage.
LOST_AFTER = weighted((("lead", 30), ("qualified", 30), ("proposal", 22), ("negotiation", 18)))
SKIP_CHANCE = 0.1
STAGE_COLUMNS = ("deal_id", "from_stage", "to_stage", "changed_at")


class WonDeal(NamedTuple):
    """What surveys, complaints and goals need of a won deal."""

    customer: CustomerSeed
    rep: RepSeed
    closed: int
    amount: int


class Opening(NamedTuple):
    """A deal as it was opened; closing or staying open decides the rest of its row."""

    created_at: int
    opened: int
    target: int
    customer: CustomerSeed
    rep: RepSeed
    product: str
    title: str
    yuan: int

    def row(self, updated_at: int, stage: str) -> tuple[object, ...]:
        return (
            self.created_at, updated_at, 1, self.customer.id, self.rep.id, self.title,
            self.product, self.yuan * FEN_PER_YUAN, stage, PROBABILITY[stage],
        )  # fmt: skip


def build_deals(
    rng: random.Random, count: int, calendar: Calendar, customers: list[CustomerSeed]
) -> tuple[TableRows, list[WonDeal]]:
    """`count` deals spread over customers by buying power; rows in the order they opened."""
    weights = [_deal_weight(calendar, customer) for customer in customers]
    per_customer = [0] * len(customers)
    for index in rng.choices(range(len(customers)), weights=weights, k=count):
        per_customer[index] += 1
    maker = _DealMaker(rng, calendar)
    for customer, deals in zip(customers, per_customer, strict=True):
        if deals:
            maker.add_for(customer, deals)
    maker.sell_in_every_team_this_month()
    maker.rows.sort(key=itemgetter(0))
    maker.won.sort(key=lambda deal: (deal.closed, deal.customer.id))
    # Explicit ids, so the stage history can name its deals.
    rows = [(deal_id, *row) for deal_id, row in enumerate(maker.rows, start=1)]
    return TableRows("deals", COLUMNS, rows), maker.won


def _deal_weight(calendar: Calendar, customer: CustomerSeed) -> float:
    days = customer.active_until - max(customer.created, calendar.window_index) + 30
    return customer.value**0.6 * days * (0.7 + 0.3 * customer.owner.skill)


class _DealMaker:
    """Builds deal rows; 300,000 of them in the large set, so per-rep and per-customer
    factors are worked out once."""

    def __init__(self, rng: random.Random, calendar: Calendar) -> None:
        self.rng = rng
        self.calendar = calendar
        self.products = [p for p in PRODUCTS for _ in range(round(p.frequency * 10))]
        self.rows: list[tuple[object, ...]] = []
        self.won: list[WonDeal] = []
        # Open deals as opened, by their position in `rows`.
        self.still_open: dict[int, Opening] = {}
        # rep id -> (deal size factor, speed factor, chance to win)
        self.rep_factors: dict[int, tuple[float, float, float]] = {}

    def _factors(self, rep: RepSeed) -> tuple[float, float, float]:
        if rep.id not in self.rep_factors:
            skill = rep.skill
            self.rep_factors[rep.id] = (skill**0.4, skill**0.3, WIN_CHANCE * skill**0.9)
        return self.rep_factors[rep.id]

    def add_for(self, customer: CustomerSeed, count: int) -> None:
        today = self.calendar.today_index
        first = max(customer.created, self.calendar.window_index)
        if customer.active_until < today - 1:
            last = min(customer.active_until + QUIET_TAIL_DAYS, today)
        else:
            last = self.calendar.last_index
        size = customer.value**0.5
        for _ in range(count):
            deal = self._open_one(customer, first, last, size)
            customer.last_deal = max(customer.last_deal, min(deal.target, today))
            if deal.target <= today:
                self.rows.append(self._closed(deal))
            else:
                customer.open += 1
                self.still_open[len(self.rows)] = deal
                self.rows.append(self._still_open(deal))

    def _open_one(self, customer: CustomerSeed, first: int, last: int, size: float) -> Opening:
        rng, today = self.rng, self.calendar.today_index
        product = pick(rng, self.products)
        # The day it closes (or is expected to), busy months more likely.
        target = self.calendar.sample(rng, first, last)
        rep = customer.rep_at(target if target < today else today)
        rep_size, rep_speed, _ = self._factors(rep)
        typical = product.low * (product.high / product.low) ** rng.random()
        yuan = typical * size * rep_size
        yuan = int(MIN_YUAN if yuan < MIN_YUAN else MAX_YUAN if yuan > MAX_YUAN else yuan)
        yuan = yuan // 100 * 100
        cycle = int(math.exp(rng.gauss(LOG_CYCLE_DAYS, 0.55)) * (yuan / 1e5) ** 0.15 / rep_speed)
        opened = target - (3 if cycle < 3 else 180 if cycle > 180 else cycle)
        if opened < customer.created:
            opened = customer.created
        if opened >= today:
            opened = max(today - 1 - int(rng.random() * 10), customer.created)
        title = f"{product.name} – {customer.name[:60]}"
        return Opening(
            at_work(rng, opened), opened, target, customer, rep, product.name, title, yuan
        )

    def _closed(self, deal: Opening) -> tuple[object, ...]:
        rng, customer, target = self.rng, deal.customer, deal.target
        chance = self._factors(deal.rep)[2] * (0.8 if deal.yuan > BIG_DEAL_YUAN else 1.0)
        updated_at = at_work(rng, target)
        if updated_at < deal.created_at:
            updated_at = deal.created_at
        if rng.random() < min(max(chance, 0.08), 0.8):
            amount = deal.yuan * FEN_PER_YUAN
            customer.won += 1
            if target > customer.last_won:
                customer.last_won = target
            if target > self.calendar.today_index - 365:
                customer.revenue_12m += amount
            self.won.append(WonDeal(customer, deal.rep, target, amount))
            return (*deal.row(updated_at, "won"), target, target, None)
        customer.lost += 1
        return (*deal.row(updated_at, "lost"), target, target, pick(rng, LOST_POOL))

    def sell_in_every_team_this_month(self) -> None:
        """Win today the open deal nearest to closing of each team that has sold nothing yet
        this month: on any day, even the 1st, Home shows every team a win rate."""
        month_start = self.calendar.index(self.calendar.today.replace(day=1))
        selling = {deal.rep.team.id for deal in self.won if deal.closed >= month_start}
        by_target = sorted(self.still_open.items(), key=lambda item: (item[1].target, item[0]))
        for position, deal in by_target:
            if deal.rep.team.id in selling or deal.rep.status != ACTIVE:
                continue
            selling.add(deal.rep.team.id)
            self._win_today(position, deal)

    def _win_today(self, position: int, deal: Opening) -> None:
        today, customer = self.calendar.today_index, deal.customer
        amount = deal.yuan * FEN_PER_YUAN
        del self.still_open[position]
        customer.open -= 1
        customer.won += 1
        customer.last_won = today
        customer.revenue_12m += amount
        self.won.append(WonDeal(customer, deal.rep, today, amount))
        updated_at = max(at_start(today), deal.created_at)
        self.rows[position] = (*deal.row(updated_at, "won"), today, today, None)

    def _still_open(self, deal: Opening) -> tuple[object, ...]:
        today, opened, target = self.calendar.today_index, deal.opened, deal.target
        progress = (today - opened) / max(target - opened, 1)
        # Deals move at their own pace: the stage follows the elapsed time only roughly.
        progress = 0.6 * progress + 0.4 * self.rng.random()
        stage = next(name for name, upto in OPEN_STAGES if progress < upto)
        expected = target
        if self.rng.random() < OVERDUE_SHARE:
            # Forgotten in the pipeline: the expected close date has passed.
            expected = max(today - 1 - int(self.rng.random() * 25), opened)
        return (*deal.row(deal.created_at, stage), expected, None, None)


def build_stage_changes(rng: random.Random, calendar: Calendar, deals: TableRows) -> TableRows:
    """Every deal's moves: opened as a lead, on through the stages (a few skipped) to its
    stage now; a closed deal's last move is its closing, at its `updated_at`. Rows per deal
    in time order; nobody is named as the mover."""
    position = {name: index for index, name in enumerate(deals.columns)}
    deal_id, created, updated, stage_at = (
        position["id"], position["created_at"], position["updated_at"], position["stage"]
    )  # fmt: skip
    now = at_start(calendar.today_index)
    rows: list[tuple[object, ...]] = []
    for deal in deals.rows:
        stage, opened = deal[stage_at], deal[created]
        path = _path(rng, stage)
        closing = [deal[updated]] if stage in CLOSED else []
        end = closing[0] if closing else max(now, opened)
        moves = sorted(_moment(rng, opened, end) for _ in range(len(path) - 1 - len(closing)))
        stamps = [opened, *moves, *closing]
        previous = None
        for to_stage, stamp in zip(path, stamps, strict=True):
            rows.append((deal[deal_id], previous, to_stage, stamp))
            previous = to_stage
    return TableRows("deal_stage_changes", STAGE_COLUMNS, rows)


def _path(rng: random.Random, stage: str) -> list[str]:
    """The stages a deal went through, in order, ending at `stage`."""
    if stage == "won":
        furthest = len(FUNNEL) - 1
    elif stage == "lost":
        furthest = FUNNEL.index(pick(rng, LOST_AFTER))
    else:
        furthest = FUNNEL.index(stage)
    middle = [FUNNEL[index] for index in range(1, furthest) if rng.random() >= SKIP_CHANCE]
    path = [FUNNEL[0], *middle, *([FUNNEL[furthest]] if furthest else [])]
    return [*path, stage] if stage in CLOSED else path


def _moment(rng: random.Random, first: int, last: int) -> int:
    """A stamp in working hours between two stamps (inclusive), else the nearer of them."""
    first_day, last_day = first // MINUTES_PER_DAY, last // MINUTES_PER_DAY
    stamp = at_work(rng, first_day + int(rng.random() * (last_day - first_day + 1)))
    return first if stamp < first else last if stamp > last else stamp
