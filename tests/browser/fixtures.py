"""Helpers the browser tests share: signing in to the portal, and keeping screenshots."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import expect

from portal.demo import DEMO_PASSWORD

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def screenshot(page, name: str) -> None:
    """Keep a picture of what the test saw, for people reviewing a run."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def log_in(page, portal: str, eid: str = "chriswong", password: str = DEMO_PASSWORD) -> None:
    page.goto(f"{portal}/backend/login/")
    page.get_by_label("EID").fill(eid)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Personal overview")).to_be_visible()
