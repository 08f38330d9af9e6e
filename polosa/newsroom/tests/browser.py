"""Steps the admin's browser tests share."""

from .factories import PASSWORD


def log_in(page, base: str, username: str) -> None:
    """Sign in to the admin as `username` (a user made by the factories)."""
    page.goto(base + "/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url(base + "/admin/")
