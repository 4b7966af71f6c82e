"""The fidelity layer: what dynalab adds on top of an engine's answers so a lesson shows what DynamoDB would do.

No local engine behaves exactly like DynamoDB (measured: ``tests/integration/``, ``tests/dynalite/``): moto reports
hard-coded ConsumedCapacity, misses some documented limits, and no local engine throttles. The layer sits on the
boto3 clients that ``dynalab.connect()`` returns, as botocore event handlers, so the learner's own boto3 code goes
through it unchanged. It is engine-agnostic: it sees requests and responses, never the engine's insides.

The layer is a list of *plugins*; each one is a plain object that may define any of these methods:

``before_call(operation, request_dict, context)``
    Once per call, before anything is sent. ``context["dynalab_request"]`` holds the request as DynamoDB
    receives it (typed attribute values). May raise ``aws_error(...)`` to refuse it as DynamoDB would
    (limits), or replace ``request_dict["body"]`` (JSON bytes) to change what is sent.
``before_send(operation, body, context) -> botocore AWSResponse | None``
    Once per HTTP attempt. Returning a response short-circuits the attempt; an error response there goes
    through boto3's own retry logic (throttling uses this, so a learner sees boto3's retries and backoff).
    A plugin that answers only some operations lists them in ``before_send_operations`` (bulk_put does).
``after_call(operation, request, parsed, status_code, context)``
    After the final answer, before boto3 deserializes it for the resource API. ``request`` is the typed
    request dict; ``parsed`` may be changed in place (metering fills in ConsumedCapacity here).

``resume()``
    When the layer is switched back on (``lab.fidelity.enabled = True``) after requests it did not see.

``context`` is botocore's per-call dict; plugins may keep their own values in it under their own key.

Plugins find what a request touches with the one request walker, ``dynalab.fidelity.requests`` (tables, items,
keys of single calls, Query/Scan, batches and transactions alike), and take DynamoDB's charge rules from
``dynalab.models.charges`` and ``dynalab.models.indexes``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, Protocol

from botocore.awsrequest import AWSResponse
from botocore.exceptions import ClientError

__all__ = ["FidelityLayer", "Plugin", "aws_error", "error_response", "operation_name"]


class Plugin(Protocol):
    """A part of the fidelity layer. Every method is optional."""


def aws_error(code: str, message: str, operation: str, status_code: int = 400) -> ClientError:
    """A ClientError shaped exactly like the one boto3 raises for DynamoDB's own error response."""
    return ClientError(
        {
            "Error": {"Code": code, "Message": message},
            "ResponseMetadata": {"HTTPStatusCode": status_code, "HTTPHeaders": {}, "RetryAttempts": 0},
        },
        operation,
    )


class _RawResponse:
    """The minimal raw-stream botocore reads a short-circuited response body from."""

    def __init__(self, body: bytes) -> None:
        self._body = body

    def stream(self, **_: Any):
        yield self._body

    def read(self, *_: Any) -> bytes:
        body, self._body = self._body, b""
        return body


def error_response(code: str, message: str, url: str = "", status_code: int = 400,
                   extra: dict[str, Any] | None = None) -> AWSResponse:
    """An HTTP response carrying a DynamoDB error, as the service's JSON protocol writes it (``extra``: more
    fields of the error's shape, such as ``ThrottlingReasons``)."""
    body = json.dumps({"__type": f"com.amazonaws.dynamodb.v20120810#{code}", "message": message,
                       **(extra or {})}).encode()
    headers = {"Content-Type": "application/x-amz-json-1.0", "x-amzn-RequestId": "dynalab-fidelity"}
    return AWSResponse(url, status_code, headers, _RawResponse(body))


def operation_name(event_name: str) -> str:
    """'before-send.dynamodb.PutItem' -> 'PutItem'."""
    return event_name.rsplit(".", 1)[-1]


class FidelityLayer:
    """The plugins of one connection, and the botocore handlers that call them."""

    def __init__(self, engine: str) -> None:
        #: what answers at the endpoint: "moto", "dynalite", "aws" or "other" (see ``dynalab.engine``)
        self.engine = engine
        self.plugins: list[Any] = []
        self._enabled = True

    @property
    def enabled(self) -> bool:
        """Off: requests go to the engine untouched (and unmetered). Switching it back on calls each plugin's
        ``resume()``, since requests it did not see may have changed what a plugin remembers."""
        return self._enabled

    @enabled.setter
    def enabled(self, value: bool) -> None:
        resuming = bool(value) and not self._enabled
        self._enabled = bool(value)
        if resuming:
            for plugin in self.plugins:
                resume = getattr(plugin, "resume", None)
                if resume is not None:
                    resume()

    def add(self, plugin: Any) -> Any:
        self.plugins.append(plugin)
        return plugin

    def find(self, kind: type) -> Any | None:
        """The first plugin of a class, or None."""
        return next((p for p in self.plugins if isinstance(p, kind)), None)

    def install(self, client: Any) -> None:
        """Register the layer on a boto3 client (DynamoDB or DynamoDB Streams)."""
        service = client.meta.service_model.service_id.hyphenize()
        events = client.meta.events
        # register_first: run before the resource API's own handlers turn wire values into Python values.
        events.register_first(f"before-call.{service}", self._handler("before_call"))
        events.register_first(f"before-send.{service}", self._before_send)
        events.register_first(f"after-call.{service}", self._after_call)

    def _handler(self, method: str) -> Callable[..., None]:
        def handle(event_name: str, params: dict, context: dict, **_: Any) -> None:
            if not self.enabled:
                return
            operation = operation_name(event_name)
            context["dynalab_request"] = _typed_body(params)
            for plugin in self.plugins:
                hook = getattr(plugin, method, None)
                if hook is not None:
                    hook(operation, params, context)

        return handle

    def _before_send(self, event_name: str, request: Any, **_: Any) -> AWSResponse | None:
        operation = operation_name(event_name)
        # A plugin may name the only operations its hook answers (``before_send_operations``), so that having it
        # costs the other calls nothing.
        hooks = [hook for plugin in self.plugins if (hook := getattr(plugin, "before_send", None)) is not None
                 and operation in getattr(plugin, "before_send_operations", (operation,))]
        if not self.enabled or not hooks:
            return None  # most calls: no throttling on, so the body (up to 16 MB) need not be decoded again
        body = _json_body(request.body)
        context = getattr(request, "context", {}) or {}
        for hook in hooks:
            response = hook(operation, body, context)
            if response is not None:
                return response
        return None

    def _after_call(self, event_name: str, http_response: Any, parsed: dict, context: dict, **_: Any) -> None:
        if not self.enabled:
            return
        operation = operation_name(event_name)
        request = context.get("dynalab_request", {})
        status = getattr(http_response, "status_code", 0)
        for plugin in self.plugins:
            hook = getattr(plugin, "after_call", None)
            if hook is not None:
                hook(operation, request, parsed, status, context)


def _json_body(body: Any) -> dict:
    if not body:
        return {}
    if isinstance(body, bytes | bytearray):
        body = body.decode("utf-8")
    try:
        return json.loads(body)
    except (TypeError, ValueError):
        return {}


def _typed_body(request_dict: dict) -> dict:
    """The request as DynamoDB receives it (typed attribute values), from botocore's request dict."""
    return _json_body(request_dict.get("body"))
