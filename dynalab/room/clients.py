"""boto3 clients and Labs that sign with a room key (the room refuses anything else).

A room Lab is a ``dynalab.engine.Lab`` like any other (the stream projector and the table helpers take it), but
its clients sign with the room's credentials and carry no fidelity plugins: the room is dynalab's own workshop
tool, not a lesson's engine, so nothing here meters or throttles.
"""

from __future__ import annotations

import threading
import urllib.parse
from typing import Any

import boto3
from botocore.config import Config

from dynalab.engine import REGION, FidelityLayer, Lab
from dynalab.i18n import tr
from dynalab.room.keys import credentials

#: a room answers in milliseconds; a room that does not is down or unreachable (the recorder retries later)
CONNECT_TIMEOUT_SECONDS = 2.0
READ_TIMEOUT_SECONDS = 5.0
_lock = threading.Lock()


def room_url_problem(url: object) -> str | None:
    """Why ``url`` is not a room's address (None when it is one): http(s)://host:port."""
    try:
        parts = urllib.parse.urlsplit(url) if isinstance(url, str) else None
        good = bool(parts and parts.scheme in ("http", "https") and parts.hostname and parts.port)
    except ValueError:
        good = False
    if good:
        return None
    return tr("DYNALAB_ROOM must be the room's address, http://host:port as `dynalab room serve` prints it; "
              "got {url!r:.80}", url=url)


def room_client(url: str, key: str, learner: str | None = None, service: str = "dynamodb",
                attempts: int = 1) -> Any:
    """A boto3 client on the room at ``url`` signing with ``key`` (as ``learner`` for a learner's key).
    ``attempts``: botocore's attempts per call (1: the caller decides when to try again)."""
    access_key_id, secret = credentials(key, learner)
    config = Config(connect_timeout=CONNECT_TIMEOUT_SECONDS, read_timeout=READ_TIMEOUT_SECONDS,
                    retries={"mode": "standard", "total_max_attempts": attempts}, max_pool_connections=8)
    with _lock:  # a boto3 session is not thread-safe while it builds a client
        session = boto3.session.Session(aws_access_key_id=access_key_id, aws_secret_access_key=secret,
                                        region_name=REGION)
        return session.client(service, endpoint_url=url, config=config)


def room_lab(url: str, key: str) -> Lab:
    """A Lab on the room signing with the instructor's key (the board, the projector, the journal's replay)."""
    client = room_client(url, key, attempts=3)
    streams = room_client(url, key, service="dynamodbstreams", attempts=3)
    access_key_id, secret = credentials(key)
    with _lock:
        resource = boto3.session.Session(aws_access_key_id=access_key_id, aws_secret_access_key=secret,
                                         region_name=REGION).resource("dynamodb", endpoint_url=url)
    return Lab(endpoint_url=url, engine="moto", embedded=False, client=client, resource=resource, streams=streams,
               fidelity=FidelityLayer("moto"))
