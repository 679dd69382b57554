"""The emulator as one HTTP server: Twilio's REST API and the control API, over one network."""
from __future__ import annotations

import socket

from aiohttp import web

from .config import SimConfig
from .control import ControlApi
from .network import Network
from .rest import RestApi

REST = web.AppKey("rest", RestApi)


@web.middleware
async def open_to_pages(request: web.Request, handler):  # type: ignore[no-untyped-def]
    """Let a phone page served from elsewhere call the control API (never the REST API)."""
    if request.method == "OPTIONS" and request.path.startswith("/sim"):
        response = web.Response()
    else:
        response = await handler(request)
    if request.path.startswith("/sim"):
        response.headers["Access-Control-Allow-Origin"] = "*"
        response.headers["Access-Control-Allow-Headers"] = "Content-Type"
        response.headers["Access-Control-Allow-Methods"] = "GET, POST, DELETE, OPTIONS"
    return response


class Emulator:
    """Network + REST + control API, started and stopped on the running loop."""

    def __init__(self, config: SimConfig, net: Network | None = None) -> None:
        self.config = config
        self.net = net or Network(config)
        self.rest = RestApi(self.net)
        self.control = ControlApi(self.net)
        self.runner: web.AppRunner | None = None
        self.url = ""

    def app(self) -> web.Application:
        app = web.Application(middlewares=[open_to_pages], client_max_size=1024 * 1024)
        app[REST] = self.rest
        app.add_routes(self.control.routes())
        app.add_routes(self.rest.routes())
        return app

    async def start(self, host: str = "127.0.0.1", port: int = 0, serve: bool = True, warm: bool = False) -> str:
        """Start the network (and the HTTP server); returns the server's base URL."""
        await self.net.start()
        if warm:
            await self.rest.warm()
        if not serve:
            return ""
        self.runner = web.AppRunner(self.app(), access_log=None, shutdown_timeout=1.0)
        await self.runner.setup()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        site = web.SockSite(self.runner, sock)
        await site.start()
        self.url = f"http://{host}:{sock.getsockname()[1]}"
        return self.url

    async def stop(self) -> None:
        if self.runner is not None:
            await self.runner.cleanup()
            self.runner = None
        await self.net.close()
        self.rest.close()
