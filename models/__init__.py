"""Every table, imported here so `SQLModel.metadata` knows the whole schema."""

from models.audit import AuditEvent
from models.customers import Complaint, Customer, Interaction, Survey
from models.deals import Deal, DealStageChange
from models.goals import Goal, GoalCheckin, GoalRevision
from models.incentives import (
    Award,
    AwardRule,
    IncentivePlan,
    Payout,
    PayoutLine,
    PayoutRun,
    PlanBonus,
    PlanTier,
)
from models.org import Rep, Team
from models.scorecards import (
    CoachingNote,
    Review,
    ReviewScore,
    ScorecardDimension,
    ScorecardTemplate,
)
from models.settings import DataVersion, Setting
from models.training import Course, DevelopmentPlan, TrainingAssignment
from models.users import User, UserSession

__all__ = [
    "AuditEvent",
    "Award",
    "AwardRule",
    "CoachingNote",
    "Complaint",
    "Course",
    "Customer",
    "DataVersion",
    "Deal",
    "DealStageChange",
    "DevelopmentPlan",
    "Goal",
    "GoalCheckin",
    "GoalRevision",
    "IncentivePlan",
    "Interaction",
    "Payout",
    "PayoutLine",
    "PayoutRun",
    "PlanBonus",
    "PlanTier",
    "Rep",
    "Review",
    "ReviewScore",
    "ScorecardDimension",
    "ScorecardTemplate",
    "Setting",
    "Survey",
    "Team",
    "TrainingAssignment",
    "User",
    "UserSession",
]
