"""The data model of DESIGN.md §4: every table, its keys, locks, archives and checks."""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import SQLModel

import models  # noqa: F401 - registers every table

TABLES = SQLModel.metadata.tables
DESIGN_TABLES = {
    "users", "user_sessions", "teams", "reps", "customers", "interactions", "deals",
    "surveys", "complaints", "goals", "goal_revisions", "goal_checkins",
    "scorecard_templates", "scorecard_dimensions", "reviews", "review_scores",
    "coaching_notes", "incentive_plans", "plan_tiers", "plan_bonuses", "payout_runs",
    "payouts", "payout_lines", "award_rules", "awards", "courses", "training_assignments",
    "development_plans", "audit_events", "settings",
}  # fmt: skip
# Bookkeeping outside DESIGN.md §4: the counter cached reads are keyed by.
BOOKKEEPING = {"data_version"}
# Added by issues after DESIGN.md §4: the pipeline's stage history.
LATER_TABLES = {"deal_stage_changes"}
# Append-only records: written once, never edited, so they carry no version.
APPEND_ONLY = {"audit_events", "goal_revisions", "deal_stage_changes", *BOOKKEEPING}
ARCHIVED = {"customers", "reps", "teams", "goals", "incentive_plans", "courses"}
MONEY = {
    ("deals", "amount"), ("incentive_plans", "cap"), ("plan_tiers", "lower_bound"),
    ("plan_bonuses", "amount"), ("payouts", "total"), ("payout_lines", "amount"),
}  # fmt: skip


def _indexed_columns(table: sa.Table) -> set[str]:
    leading = {next(iter(index.columns)).name for index in table.indexes}
    unique = {
        next(iter(constraint.columns)).name
        for constraint in table.constraints
        if isinstance(constraint, sa.UniqueConstraint)
    }
    return leading | unique | {column.name for column in table.primary_key.columns}


def test_every_design_table_exists() -> None:
    assert set(TABLES) == DESIGN_TABLES | BOOKKEEPING | LATER_TABLES


def test_editable_tables_have_a_version() -> None:
    for name, table in TABLES.items():
        assert ("version" in table.c) == (name not in APPEND_ONLY), name


def test_archivable_tables_archive() -> None:
    for name in ARCHIVED:
        assert "archived_at" in TABLES[name].c, name


def test_money_is_integer_minor_units() -> None:
    for table, column in MONEY:
        assert isinstance(TABLES[table].c[column].type, sa.BigInteger), (table, column)


def test_foreign_keys_of_metric_queries_are_indexed() -> None:
    expected = {
        "customers": {"owner_rep_id"},
        "interactions": {"customer_id", "rep_id", "occurred_at", "next_follow_up_on"},
        "deals": {"customer_id", "rep_id", "stage", "closed_on"},
        "surveys": {"customer_id", "rep_id", "surveyed_on"},
        "complaints": {"customer_id", "rep_id", "opened_on", "status"},
        "reps": {"team_id"},
        "teams": {"parent_id"},
    }
    for table, columns in expected.items():
        indexed = _indexed_columns(TABLES[table])
        assert columns <= indexed, (table, columns - indexed)


def test_unique_constraints() -> None:
    assert TABLES["users"].c["username"].unique
    goal_uniques = [
        {column.name for column in constraint.columns}
        for constraint in TABLES["goals"].constraints
        if isinstance(constraint, sa.UniqueConstraint)
    ]
    assert {"owner_kind", "owner_id", "metric_key", "period_start", "period_end"} in goal_uniques


def test_cheap_checks_exist() -> None:
    def checks(table: str) -> str:
        return " ".join(
            str(constraint.sqltext)
            for constraint in TABLES[table].constraints
            if isinstance(constraint, sa.CheckConstraint)
            and isinstance(constraint.sqltext, sa.TextClause)
        )

    assert "score BETWEEN 1 AND 5" in checks("surveys")
    assert "amount >= 0" in checks("deals")
    assert "target > 0" in checks("goals")
