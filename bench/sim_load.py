"""Benchmark: the emulator's load mode against the whole helpline on this machine.

    .venv/bin/python bench/sim_load.py --callers 200 --staff 20 --duration 60

Starts Redis, a SQLite database, gunicorn (2 processes x 8 threads) and one worker with the
shipped call flow, imports the emulator's staff phones and sets them available, then runs
`python -m sim load`, which plays Twilio and every caller and staff phone at real speed and
prints per-webhook latency percentiles, outcomes and any invariant it saw broken.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.stack import PY, ROOT, BenchStack  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--callers", type=int, default=200)
    parser.add_argument("--staff", type=int, default=20)
    parser.add_argument("--duration", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    stack = BenchStack(workers=args.workers).start()
    try:
        csv = subprocess.run([PY, "-m", "sim", "staff", "--count", str(args.staff)], cwd=ROOT, env=stack.env,
                             capture_output=True, text=True, check=True).stdout
        with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False) as handle:
            handle.write(csv)
        stack.flask("staff", "import", handle.name)
        for staff_id in range(1, args.staff + 1):
            stack.flask("staff", "presence", str(staff_id), "available")
        command = [PY, "-m", "sim", "load", "--callers", str(args.callers), "--staff", str(args.staff),
                   "--duration", str(args.duration), "--service-url", stack.base, "--port", str(stack.sim_port)]
        if args.json:
            command += ["--json", str(args.json)]
        print("$", " ".join(command[1:]), flush=True)
        return subprocess.run(command, cwd=ROOT, env=stack.env).returncode
    finally:
        stack.stop()
        print(f"(logs of this run: {stack.dir})", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
