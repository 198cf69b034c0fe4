"""The two data sets: how big each is and how its organisation is laid out."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Size:
    name: str
    # Region name -> (customer region, team names); teams hold the reps.
    regions: dict[str, tuple[str, tuple[str, ...]]]
    reps: int
    customers: int
    deals: int
    interactions: int
    # Share of won deals followed by a survey, and by a complaint (scaled by rep skill).
    survey_share: float
    complaint_share: float


DEMO = Size(
    name="demo",
    regions={"North Region": ("North China", ("Team East", "Team West", "Team South"))},
    reps=15,
    customers=600,
    deals=4_000,
    interactions=12_000,
    survey_share=0.5,
    complaint_share=0.08,
)
LARGE = Size(
    name="large",
    regions={
        "North Region": (
            "North China",
            ("Team East", "Team West", "Team South", "Team Beijing", "Team Tianjin"),
        ),
        "East Region": (
            "East China",
            ("Team Shanghai", "Team Hangzhou", "Team Nanjing", "Team Suzhou", "Team Xiamen"),
        ),
        "South Region": (
            "South China",
            ("Team Guangzhou", "Team Shenzhen", "Team Dongguan", "Team Changsha", "Team Nanning"),
        ),
        "West Region": (
            "West China",
            ("Team Chengdu", "Team Chongqing", "Team Xi'an", "Team Kunming", "Team Wuhan"),
        ),
    },
    reps=400,
    customers=100_000,
    deals=300_000,
    interactions=1_000_000,
    survey_share=0.4,
    complaint_share=0.04,
)
SIZES = {size.name: size for size in (DEMO, LARGE)}
