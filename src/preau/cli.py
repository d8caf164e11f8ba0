"""The ``preau`` command: Django's management commands under the project's name."""

from __future__ import annotations

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "preau.settings")
    from django.core.management import execute_from_command_line

    argv = [arg.replace("import-onde", "import_onde") if i == 1 else arg
            for i, arg in enumerate(sys.argv)]
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
