"""Create the demo editor account once and print how to log in."""

import os
import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from polosa.settings.base import VAR_DIR


class Command(BaseCommand):
    help = "Create an administrator account for the newsroom if there is none, and print its login."

    def handle(self, *args, **options):
        user_model = get_user_model()
        username = os.environ.get("POLOSA_EDITOR_USERNAME", "editor")
        password_file = VAR_DIR / "editor-password.txt"
        user = user_model.objects.filter(username=username).first()
        if user is None:
            password = os.environ.get("POLOSA_EDITOR_PASSWORD") or secrets.token_urlsafe(12)
            user_model.objects.create_superuser(
                username=username, email=f"{username}@example.org", password=password
            )
            VAR_DIR.mkdir(exist_ok=True)
            password_file.write_text(password + "\n")
            password_file.chmod(0o600)
        elif password_file.exists():
            password = password_file.read_text().strip()
        else:
            password = "(the one in POLOSA_EDITOR_PASSWORD when the account was created)"  # noqa: S105
        self.stdout.write(f"Newsroom login: /admin/  user: {username}  password: {password}")
