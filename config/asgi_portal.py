"""ASGI entry point of the portal service."""

from config.sites import asgi_application

application = asgi_application("portal")
