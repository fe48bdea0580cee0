"""What the benchmarks read about running processes from Linux's /proc."""

from __future__ import annotations

import os
from pathlib import Path


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far, with that of its children that have exited
    (a PostgreSQL backend or autovacuum worker that ends during a run moves its time to the
    postmaster's children counters instead of taking it out of a sum); 0 once it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return 0.0
    # utime, stime, cutime, cstime
    return sum(int(f) for f in fields[11:15]) / os.sysconf("SC_CLK_TCK")
