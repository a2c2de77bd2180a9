"""Is the process that holds a lease still alive? Leases name their holder by host, pid and the
pid's start time, so a lease of a killed process is recognised at once, not after a timeout.

The start time matters because pids are reused: a lease of pid 4242 that died an hour ago must
not look alive because an unrelated process got 4242 since.
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass


def _start_ticks(pid: int) -> str:
    """The process's start time in clock ticks since boot (Linux), or "" where unknown."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as stat:
            raw = stat.read()
    except OSError:
        return ""
    # The command name (field 2) may hold spaces and parentheses: count fields after its end.
    fields = raw[raw.rfind(")") + 2 :].split()
    return fields[19] if len(fields) > 19 else ""


@dataclass(frozen=True)
class Holder:
    """Who holds a lease: the machine, the process and when that process started."""

    host: str
    pid: int
    started: str

    @classmethod
    def current(cls) -> Holder:
        """This process."""
        pid = os.getpid()
        return cls(host=socket.gethostname(), pid=pid, started=_start_ticks(pid))

    def __str__(self) -> str:
        return f"pid {self.pid} on {self.host}"

    def is_local(self) -> bool:
        return self.host == socket.gethostname()

    def is_dead(self) -> bool:
        """True only when this machine can see that the holder is gone; another machine's
        process is never declared dead here (its heartbeat decides)."""
        if not self.is_local():
            return False
        if self.pid <= 0:
            return True
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return True
        except PermissionError:
            pass  # it exists, under another user
        return bool(self.started) and _start_ticks(self.pid) not in ("", self.started)
