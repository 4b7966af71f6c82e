"""The fidelity layer: what dynalab adds on top of an engine's answers so a lesson shows what DynamoDB would do.

No local engine behaves exactly like DynamoDB (measured: ``tests/integration/``, ``tests/dynalite/``): moto reports
hard-coded ConsumedCapacity, misses some documented limits, answers some malformed requests with HTTP 500, and no
local engine throttles. The layer sits on the boto3 clients that ``dynalab.connect()`` returns, as botocore event
handlers, so the learner's own boto3 code goes through it unchanged. It is engine-agnostic: it sees requests and
responses, never the engine's insides.

**One typed record per call, fixed phases.** For each call the layer builds a ``Call`` (``dynalab.fidelity.call``):
the operation, the request as DynamoDB receives it, the operations it runs (a PartiQL statement translated to the
GetItem, Query, Scan or write it is), the items and keys it touches (``dynalab.fidelity.requests``, the one request
walker), the tables' descriptions (``dynalab.fidelity.catalog``, one cached unmetered DescribeTable), the old items,
the units per table and index, the throttling decisions and the outcome. Plugins are plain objects with a ``phase``
(``Phase``); the layer runs them in phase order, whatever order they were added in:

1. ``VALIDATE``: DynamoDB's validation in DynamoDB's words (``validation``, ``limits``); a refused call changes
   nothing and reaches no engine.
2. ``OLD_ITEMS``: the one reader of the items a write replaces (``old_items``).
3. ``STORED``: refusals that depend on what is stored (``stored_limits``: an update past 400 KB, an item
   collection past 10 GB).
4. ``METER``: capacity units (``metering``), and a global table's replicated write units per Region.
5. ``THROTTLE``: provisioned throughput (``throttling``, added by ``enforce_throughput``).
6. ``STAND_IN``: answers for what the engine lacks (``bulk_put``, ``partiql.stand_in`` and
   ``contributor_insights`` on moto).
7. ``RECORD``: the finished record, for metrics (``recorder``: CloudWatch's metrics on the engine).

**The guard is not a phase.** On AWS, ``aws_guard.AwsGuard`` is installed on each client as a botocore handler of
its own (``before-parameter-build``: before the layer builds its record), so no switch of the layer turns it off;
it reads a PartiQL statement's table with the layer's own parser (``partiql.parser``).

Each plugin may define any of these (``Plugin`` declares them):

``before_call(call)``
    Once per call, before anything is sent. May raise ``aws_error(...)`` to refuse the call as DynamoDB would,
    or change ``call.request`` and call ``call.changed()`` to change what is sent.
``before_send(call) -> botocore AWSResponse | None``
    Once per HTTP attempt (``call.attempts`` counts them). Returning a response answers the attempt in place of
    the engine; an error response goes through boto3's own retry logic (throttling uses this, so a learner sees
    boto3's retries and backoff). A plugin that answers only some operations lists them in
    ``before_send_operations`` so the others cost nothing.
``after_call(call)``
    After the final answer (``call.status_code``, ``call.parsed``: may be changed in place, before boto3's resource
    API deserializes it; the meter fills in ConsumedCapacity here).
``resume()``
    When the layer is switched back on (``lab.fidelity.enabled = True``) after requests it did not see.

**The record phase** gets the finished ``Call`` in ``after_call(call)``; ``recorder.MetricsRecorder`` is its plugin
(``recorder.record_of(call)`` turns the record into the ``CallRecord`` CloudWatch's metrics are counted from):
``call.operation``; ``call.units`` {table: ``TableUnits``(read, write, indexes={index: ``IndexUnits``(read, write,
is_global)})}, the units each table and each GSI/LSI consumed (and ``call.replicated_units`` {Region: {table:
TableUnits}} for a global table's replicated writes); ``call.throttles`` [``Throttle``(table, index, reason,
resource, events, whole_request, keys)], one per throttled attempt with DynamoDB's ThrottlingReasons, and one per
batch served in part (its items handed back: throttle events, not a throttled request); ``call.item_counts``
{table: items returned}; ``call.runs`` and ``call.accesses`` (each item access: table, action, key);
``call.status_code`` and ``call.error_code``. A record-phase plugin must not change the answer.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, Protocol, runtime_checkable

from botocore.awsrequest import AWSResponse
from botocore.exceptions import ClientError

from dynalab.fidelity.call import Call, Phase

__all__ = ["Call", "FidelityLayer", "Phase", "Plugin", "aws_error", "error_response", "operation_name"]

#: The one key the layer keeps its record under in botocore's per-call ``context`` (plugins read the record only).
_CALL = "dynalab_call"


@runtime_checkable
class Plugin(Protocol):
    """A part of the fidelity layer: its ``phase``, and any of the hooks below (each optional)."""

    phase: Phase

    def before_call(self, call: Call) -> None: ...

    def before_send(self, call: Call) -> AWSResponse | None: ...

    def after_call(self, call: Call) -> None: ...

    def resume(self) -> None: ...


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


def ok_response(body: dict[str, Any], default: Callable[[Any], Any] | None = None) -> AWSResponse:
    """An HTTP 200 response with ``body`` as DynamoDB's JSON protocol writes it (a stand-in's answer)."""
    headers = {"Content-Type": "application/x-amz-json-1.0", "x-amzn-RequestId": "dynalab-fidelity"}
    return AWSResponse("", 200, headers, _RawResponse(json.dumps(body, default=default).encode()))


def operation_name(event_name: str) -> str:
    """'before-send.dynamodb.PutItem' -> 'PutItem'."""
    return event_name.rsplit(".", 1)[-1]


def _phase(plugin: Any) -> Phase:
    return getattr(plugin, "phase", Phase.RECORD)


class FidelityLayer:
    """The plugins of one connection, run in phase order, and the botocore handlers that call them."""

    def __init__(self, engine: str, catalog: Any = None, translator: Callable[..., Any] | None = None) -> None:
        #: what answers at the endpoint: "moto", "dynalite", "aws" or "other" (see ``dynalab.engine``)
        self.engine = engine
        #: the tables' descriptions every phase reads (``dynalab.fidelity.catalog.TableCatalog``), or None
        self.catalog = catalog
        #: PartiQL's translator (``dynalab.fidelity.partiql.translate``): without it statements are not looked into
        self.translator = translator
        #: the plugins, in phase order (``add`` keeps it so; removing one is fine)
        self.plugins: list[Any] = []
        self._enabled = True

    @property
    def enabled(self) -> bool:
        """Off: requests go to the engine untouched (and unmetered; on AWS the guard, outside the layer, still
        checks them). Switching it back on calls each plugin's ``resume()``, since requests it did not see may have
        changed what it remembers."""
        return self._enabled

    @enabled.setter
    def enabled(self, value: bool) -> None:
        resuming = bool(value) and not self._enabled
        self._enabled = bool(value)
        if resuming:
            if self.catalog is not None:
                self.catalog.forget(None)
            for plugin in self.plugins:
                resume = getattr(plugin, "resume", None)
                if resume is not None:
                    resume()

    def add(self, plugin: Any) -> Any:
        """Add a plugin after those of its phase and before those of later phases."""
        phase = _phase(plugin)
        position = next((i for i, p in enumerate(self.plugins) if _phase(p) > phase), len(self.plugins))
        self.plugins.insert(position, plugin)
        return plugin

    def find(self, kind: type) -> Any | None:
        """The first plugin of a class, or None."""
        return next((p for p in self.plugins if isinstance(p, kind)), None)

    def install(self, client: Any) -> None:
        """Register the layer on a boto3 client (DynamoDB or DynamoDB Streams)."""
        service = client.meta.service_model.service_id.hyphenize()
        events = client.meta.events
        # register_first: run before the resource API's own handlers turn wire values into Python values.
        events.register_first(f"before-call.{service}", self._before_call)
        events.register_first(f"before-send.{service}", self._before_send)
        events.register_first(f"after-call.{service}", self._after_call)

    # ------------------------------------------------------------------------------------------ the hooks

    def _hooks(self, method: str) -> list[Callable]:
        return [hook for plugin in self.plugins if (hook := getattr(plugin, method, None)) is not None]

    def _before_call(self, event_name: str, params: dict, context: dict, model: Any = None, **_: Any) -> None:
        if not self._enabled:
            return
        request = _json_body(params.get("body"))
        call = Call(operation_name(event_name), request, self.engine, self.catalog, model, self.translator,
                    asked_capacity=request.get("ReturnConsumedCapacity", "NONE"),
                    region=context.get("client_region") or "")
        for hook in self._hooks("before_call"):
            hook(call)
        context[_CALL] = call
        if call.body_changed:
            params["body"] = call.body()

    def _before_send(self, event_name: str, request: Any, **_: Any) -> AWSResponse | None:
        context = getattr(request, "context", None) or {}
        call = context.get(_CALL)
        if call is None or not self._enabled:
            return None
        call.attempts += 1
        operation = call.operation
        for plugin in self.plugins:
            hook = getattr(plugin, "before_send", None)
            if hook is None or operation not in getattr(plugin, "before_send_operations", (operation,)):
                continue
            response = hook(call)
            if response is not None:
                return response
        return None

    def _after_call(self, event_name: str, http_response: Any, parsed: dict, context: dict, **_: Any) -> None:
        call = context.get(_CALL)
        if call is None or not self._enabled:
            return
        call.status_code = getattr(http_response, "status_code", 0)
        call.parsed = parsed if isinstance(parsed, dict) else {}
        if self.catalog is not None:
            self.catalog.after_call(call)
        for hook in self._hooks("after_call"):
            hook(call)


def _json_body(body: Any) -> dict:
    if not body:
        return {}
    if isinstance(body, bytes | bytearray):
        body = body.decode("utf-8")
    try:
        decoded = json.loads(body)
    except (TypeError, ValueError):
        return {}
    return decoded if isinstance(decoded, dict) else {}
