"""RQ jobs and the worker process (ids in, idempotent)."""
