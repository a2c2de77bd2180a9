"""ASGI entry point of the scopus service."""

from config.sites import asgi_application

application = asgi_application("scopus")
