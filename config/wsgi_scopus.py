"""WSGI entry point of the scopus service."""

from config.sites import wsgi_application

application = wsgi_application("scopus")
