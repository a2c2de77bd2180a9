"""Loopback ports for servers started by tests, benchmarks and `scholarhub serve`."""

from __future__ import annotations

import socket


def free_port() -> int:
    """A loopback port nothing listens on (live tests and benchmarks start servers there)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def port_is_free(port: int) -> bool:
    """Whether nothing listens on a loopback port yet."""
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True
