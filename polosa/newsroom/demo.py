"""Demo newsroom: the roles and the review workflow cover the demo sections (idempotent)."""

from .roles import ensure_roles


def load(stdout) -> None:
    groups = ensure_roles()
    stdout.write(f"Newsroom roles: {', '.join(groups)}.")
