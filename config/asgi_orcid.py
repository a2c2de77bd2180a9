"""ASGI entry point of the orcid service."""

from config.sites import asgi_application

application = asgi_application("orcid")
