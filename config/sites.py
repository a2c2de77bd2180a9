"""Builds each service's WSGI / ASGI application: the service is chosen before settings load."""

from __future__ import annotations

import os

from django.core.handlers.asgi import ASGIHandler
from django.core.handlers.wsgi import WSGIHandler


def select_service(service: str) -> None:
    """Pin the process to one service; an explicit SCHOLARHUB_SERVICE that disagrees is an error."""
    chosen = os.environ.setdefault("SCHOLARHUB_SERVICE", service)
    if chosen != service:
        raise RuntimeError(f"this is the {service} application, but SCHOLARHUB_SERVICE={chosen}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def wsgi_application(service: str) -> WSGIHandler:
    select_service(service)
    from django.core.wsgi import get_wsgi_application

    return get_wsgi_application()


def asgi_application(service: str) -> ASGIHandler:
    select_service(service)
    from django.core.asgi import get_asgi_application

    return get_asgi_application()
