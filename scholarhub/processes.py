"""Starting the services as gunicorn processes (and their background processes), for
`scholarhub serve`, `scholarhub demo`, the browser tests and the benchmarks."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import httpx

from utilities.ports import port_is_free


@dataclass(frozen=True)
class Service:
    """One of the three web services and where it listens by default."""

    name: str
    title: str
    default_port: int
    database_alias: str

    @property
    def wsgi_module(self) -> str:
        return f"config.wsgi_{self.name}:application"


SERVICES = (
    Service("portal", "Scholars portal", 8000, "default"),
    Service("orcid", "ORCID sandbox", 8001, "orcid"),
    Service("scopus", "Scopus sandbox", 8002, "scopus"),
)
SERVICES_BY_NAME = {service.name: service for service in SERVICES}


class ServiceStartError(RuntimeError):
    """A service process exited or did not answer in time."""


def gunicorn_command(service: Service, port: int, *, workers: int, threads: int) -> list[str]:
    """The command line that serves one service with gunicorn's threaded workers."""
    return [
        sys.executable,
        "-m",
        "gunicorn",
        service.wsgi_module,
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--worker-class",
        "gthread",
        "--access-logfile",
        "-" if os.environ.get("SCHOLARHUB_ACCESS_LOG") else "/dev/null",
        "--graceful-timeout",
        "2",
        # Idle connections stay open longer than a client keeps them (httpx: 5 s), as behind a
        # proxy: with gunicorn's 2 s a request could go out on a connection the server was
        # closing (1 call in 11,000 of the full-scale export went unanswered).
        "--keep-alive",
        "75",
        # Gunicorn's control socket has one default path per user; three services (and parallel
        # test runs) would fight over it, and nothing here uses it.
        "--no-control-socket",
        # Scopus queries and cursors run long, and gunicorn caps a request line at 8,190 bytes
        # (its plain 414 is HTML): no cap here, so the Scopus sandbox answers an over-long
        # query with Scopus's own JSON error. The header limits stay gunicorn's.
        "--limit-request-line",
        "0",
    ]


def start_service(
    service: Service,
    port: int,
    *,
    environment: Mapping[str, str],
    workers: int = 2,
    threads: int = 4,
) -> subprocess.Popen[bytes]:
    """Start one service in its own process; the caller waits for it with wait_until_ready."""
    env = {**os.environ, **environment, "SCHOLARHUB_SERVICE": service.name}
    command = gunicorn_command(service, port, workers=workers, threads=threads)
    return subprocess.Popen(command, env=env)  # noqa: S603


# The portal's background processes: the scheduler queues periodic jobs, the worker runs them.
BACKGROUND_COMMANDS = (
    ("scheduler",),
    ("db_worker", "--interval", "5", "--no-reload", "--no-startup-delay"),
)


# The Scopus sandbox's own periodic work: its Author Feedback team, checking hourly (it stands
# for another organisation, so the portal's scheduler never runs it).
SCOPUS_SANDBOX_BACKGROUND = (("scopus_sandbox", "process-feedback", "--every", "3600"),)


def start_background(
    environment: Mapping[str, str], *, service: str = "portal"
) -> list[subprocess.Popen[bytes]]:
    """Start a service's background processes: the portal's scheduler and task worker, or the
    Scopus sandbox's feedback processing."""
    commands = {"portal": BACKGROUND_COMMANDS, "scopus": SCOPUS_SANDBOX_BACKGROUND}.get(service, ())
    env = {**os.environ, **environment, "SCHOLARHUB_SERVICE": service}
    return [
        subprocess.Popen([sys.executable, "-m", "scholarhub.cli", *command], env=env)  # noqa: S603
        for command in commands
    ]


def wait_until_ready(process: subprocess.Popen[bytes], url: str, timeout: float = 30.0) -> None:
    """Poll a URL until it answers; fail early if the process died."""
    deadline = time.monotonic() + timeout
    with httpx.Client(timeout=2.0) as probe:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise ServiceStartError(
                    f"the server for {url} exited with code {process.returncode}"
                )
            try:
                probe.get(url)
            except httpx.TransportError:
                time.sleep(0.2)
                continue
            return
    raise ServiceStartError(f"{url} did not answer within {timeout:.0f} s")


def stop_all(processes: list[subprocess.Popen[bytes]]) -> None:
    """Stop server processes, politely first."""
    for process in processes:
        if process.poll() is None:
            process.terminate()
    for process in processes:
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def parse_service_names(names: list[str]) -> list[Service]:
    """Services named on a command line (all three when none); ValueError for unknown names."""
    unknown = [name for name in names if name not in SERVICES_BY_NAME]
    if unknown:
        raise ValueError(f"unknown service {', '.join(unknown)}: choose from portal, orcid, scopus")
    return [SERVICES_BY_NAME[name] for name in names] if names else list(SERVICES)


def stop_on_sigterm(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def serve_until_stopped(
    services: list[Service],
    *,
    workers: int,
    threads: int,
    announce: Callable[[str], None],
    ports: Mapping[str, int] | None = None,
) -> None:
    """Run services until Ctrl+C or one of them exits, on their default ports unless `ports`
    names others."""
    port_of = {service.name: service.default_port for service in services} | dict(ports or {})
    busy = [service for service in services if not port_is_free(port_of[service.name])]
    if busy:
        # Otherwise the readiness probe would be answered by whatever holds the port.
        names = ", ".join(f"{service.title} ({port_of[service.name]})" for service in busy)
        raise ServiceStartError(f"ports already in use: {names}; is another ScholarHub running?")
    # A process manager stops us with SIGTERM: stop the servers as Ctrl+C would.
    signal.signal(signal.SIGTERM, stop_on_sigterm)
    processes = [
        start_service(
            service, port_of[service.name], environment={}, workers=workers, threads=threads
        )
        for service in services
    ]
    try:
        for service, process in zip(services, processes, strict=True):
            wait_until_ready(process, f"http://127.0.0.1:{port_of[service.name]}/")
            announce(f"{service.title}: http://127.0.0.1:{port_of[service.name]}/")
        for service in services:
            processes += start_background({}, service=service.name)
        if SERVICES_BY_NAME["portal"] in services:
            announce("Background jobs: scheduler and task worker (ORCID export at night).")
        while all(process.poll() is None for process in processes):
            time.sleep(1)
        announce("A service stopped; stopping the others.")
    except KeyboardInterrupt:
        announce("Stopping.")
    finally:
        stop_all(processes)
