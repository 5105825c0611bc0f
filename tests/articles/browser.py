"""Signing in to the admin in a real browser, as the desk editor (conftest's `desk_editor`)."""

import re

DESK_USERNAME = "desk"
DESK_PASSWORD = "pw-desk-12345"


def sign_in_as_desk(page, live_server):
    """Fill the admin's login form and wait for the admin index."""
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", DESK_USERNAME)
    page.fill("#id_password", DESK_PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(re.compile(r"/admin/$"))
