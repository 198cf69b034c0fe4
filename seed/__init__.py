"""Deterministic demo and scale data: `generate(engine, "demo" | "large", seed=..., today=...)`.

Never imported by `services` or `models`; never imports Streamlit.
"""

from seed.generate import DEFAULT_SEED, DatabaseNotEmpty, build, generate, load
from seed.loader import tables_with_rows
from seed.org import DEMO_PASSWORD
from seed.sizes import SIZES

__all__ = [
    "DEFAULT_SEED",
    "DEMO_PASSWORD",
    "SIZES",
    "DatabaseNotEmpty",
    "build",
    "generate",
    "load",
    "tables_with_rows",
]
