"""``python -m sim serve|run|load|staff``: the emulator from the shell."""
from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import signal
import sys
from pathlib import Path

from .config import DEFAULT_NUMBER, Credentials, SimConfig
from .load import LoadPlan, run_load, staff_numbers
from .scenario import EXAMPLE, load_scenario, report, run_scenario
from .server import Emulator


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="python -m sim", description="A local stand-in for Twilio.")
    commands = top.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="serve the REST API, the phone network and the control API")
    run = commands.add_parser("run", help="run a scenario file and print what every caller heard")
    run.add_argument("scenario", type=Path)
    run.add_argument("--timeline", action="store_true", help="print every event of every call, with times")
    load = commands.add_parser("load", help="drive many concurrent calls and report latency and violations")
    load.add_argument("--callers", type=int, default=100)
    load.add_argument("--staff", type=int, default=10)
    load.add_argument("--duration", type=float, default=300.0, help="simulated seconds over which callers arrive")
    load.add_argument("--seed", type=int, default=7)
    load.add_argument("--timeout", type=float, default=900.0, help="real seconds to wait for the calls to end")
    load.add_argument("--json", type=Path, help="also write the report as JSON here")
    for command in (serve, run, load):
        _common(command)
    staff = commands.add_parser("staff", help="print a staff CSV (for `flask staff import`) of the load's phones")
    staff.add_argument("--count", type=int, default=10)
    commands.add_parser("example", help="print an example scenario file")
    return top


def _common(command: argparse.ArgumentParser) -> None:
    command.add_argument("--service-url", help="the helpline's base URL (webhooks go to <url>/voice/…)")
    command.add_argument("--host", default="127.0.0.1")
    command.add_argument("--port", type=int, default=8010, help="REST + control API port (0: any free port)")
    command.add_argument("--speed", type=float, help="simulated time per real second (default 1)")
    command.add_argument("--number", action="append", help=f"a helpline number (default {DEFAULT_NUMBER})")
    command.add_argument("--webhook-timeout", type=float, default=15.0, help="real seconds (Twilio: 15)")
    command.add_argument("--cps", type=float, help="outbound calls started per second (Twilio's default: 1)")
    command.add_argument("--public-url", help="the emulator's own URL as the service sees it")
    command.add_argument("--callback-jitter", type=float, default=0.0,
                         help="delay status callbacks by up to this many simulated seconds (reorders them)")
    command.add_argument("--duplicate-callbacks", type=float, default=0.0,
                         help="probability that a status callback is delivered twice, as Twilio sometimes does")
    command.add_argument("--env-file", action="append", type=Path, default=[],
                         help="KEY=VALUE file read for TWILIO_* (e.g. var/local.env from make run)")
    for name in ("account-sid", "auth-token", "api-key", "api-secret"):
        command.add_argument(f"--{name}")


def config_from(args: argparse.Namespace, scenario_speed: float | None = None,
                scenario_url: str | None = None, numbers: list[str] | None = None) -> SimConfig:
    env = dict(os.environ)
    for path in args.env_file:
        for line in path.read_text().splitlines():
            name, sep, value = line.partition("=")
            if sep and not line.lstrip().startswith("#"):
                env.setdefault(name.strip(), value.strip())
    for flag, name in (("account_sid", "TWILIO_ACCOUNT_SID"), ("auth_token", "TWILIO_AUTH_TOKEN"),
                       ("api_key", "TWILIO_API_KEY"), ("api_secret", "TWILIO_API_SECRET")):
        if getattr(args, flag):
            env[name] = getattr(args, flag)
    service = args.service_url or scenario_url or env.get("PUBLIC_BASE_URL") or "http://127.0.0.1:8000"
    public = args.public_url or f"http://{args.host}:{args.port}"
    return SimConfig.for_service(service, Credentials.from_env(env), args.number or numbers,
                                 speed=args.speed or scenario_speed or 1.0, webhook_timeout=args.webhook_timeout,
                                 calls_per_second=args.cps, public_url=public, callback_jitter=args.callback_jitter,
                                 duplicate_callbacks=args.duplicate_callbacks)


async def serve(args: argparse.Namespace) -> int:
    config = config_from(args)
    emulator = Emulator(config)
    url = await emulator.start(args.host, args.port, warm=True)
    print(f"Twilio emulator on {url} (speed {config.speed:g})\n"
          f"  service:  start it with TWILIO_API_BASE_URL={url} and the same TWILIO_* credentials\n"
          f"  webhooks: {config.numbers[0].voice_url} (fallback /voice/fallback, status /voice/status)\n"
          f"  control:  {url}/sim  (POST /sim/calls, /sim/phones; GET /sim/stream for what everyone hears)",
          flush=True)
    stopped = asyncio.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        asyncio.get_running_loop().add_signal_handler(signum, stopped.set)
    try:
        await stopped.wait()
    finally:
        await emulator.stop()
    return 0


async def run(args: argparse.Namespace) -> int:
    scenario = load_scenario(args.scenario)
    emulator = Emulator(config_from(args, scenario.speed, scenario.service_url, scenario.numbers))
    await emulator.start(args.host, args.port, warm=True)
    try:
        results = await run_scenario(emulator.net, scenario)
        print(report(emulator.net, results, args.timeline))
    finally:
        await emulator.stop()
    return 1 if any(r.missing for r in results) or emulator.net.failures else 0


async def load(args: argparse.Namespace) -> int:
    emulator = Emulator(config_from(args))
    await emulator.start(args.host, args.port, warm=True)
    print(f"{args.callers} callers over {args.duration:g} simulated seconds, {args.staff} staff phones "
          f"(the service must know them: python -m sim staff --count {args.staff})", file=sys.stderr, flush=True)
    try:
        plan = LoadPlan(args.callers, args.staff, args.duration, args.seed, args.timeout)
        result = await run_load(emulator.net, plan, emulator.rest.log)
    finally:
        await emulator.stop()
    print(result.text())
    if args.json:
        args.json.write_text(json.dumps({k: v for k, v in vars(result).items()}, indent=2, default=str))
    return 0


def staff_csv(count: int) -> str:
    rows = ["name,contact,languages,lines,role,priority"]
    rows += [f"Sim staff {i + 1},{number},en;es,admissions,staff,{i + 1}" for i, number in
             enumerate(staff_numbers(count))]
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    if args.command == "example":
        print(EXAMPLE, end="")
        return 0
    if args.command == "staff":
        print(staff_csv(args.count))
        return 0
    try:
        return asyncio.run({"serve": serve, "run": run, "load": load}[args.command](args))
    except KeyboardInterrupt:
        return 0
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
