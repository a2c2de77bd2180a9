"""WSGI entry point of the orcid service."""

from config.sites import wsgi_application

application = wsgi_application("orcid")
