"""Which hosts are loopback: what the harness sends to without ``--allow-remote`` (the tools)
or ``--allow-remote-webhooks`` (the dispatcher). Apart from :mod:`harness.delivery.webhooks`
(which re-exports it) so that ``trigger`` and ``replay`` check ``--to`` cheaply."""

from __future__ import annotations

import ipaddress


def is_loopback_host(host: str | None) -> bool:
    """``localhost`` (and ``*.localhost``) or a loopback IP literal."""
    if not host:
        return False
    name = host.strip("[]").lower().rstrip(".")
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False
