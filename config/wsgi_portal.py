"""WSGI entry point of the portal service."""

from config.sites import wsgi_application

application = wsgi_application("portal")
