"""Fixtures shared by every test package."""

pytest_plugins = ["portal.tests.fixtures"]
