"""Courses, training plans and individual development plans."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlmodel import Field

from models.base import Archivable, Editable, enum_column
from models.enums import AssignmentStatus, CourseCategory, CourseFormat


class Course(Archivable, table=True):
    __tablename__ = "courses"

    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(max_length=200, unique=True)
    category: CourseCategory = Field(sa_type=enum_column(CourseCategory))
    format: CourseFormat = Field(sa_type=enum_column(CourseFormat))
    hours: float | None = Field(default=None)
    description: str | None = Field(default=None, max_length=4000)
    # Scorecard dimension name this course strengthens, for suggestions.
    dimension_name: str | None = Field(default=None, max_length=120)


class TrainingAssignment(Editable, table=True):
    __tablename__ = "training_assignments"
    __table_args__ = (
        sa.CheckConstraint("pre_score IS NULL OR pre_score BETWEEN 0 AND 100", name="pre_range"),
        sa.CheckConstraint("post_score IS NULL OR post_score BETWEEN 0 AND 100", name="post_range"),
        sa.Index("ix_training_assignments_rep_due", "rep_id", "due_on"),
    )

    id: int | None = Field(default=None, primary_key=True)
    rep_id: int = Field(foreign_key="reps.id")
    course_id: int = Field(foreign_key="courses.id", index=True)
    mentor_rep_id: int | None = Field(default=None, foreign_key="reps.id")
    due_on: date | None = Field(default=None)
    status: AssignmentStatus = Field(
        default=AssignmentStatus.PLANNED, sa_type=enum_column(AssignmentStatus)
    )
    completed_on: date | None = Field(default=None)
    pre_score: int | None = Field(default=None)
    post_score: int | None = Field(default=None)
    feedback: str | None = Field(default=None, max_length=4000)


class DevelopmentPlan(Archivable, table=True):
    __tablename__ = "development_plans"

    id: int | None = Field(default=None, primary_key=True)
    rep_id: int = Field(foreign_key="reps.id", index=True)
    career_goal: str = Field(max_length=1000)
    target_role: str | None = Field(default=None, max_length=120)
    target_date: date | None = Field(default=None)
    notes: str | None = Field(default=None, max_length=4000)
