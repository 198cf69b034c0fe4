"""Every enumeration of the data model, stored by value."""

from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    MANAGER = "manager"
    REP = "rep"


class Locale(StrEnum):
    EN = "en"
    ZH_CN = "zh_CN"


class RepStatus(StrEnum):
    ACTIVE = "active"
    ON_LEAVE = "on_leave"
    LEFT = "left"


class CustomerKind(StrEnum):
    COMPANY = "company"
    PERSON = "person"
    DEALER = "dealer"


class CustomerStatus(StrEnum):
    LEAD = "lead"
    ACTIVE = "active"
    DORMANT = "dormant"
    LOST = "lost"


class Tier(StrEnum):
    A = "A"
    B = "B"
    C = "C"


class Channel(StrEnum):
    CALL = "call"
    VISIT = "visit"
    EMAIL = "email"
    MEETING = "meeting"
    MESSAGE = "message"


class DealStage(StrEnum):
    LEAD = "lead"
    QUALIFIED = "qualified"
    PROPOSAL = "proposal"
    NEGOTIATION = "negotiation"
    WON = "won"
    LOST = "lost"


class ComplaintStatus(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    RESOLVED = "resolved"


class Severity(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


class OwnerKind(StrEnum):
    COMPANY = "company"
    TEAM = "team"
    REP = "rep"


class PeriodKind(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"
    CUSTOM = "custom"


class GoalStatus(StrEnum):
    ACTIVE = "active"
    ACHIEVED = "achieved"
    MISSED = "missed"


class DimensionSource(StrEnum):
    METRIC = "metric"
    MANUAL = "manual"


class ReviewStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    ACKNOWLEDGED = "acknowledged"
    FINAL = "final"


class PlanKind(StrEnum):
    FLAT = "flat"
    MARGINAL = "marginal"
    WHOLE_AMOUNT = "whole_amount"


class PayoutRunStatus(StrEnum):
    DRAFT = "draft"
    APPROVED = "approved"
    PAID = "paid"


class PayoutLineKind(StrEnum):
    COMMISSION = "commission"
    ACCELERATOR = "accelerator"
    BONUS = "bonus"
    TEAM_MULTIPLIER = "team_multiplier"
    CAP = "cap"
    ADJUSTMENT = "adjustment"


class AwardKind(StrEnum):
    SALES_CHAMPION = "sales_champion"
    BEST_NEWCOMER = "best_newcomer"
    SATISFACTION_STAR = "satisfaction_star"
    MOST_IMPROVED = "most_improved"


class CourseCategory(StrEnum):
    PRODUCT = "product"
    SALES_SKILLS = "sales_skills"
    NEGOTIATION = "negotiation"
    PSYCHOLOGY = "psychology"
    TOOLS = "tools"
    COMPLIANCE = "compliance"
    ONBOARDING = "onboarding"


class CourseFormat(StrEnum):
    CLASSROOM = "classroom"
    ONLINE = "online"
    ROLE_PLAY = "role_play"
    MENTORING = "mentoring"


class AssignmentStatus(StrEnum):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
