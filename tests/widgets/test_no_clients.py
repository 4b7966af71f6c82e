"""Widgets call no boto3 client (issue 25): what the import-linter contract in pyproject.toml cannot see.

The contract forbids a widget to import boto3, botocore, the fidelity layer or any module under ``dynalab.engine``.
A widget still holds a ``Lab``, whose attributes are boto3 clients: this test reads every widget module's source
and refuses a client reached through an attribute (``lab.client``, ``lab.resource``, ...), a call of a method named
as an operation of the services a lab talks to (``put_item``, ``describe_table``, ``get_metric_data``, ...), and
anything from ``dynalab.engine`` but its face (``Lab``, ``check_lab``). An engine scenario belongs in
``dynalab.lessons``; the widget calls it.
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

import botocore.session
import pytest
from botocore import xform_name

import dynalab.widgets

WIDGETS = sorted(Path(dynalab.widgets.__file__).resolve().parent.glob("*.py"))
#: the Lab's attributes that are boto3 clients or make them (dynalab.engine.Lab)
CLIENT_ATTRIBUTES = {"client", "resource", "streams", "cloudwatch", "new_client", "retrying_client", "in_region"}
#: the services a lab's clients speak (the engine, its CloudWatch and Logs, and the lessons' S3, SQS and Lambda)
SERVICES = ("dynamodb", "dynamodbstreams", "cloudwatch", "logs", "s3", "sqs", "lambda")
ENGINE_FACE = {"Lab", "check_lab"}


@cache
def operation_names() -> frozenset[str]:
    """Every operation of ``SERVICES`` as boto3 names its method (``PutItem`` -> ``put_item``), and ``Table``."""
    session = botocore.session.get_session()
    names = {xform_name(operation) for service in SERVICES
             for operation in session.get_service_model(service).operation_names}
    return frozenset(names | {"Table"})


def client_uses(source: str) -> list[str]:
    """What in ``source`` reaches a boto3 client or the engine's I/O (line: what), [] when nothing does."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and node.attr in CLIENT_ATTRIBUTES:
            found.append(f"{node.lineno}: .{node.attr}")
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
              and node.func.attr in operation_names()):
            found.append(f"{node.lineno}: .{node.func.attr}(...)")
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("dynalab.engine"):
            names = {alias.name for alias in node.names}
            if node.module != "dynalab.engine" or not names <= ENGINE_FACE:
                found.append(f"{node.lineno}: from {node.module} import {', '.join(sorted(names))}")
        elif isinstance(node, ast.Import) and any(a.name.split(".")[0] in ("boto3", "botocore") for a in node.names):
            found.append(f"{node.lineno}: import {', '.join(a.name for a in node.names)}")
    return found


@pytest.mark.parametrize("path", WIDGETS, ids=lambda path: path.name)
def test_a_widget_reaches_no_client(path: Path) -> None:
    assert client_uses(path.read_text(encoding="utf-8")) == [], (
        f"{path.name} calls a client itself: move that into dynalab.lessons and call the lesson")


@pytest.mark.parametrize("source, what", [
    ("self.lab.client.put_item(TableName='t', Item={})", ".client"),
    ("table.put_item(Item=item)", ".put_item(...)"),
    ("lab.resource.Table(name).delete_item(Key=key)", ".resource"),
    ("from dynalab.engine.tables import create_table", "from dynalab.engine.tables import create_table"),
    ("from dynalab.engine import Lab, connect", "from dynalab.engine import Lab, connect"),
    ("import botocore.exceptions", "import botocore.exceptions"),
    ("explorer.sync()", None),
    ("from dynalab.engine import Lab, check_lab", None),
])
def test_the_scan_sees_a_client_call(source: str, what: str | None) -> None:
    found = client_uses(source)
    assert (found == []) if what is None else any(what in line for line in found), found
