"""The environment `make run` uses (var/local.env and var/run.env), for the helper scripts."""
from __future__ import annotations

import os

from scripts.localstack import load_env_file, var_dir


def local_environment() -> dict[str, str]:
    """os.environ, completed with what `make run` generated and started."""
    env = dict(os.environ)
    var = var_dir()
    for source in (var / "run.env", var / "local.env"):
        for name, value in load_env_file(source).items():
            env.setdefault(name, value)
    return env
