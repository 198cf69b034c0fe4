"""The sales diary: calls, visits, emails, meetings and messages, with their follow-ups.

Each customer's last contact is the date of its latest interaction, as the diary's
write path keeps it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from operator import itemgetter

from seed.calendar import Calendar, at_work
from seed.customers import CustomerSeed
from seed.dataset import TableRows
from seed.org import Org, RepSeed
from seed.texts import CHANNELS, OUTCOMES, summaries_by_channel, weighted
from services.settings import DEFAULTS

COLUMNS = (
    "created_at", "updated_at", "version", "customer_id", "rep_id", "logged_by_user_id",
    "occurred_at", "channel", "summary", "outcome", "next_follow_up_on", "follow_up_done_at",
)  # fmt: skip
OCCURRED_AT = COLUMNS.index("occurred_at")
# Contacts a manager made alone (a visit, a call to a big account): nobody from sales.
MANAGER_CONTACT_SHARE = 0.03
CHANNEL_POOL = weighted(CHANNELS)
# Bigger customers are worked harder.
TIER_ATTENTION = {"A": 3.0, "B": 1.8, "C": 1.0}
# Share of live customers whose owner kept within the tier's contact interval.
KEPT_IN_TOUCH = {"A": 0.85, "B": 0.8, "C": 0.7}
FOLLOW_UP_SHARE = 0.4
FOLLOW_UP_MAX_DAYS = 14
OUTCOME_SHARE = 0.88
# Chance a follow-up due in the last three weeks is still open, higher for weaker reps;
# older ones were all done (or dropped) by now, so "overdue" reads like a live diary.
MISSED_SHARE, OPEN_FOR_DAYS = 0.12, 21


def _split(texts: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(English, Chinese) texts."""
    return (
        tuple(text for text in texts if text.isascii()),
        tuple(text for text in texts if not text.isascii()),
    )


@dataclass
class Makers:
    """Who made each contact and who logged it, drawn from an rng of their own so the
    rest of the data set stays as it was."""

    org: Org
    rng: random.Random

    def of(self, rep: RepSeed) -> tuple[int | None, int | None]:
        """(rep id, user id): the rep, logged by them or their manager; now and then their
        manager alone, nobody from sales."""
        if self.rng.random() < MANAGER_CONTACT_SHARE:
            return None, rep.team.manager_user_id
        return rep.id, self.org.logger_of(rep)


def build_interactions(
    rng: random.Random,
    count: int,
    calendar: Calendar,
    customers: list[CustomerSeed],
    makers: Makers,
) -> TableRows:
    """`count` interactions; sets every customer's `last_contact`. Rows in time order."""
    weights = [_attention(calendar, customer) for customer in customers]
    # Every customer was contacted at least once: that is how they got on file.
    per_customer = [1] * len(customers) if count >= len(customers) else [0] * len(customers)
    spread = count - sum(per_customer)
    for index in rng.choices(range(len(customers)), weights=weights, k=spread):
        per_customer[index] += 1
    writer = _Writer(rng, calendar, makers)
    for customer, interactions in zip(customers, per_customer, strict=True):
        days = _contact_days(rng, calendar, customer, interactions)
        customer.last_contact = max(days) if days else None
        for day in days:
            writer.add(customer, day)
    writer.rows.sort(key=itemgetter(OCCURRED_AT))
    return TableRows("interactions", COLUMNS, writer.rows)


def _attention(calendar: Calendar, customer: CustomerSeed) -> float:
    days = customer.active_until - max(customer.created, calendar.window_index) + 14
    deals = customer.won + customer.lost + customer.open
    skill = 0.7 + 0.3 * customer.owner.skill
    return (1 + 1.5 * deals) * TIER_ATTENTION[customer.tier] * skill * max(days, 14)


def _contact_days(
    rng: random.Random, calendar: Calendar, customer: CustomerSeed, count: int
) -> list[int]:
    if not count:
        return []
    first = max(customer.created, calendar.window_index)
    last = customer.active_until
    days = [calendar.sample(rng, first, last) for _ in range(count)]
    if customer.created >= calendar.window_index:
        days[-1] = customer.created
    yesterday = calendar.today_index - 1
    if last == yesterday and rng.random() < KEPT_IN_TOUCH[customer.tier]:
        interval = DEFAULTS["tier_contact_days"][customer.tier]
        days[0] = rng.randint(max(first, yesterday - interval + 1), yesterday)
    return days


class _Writer:
    """Builds interaction rows; texts are shared strings so a million rows stay small."""

    def __init__(self, rng: random.Random, calendar: Calendar, makers: Makers) -> None:
        self.rng = rng
        self.calendar = calendar
        self.makers = makers
        self.rows: list[tuple[object, ...]] = []
        self.summaries = {
            channel: _split(texts) for channel, texts in summaries_by_channel().items()
        }
        self.outcomes = _split(OUTCOMES)

    def add(self, customer: CustomerSeed, day: int) -> None:
        # The hot loop of the large set (a million calls): locals and `random()` only.
        random_ = self.rng.random
        calendar = self.calendar
        rep = customer.rep_at(day)
        occurred_at = at_work(self.rng, day)
        channel = CHANNEL_POOL[int(random_() * len(CHANNEL_POOL))]
        # English-speaking reps write in English; the others mostly in Chinese.
        chinese = 0 if rep.person.english or random_() < 0.25 else 1
        summaries = self.summaries[channel][chinese]
        summary = summaries[int(random_() * len(summaries))]
        outcomes = self.outcomes[chinese]
        outcome = outcomes[int(random_() * len(outcomes))] if random_() < OUTCOME_SHARE else None
        follow_up_on = done_at = None
        if random_() < FOLLOW_UP_SHARE:
            due = day + 1 + int(random_() * FOLLOW_UP_MAX_DAYS)
            follow_up_on = due
            age = calendar.today_index - due
            if age > 0 and random_() >= self._missed(age, rep.skill):
                # Done on the day or the next; a later day than the contact itself.
                done = due + int(random_() * 2)
                if done >= calendar.today_index:
                    done = calendar.today_index - 1
                done_at = at_work(self.rng, done)
        maker, logged_by = self.makers.of(rep)
        self.rows.append((
            occurred_at, done_at or occurred_at, 1, customer.id, maker, logged_by, occurred_at,
            channel, summary, outcome, follow_up_on, done_at,
        ))  # fmt: skip

    @staticmethod
    def _missed(age: int, skill: float) -> float:
        """Chance a follow-up due `age` days ago is still open."""
        return MISSED_SHARE * (1.6 - 0.6 * skill) if age <= OPEN_FOR_DAYS else 0.0
