"""Cached reads about "today" do not survive midnight at the office: the follow-ups page in
a process whose clock libfaketime sets, from a file the process rewrites to pass midnight."""

from __future__ import annotations

import glob
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# 23:59:00 in Asia/Shanghai, the office's default time zone; the clock runs on from there.
BEFORE_MIDNIGHT = "@2027-03-31 15:59:00"


def test_the_follow_ups_move_to_overdue_at_midnight_without_a_write(tmp_path: Path) -> None:
    libraries = glob.glob("/usr/lib/*/faketime/libfaketimeMT.so.1")
    assert libraries, "Debian's libfaketime is needed (.ci/run installs faketime)"
    clock = tmp_path / "clock"
    clock.write_text(f"{BEFORE_MIDNIGHT}\n")
    # SQLite only, and not under an outer faketime (`make test-days`): its FAKETIME wins.
    env = {
        key: value
        for key, value in os.environ.items()
        if key != "TEST_DATABASE_URL" and not key.startswith("FAKETIME")
    }
    env |= {
        "LD_PRELOAD": libraries[0],
        "FAKETIME_TIMESTAMP_FILE": str(clock),
        "FAKETIME_NO_CACHE": "1",  # read the file on every call: the case moves the clock
        "TZ": "UTC",
    }
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist",
         "tests/pages/midnight_case.py"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    assert "1 passed" in run.stdout
