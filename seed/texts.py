"""Fixed vocabularies and text templates, in English and Chinese."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Product:
    name: str
    # Typical order size in yuan, before the customer's and the rep's factors.
    low: int
    high: int
    # How often it is sold, relative to the others.
    frequency: float


PRODUCTS = (
    Product("Cloud ERP License", 60_000, 400_000, 0.8),
    Product("Analytics Add-on", 15_000, 120_000, 1.0),
    Product("Implementation Service", 30_000, 300_000, 0.7),
    Product("Annual Support Plan", 10_000, 80_000, 1.4),
    Product("Training Package", 5_000, 40_000, 1.2),
    Product("Hardware Bundle", 20_000, 250_000, 0.8),
    Product("Data Integration", 25_000, 200_000, 0.7),
    Product("Consulting Days", 8_000, 90_000, 1.0),
)
PROBABILITY = {
    "lead": 10, "qualified": 25, "proposal": 50, "negotiation": 75, "won": 100, "lost": 0,
}  # fmt: skip
LOST_REASONS = (
    ("Price too high", 30),
    ("Chose a competitor", 25),
    ("No budget", 15),
    ("Timing", 12),
    ("No decision", 10),
    ("Requirements not met", 8),
)
SOURCES = (
    ("Referral", 22), ("Website", 18), ("Trade show", 12), ("Cold call", 10), ("Partner", 10),
    ("WeChat", 12), ("Social media", 8), ("Advertisement", 5), ("Walk-in", 3),
)  # fmt: skip
CHANNELS = (("call", 35), ("message", 25), ("email", 15), ("visit", 15), ("meeting", 10))
# {product} is filled in once per product, so every summary is a shared string.
SUMMARIES = {
    "call": (
        "Called about the {product} quote",
        "Follow-up call on {product} delivery",
        "Checked in on how {product} is going",
        "电话沟通{product}报价",
        "电话回访{product}使用情况",
        "致电确认{product}交付时间",
    ),
    "message": (
        "WeChat message with the {product} brochure",
        "Sent the revised {product} price list",
        "微信发送{product}资料",
        "微信沟通{product}续约事宜",
    ),
    "email": (
        "Emailed the {product} proposal",
        "Sent the {product} contract draft",
        "邮件发送{product}方案",
        "邮件确认{product}合同条款",
    ),
    "visit": (
        "Site visit to review {product} needs",
        "On-site demo of {product}",
        "上门拜访，了解{product}需求",
        "现场演示{product}",
    ),
    "meeting": (
        "Meeting with procurement about {product}",
        "Quarterly business review, {product} roadmap",
        "与采购部门会议讨论{product}",
        "季度业务回顾，讨论{product}规划",
    ),
}
OUTCOMES = (
    "Interested, wants a demo",
    "Asked for a revised quote",
    "No answer, will try again",
    "Agreed to meet next week",
    "Order confirmed",
    "Needs approval from finance",
    "Happy with the service so far",
    "客户有兴趣，约下周演示",
    "客户要求重新报价",
    "未接通，稍后再联系",
    "已确认订单",
    "需要财务审批",
    "客户对服务满意",
)
SURVEY_COMMENTS = {
    "good": (
        "Very responsive, thank you!",
        "Great service and fast delivery.",
        "服务很专业，响应及时。",
        "非常满意，会推荐给同行。",
    ),
    "neutral": (
        "OK overall, delivery could be faster.",
        "Product is fine, support is slow at times.",
        "整体还可以，交付可以更快一些。",
    ),
    "bad": (
        "Nobody called back for a week.",
        "Invoice was wrong twice.",
        "响应太慢，问题一直没有解决。",
        "价格偏高，服务一般。",
    ),
}
SEVERITIES = (("low", 40), ("medium", 35), ("high", 18), ("critical", 7))
COMPLAINTS = {
    "Delivery": (
        "Delivery arrived a week late.",
        "Part of the order is missing.",
        "发货延迟，客户生产受影响。",
    ),
    "Quality": (
        "The module crashes when exporting reports.",
        "Hardware unit failed after two weeks.",
        "产品质量问题，设备频繁死机。",
    ),
    "Billing": (
        "Charged twice for the support plan.",
        "Invoice amount does not match the contract.",
        "发票金额与合同不符。",
    ),
    "Service": (
        "Support ticket unanswered for days.",
        "Engineer missed the scheduled visit.",
        "售后响应太慢，客户不满。",
    ),
}
RESOLUTIONS = {
    "Delivery": ("Shipped the missing items by express.", "补发货物并致歉。"),
    "Quality": ("Replaced the unit under warranty.", "已修复并发布补丁。"),
    "Billing": ("Refunded the difference and reissued the invoice.", "已重开发票并退款。"),
    "Service": ("Assigned a dedicated engineer; apologised.", "安排专人跟进，已致歉。"),
}
PREFERENCES = (
    "Prefers WeChat over phone calls.",
    "Contact in the morning only.",
    "Wants quotes by email, in PDF.",
    "Decision maker is the CFO.",
    "偏好微信沟通。",
    "上午联系为宜。",
    "报价需盖章扫描件。",
    "关注售后响应速度。",
)
NOTES = (
    "Budget cycle starts in March.",
    "Met at the Shanghai trade show.",
    "Competitor contract ends next year.",
    "春节前需确认年度订单。",
    "老客户介绍，重视关系维护。",
    "对价格敏感，注意折扣审批。",
)
REP_TITLES = ("Sales Rep", "Senior Sales Rep", "Account Manager", "Key Account Manager")
TRAINEE_TITLE = "Sales Trainee"


def summaries_by_channel() -> dict[str, tuple[str, ...]]:
    """Every summary template filled with every product, per channel."""
    return {
        channel: tuple(
            template.format(product=product.name) for template in templates for product in PRODUCTS
        )
        for channel, templates in SUMMARIES.items()
    }


def weighted(pairs: tuple[tuple[str, int], ...]) -> tuple[str, ...]:
    """A pool where each value appears as often as its weight: one `pick` draws from it."""
    return tuple(value for value, weight in pairs for _ in range(weight))


def pick(rng: random.Random, pool: Sequence[T]) -> T:
    """`rng.choice`, several times faster: the generator draws millions of these."""
    return pool[int(rng.random() * len(pool))]
