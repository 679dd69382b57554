"""Gunicorn settings for the web tier (``gunicorn -c config/gunicorn.conf.py 'callcenter:create_app()'``)."""
import os
import sys

bind = os.environ.get("CALLCENTER_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("CALLCENTER_WEB_WORKERS", "2"))
# Threads keep webhooks answering while one request waits on Redis or the network.
worker_class = "gthread"
threads = int(os.environ.get("CALLCENTER_WEB_THREADS", "8"))
# Twilio gives up on a webhook after 15 s; no request should ever run near that.
timeout = 20
graceful_timeout = 10
keepalive = 5
accesslog = "-"
# Only path and status: query strings hold SIDs and ids, but never log more than needed.
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms'


def on_starting(server):
    """Stop at once, with the setting's name, when the configuration is wrong."""
    from callcenter.settings import Settings, SettingsError

    try:
        Settings.from_env()
    except SettingsError as exc:
        print(f"callcenter web: configuration error: {exc}", file=sys.stderr)
        sys.exit(2)


def post_worker_init(worker):
    from callcenter import logs

    logs.protect_all_handlers()
