"""`flask --app callcenter ...` against the stack `make run` started (its keys and Redis)."""
from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scripts.localenv import local_environment  # noqa: E402

if __name__ == "__main__":
    env = local_environment()
    if "TWILIO_ACCOUNT_SID" not in env:
        sys.exit("scripts/cli.py works on the stack `make run` set up (var/local.env); run `make run` once first, "
                 "or use `flask --app callcenter ...` with the service's settings in the environment")
    os.execve(sys.executable, [sys.executable, "-m", "flask", "--app", "callcenter", *sys.argv[1:]], env)
