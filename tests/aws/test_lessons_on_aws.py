"""Lessons 0 and 1 run top to bottom in AWS mode: a real kernel, started with DYNALAB_ENDPOINT=aws and fake
credentials, whose IPython startup file activates moto's in-process AWS mock and refuses every non-loopback connect
before the first cell. A last cell reports, from inside that kernel, the tables the lesson left and any connect
that tried to leave."""

from __future__ import annotations

import json
import os
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

pytestmark = pytest.mark.integration  # the aws code path end to end (in-process mock)

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"

STARTUP = '''
import ipaddress, socket
from moto import mock_aws

_dynalab_mock = mock_aws()
_dynalab_mock.start()
_dynalab_outside = []
_real_connect = socket.socket.connect


def _loopback(address):
    try:
        return address[0] == "localhost" or ipaddress.ip_address(address[0]).is_loopback
    except (TypeError, ValueError, IndexError):
        return False


def _connect(self, address):
    if self.family in (socket.AF_INET, socket.AF_INET6) and not _loopback(address):
        _dynalab_outside.append(repr(address))
        raise OSError(f"no request may leave this kernel (tried {address})")
    return _real_connect(self, address)


socket.socket.connect = _connect
'''

REPORT = '''
import json, boto3
print("DYNALAB-REPORT " + json.dumps({
    "tables": boto3.client("dynamodb", region_name="us-east-1").list_tables()["TableNames"],
    "outside": _dynalab_outside, "is_aws": lab.is_aws, "engine": lab.describe()}))
'''


@pytest.mark.parametrize("lesson", ["00_start_here.ipynb", "01_capacity_units.ipynb"])
def test_lesson_runs_in_aws_mode_under_the_mock(lesson, tmp_path, monkeypatch, fake_aws):
    startup = tmp_path / "ipython" / "profile_default" / "startup" / "00-moto.py"
    startup.parent.mkdir(parents=True)
    startup.write_text(STARTUP)
    for name in list(os.environ):
        if name.startswith("AWS_") or name.startswith("DYNALAB_"):
            monkeypatch.delenv(name)
    for name, value in {**fake_aws, "DYNALAB_ENDPOINT": "aws", "IPYTHONDIR": str(tmp_path / "ipython")}.items():
        monkeypatch.setenv(name, value)  # the kernel inherits this environment

    notebook = nbformat.read(NOTEBOOKS / lesson, as_version=4)
    notebook.cells.append(nbformat.v4.new_code_cell(REPORT))
    NotebookClient(notebook, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()  # raises on any cell's error

    errors = [output for cell in notebook.cells if cell.cell_type == "code" for output in cell.get("outputs", [])
              if output.get("output_type") == "error"]
    assert errors == []
    text = "".join(output.get("text", "") for output in notebook.cells[-1].outputs)
    report = json.loads(text.split("DYNALAB-REPORT ", 1)[1])
    assert report["is_aws"] and "Amazon DynamoDB" in report["engine"]
    assert report["outside"] == []
    # every table the lesson made on "AWS" carries the prefix (and the lesson made some)
    assert report["tables"] and all(name.startswith("dynalab-") for name in report["tables"]), report["tables"]
