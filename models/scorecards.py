"""Scorecard templates, reviews and coaching."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field

from models.base import Archivable, Editable, enum_column
from models.enums import DimensionSource, ReviewStatus


class ScorecardTemplate(Archivable, table=True):
    __tablename__ = "scorecard_templates"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=120, unique=True)
    description: str | None = Field(default=None, max_length=2000)


class ScorecardDimension(Editable, table=True):
    __tablename__ = "scorecard_dimensions"
    __table_args__ = (sa.CheckConstraint("weight BETWEEN 0 AND 100", name="weight_range"),)

    id: int | None = Field(default=None, primary_key=True)
    template_id: int = Field(foreign_key="scorecard_templates.id", index=True)
    name: str = Field(max_length=120)
    weight: int
    source: DimensionSource = Field(sa_type=enum_column(DimensionSource))
    metric_key: str | None = Field(default=None, max_length=64)
    position: int = Field(default=0)


class Review(Editable, table=True):
    __tablename__ = "reviews"
    __table_args__ = (
        sa.UniqueConstraint("rep_id", "template_id", "period_start", "period_end"),
        sa.CheckConstraint("overall IS NULL OR overall BETWEEN 0 AND 100", name="overall_range"),
        sa.Index("ix_reviews_rep_period", "rep_id", "period_start"),
    )

    id: int | None = Field(default=None, primary_key=True)
    rep_id: int = Field(foreign_key="reps.id")
    template_id: int = Field(foreign_key="scorecard_templates.id", index=True)
    reviewer_user_id: int | None = Field(default=None, foreign_key="users.id")
    period_start: date
    period_end: date
    status: ReviewStatus = Field(default=ReviewStatus.DRAFT, sa_type=enum_column(ReviewStatus))
    overall: float | None = Field(default=None)
    band: str | None = Field(default=None, max_length=40)
    strengths: str | None = Field(default=None, max_length=4000)
    improvements: str | None = Field(default=None, max_length=4000)
    manager_comment: str | None = Field(default=None, max_length=4000)
    rep_comment: str | None = Field(default=None, max_length=4000)
    acknowledged_at: datetime | None = Field(default=None)
    finalized_at: datetime | None = Field(default=None)


class ReviewScore(Editable, table=True):
    __tablename__ = "review_scores"
    __table_args__ = (
        sa.UniqueConstraint("review_id", "dimension_id"),
        sa.CheckConstraint("score IS NULL OR score BETWEEN 0 AND 100", name="score_range"),
    )

    id: int | None = Field(default=None, primary_key=True)
    review_id: int = Field(foreign_key="reviews.id", index=True)
    dimension_id: int = Field(foreign_key="scorecard_dimensions.id", index=True)
    raw_value: float | None = Field(default=None)
    score: float | None = Field(default=None)
    comment: str | None = Field(default=None, max_length=2000)


class CoachingNote(Editable, table=True):
    __tablename__ = "coaching_notes"

    id: int | None = Field(default=None, primary_key=True)
    rep_id: int = Field(foreign_key="reps.id", index=True)
    manager_user_id: int = Field(foreign_key="users.id")
    held_on: date = Field(index=True)
    notes: str = Field(max_length=4000)
    action_items: str | None = Field(default=None, max_length=4000)
    done: bool = Field(default=False)
