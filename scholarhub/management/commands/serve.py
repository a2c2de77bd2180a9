"""Serve one service, or all three, with gunicorn on loopback."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from scholarhub.processes import (
    Service,
    ServiceStartError,
    parse_service_names,
    serve_until_stopped,
)


def add_server_arguments(parser: CommandParser) -> None:
    """Worker options shared by `serve` and `demo`."""
    parser.add_argument("--workers", type=int, default=2, help="processes per service")
    parser.add_argument("--threads", type=int, default=4, help="threads per process")


def check_server_options(options: dict[str, Any]) -> None:
    if not 1 <= options["workers"] <= 32 or not 1 <= options["threads"] <= 64:
        raise CommandError("--workers must be 1 to 32 and --threads 1 to 64")


class Command(BaseCommand):
    help = "Serve the portal, the ORCID sandbox and/or the Scopus sandbox (default: all three)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("services", nargs="*", help="portal, orcid, scopus (default: all)")
        parser.add_argument(
            "--port", type=int, default=None, help="serve the one service named on this port"
        )
        add_server_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        check_server_options(options)
        try:
            services = parse_service_names(options["services"])
        except ValueError as error:
            raise CommandError(str(error)) from error
        ports = {}
        if options["port"] is not None:
            if len(services) != 1:
                raise CommandError("--port needs exactly one service named")
            if not 1 <= options["port"] <= 65535:
                raise CommandError("--port must be 1 to 65535")
            ports[services[0].name] = options["port"]
        run_services(services, options, self.stdout.write, ports=ports)


def run_services(
    services: list[Service],
    options: dict[str, Any],
    announce: Any,
    ports: dict[str, int] | None = None,
) -> None:
    """Serve until stopped; a start-up failure becomes a command error with its reason."""
    try:
        serve_until_stopped(
            services,
            workers=options["workers"],
            threads=options["threads"],
            announce=announce,
            ports=ports,
        )
    except ServiceStartError as error:
        raise CommandError(str(error)) from error
