"""AWS mode (``DYNALAB_ENDPOINT=aws``) end to end, against moto's in-process AWS mock: no request leaves the process.

The fixture sets fake credentials and a Region (and no AWS config file), activates ``moto.mock_aws`` and refuses
every socket connect that is not loopback, recording it: a test fails if anything tried to reach the network.
"""

from __future__ import annotations

import ipaddress
import os
import socket

import pytest
from moto import mock_aws

import dynalab.engine as engine_module

FAKE_AWS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_SESSION_TOKEN": "testing",
            "AWS_DEFAULT_REGION": "us-east-1", "AWS_CONFIG_FILE": os.devnull, "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
            "AWS_EC2_METADATA_DISABLED": "true"}


def _is_loopback(address) -> bool:
    host = address[0] if isinstance(address, tuple) else address
    if not isinstance(host, str):
        return False
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@pytest.fixture
def fake_aws() -> dict[str, str]:
    """The fake credentials and Region, as environment variables."""
    return dict(FAKE_AWS)


@pytest.fixture
def outside_connects(monkeypatch):
    """Every non-loopback connect attempted during the test (each is refused)."""
    attempts: list = []
    real_connect, real_connect_ex = socket.socket.connect, socket.socket.connect_ex

    def connect(self, address):
        if self.family in (socket.AF_INET, socket.AF_INET6) and not _is_loopback(address):
            attempts.append(address)
            raise OSError(f"dynalab test: no request may leave the process (tried {address})")
        return real_connect(self, address)

    def connect_ex(self, address):
        if self.family in (socket.AF_INET, socket.AF_INET6) and not _is_loopback(address):
            attempts.append(address)
            return 111
        return real_connect_ex(self, address)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    yield attempts
    assert attempts == [], f"requests tried to leave the process: {attempts}"


@pytest.fixture
def aws_env(monkeypatch):
    """Fake credentials and Region, DYNALAB_ENDPOINT=aws, no dynalab AWS setting of the developer's own."""
    for name in list(os.environ):
        if name.startswith("AWS_") or name in ("DYNALAB_AWS_PREFIX", "DYNALAB_AWS_MAX_DOLLARS"):
            monkeypatch.delenv(name)
    for name, value in FAKE_AWS.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("DYNALAB_ENDPOINT", "aws")
    engine_module._labs.pop("aws", None)
    yield monkeypatch
    engine_module._labs.pop("aws", None)


@pytest.fixture
def mocked_aws(aws_env, outside_connects):
    """Inside moto's in-process AWS mock, with the network refused."""
    with mock_aws():
        yield aws_env
