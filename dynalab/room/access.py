"""The room engine's door: who signed a request (AWS Signature Version 4), and whether they may make it.

moto can check SigV4 against its own IAM users, but its policy evaluation ignores a policy's Resource and
Condition parts, and a learner's key is only useful with a condition on the partition key. So the room checks the
signature itself, against ``dynalab.room.keys`` (the same computation botocore signs with), and evaluates the one
policy a learner has, written as IAM would write it (``LEARNER_POLICY``): PutItem on the answers table, only with
their own name as the partition key (``dynamodb:LeadingKeys``), only the answer's attributes
(``dynamodb:Attributes``), and nothing returned (``dynamodb:ReturnValues``). The instructor may do anything.

Refusals use DynamoDB's own codes and words, in the order DynamoDB checks (the ones dynalite records):
MissingAuthenticationTokenException, IncompleteSignatureException, InvalidSignatureException (expired, badly
scoped, or not matching), UnrecognizedClientException (an unknown access key id), then AccessDeniedException.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import re
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass

from dynalab.room import ANSWER_ATTRIBUTES, ANSWERS_TABLE
from dynalab.room.keys import INSTRUCTOR_ACCESS_KEY_ID, RoomKeys, learner_of_access_key_id

ALGORITHM = "AWS4-HMAC-SHA256"
REGION = "us-east-1"
ACCOUNT_ID = "123456789012"
#: SigV4's clock window: a request dated more than this far from the room's clock is refused
CLOCK_SKEW_MINUTES = 15
#: The DynamoDB JSON protocol's targets the room serves (moto's other services and its /moto-api stay shut).
SERVICES = ("DynamoDB_20120810", "DynamoDBStreams_20120810")

#: What a learner may do, as an IAM identity-based policy (the room evaluates exactly this; see ``authorize``).
LEARNER_POLICY = {
    "Version": "2012-10-17",
    "Statement": [{
        "Effect": "Allow",
        "Action": "dynamodb:PutItem",
        "Resource": f"arn:aws:dynamodb:{REGION}:{ACCOUNT_ID}:table/{ANSWERS_TABLE}",
        "Condition": {
            "ForAllValues:StringEquals": {"dynamodb:LeadingKeys": ["${learner}"],
                                          "dynamodb:Attributes": list(ANSWER_ATTRIBUTES)},
            "StringEqualsIfExists": {"dynamodb:ReturnValues": "NONE"},
        },
    }],
}


class Refused(Exception):
    """A request the room refuses: DynamoDB's error code, message and HTTP status."""

    def __init__(self, code: str, message: str, status: int = 400) -> None:
        super().__init__(f"{code}: {message}")
        self.code, self.message, self.status = code, message, status

    def body(self) -> bytes:
        return json.dumps({"__type": f"com.amazon.coral.service#{self.code}", "message": self.message}).encode()


@dataclass(frozen=True)
class Principal:
    """Who signed: the instructor, or a learner by name."""

    access_key_id: str
    learner: str | None  # None: the instructor

    @property
    def arn(self) -> str:
        name = "instructor" if self.learner is None else f"learner/{self.learner}"
        return f"arn:aws:iam::{ACCOUNT_ID}:user/{name}"


def _header(headers: Mapping[str, str], name: str) -> str | None:
    return headers.get(name.lower())


def _authorization_parts(value: str) -> dict[str, str]:
    parts: dict[str, str] = {}
    for piece in re.split(r"[,\s]+", value[len(ALGORITHM):].strip()):
        name, equals, field = piece.partition("=")
        if equals:
            parts[name] = field
    return parts


def _canonical_request(method: str, path: str, query: str, headers: Mapping[str, str], signed: list[str],
                       body: bytes) -> str:
    pairs = sorted(urllib.parse.parse_qsl(query, keep_blank_values=True))
    canonical_query = "&".join(f"{urllib.parse.quote(k, safe='-_.~')}={urllib.parse.quote(v, safe='-_.~')}"
                               for k, v in pairs)
    lines = [f"{name}:{' '.join((headers.get(name) or '').split())}" for name in signed]
    return "\n".join([method, urllib.parse.quote(path or "/", safe="/-_.~"), canonical_query, *lines, "",
                      ";".join(signed), hashlib.sha256(body).hexdigest()])


def signature(secret: str, amz_date: str, scope: str, canonical_request: str) -> str:
    date, region, service, terminator = scope.split("/")
    key = ("AWS4" + secret).encode("utf-8")
    for part in (date, region, service, terminator):
        key = hmac.new(key, part.encode("utf-8"), hashlib.sha256).digest()
    to_sign = "\n".join([ALGORITHM, amz_date, scope, hashlib.sha256(canonical_request.encode("utf-8")).hexdigest()])
    return hmac.new(key, to_sign.encode("utf-8"), hashlib.sha256).hexdigest()


def verify(keys: RoomKeys, method: str, path: str, query: str, headers: Mapping[str, str], body: bytes,
           now: dt.datetime | None = None) -> Principal:
    """The principal that signed this request (``headers``: lower-case names), or ``Refused``."""
    authorization = (_header(headers, "authorization") or "").strip()
    if not authorization.startswith("AWS4-"):
        raise Refused("MissingAuthenticationTokenException", "Request is missing Authentication Token")
    parts = _authorization_parts(authorization)
    missing = " ".join(f"Authorization header requires '{p}' parameter." for p in ("Credential", "Signature",
                                                                                 "SignedHeaders") if not parts.get(p))
    amz_date = _header(headers, "x-amz-date")
    if not amz_date:
        missing += " Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header."
    if missing:
        raise Refused("IncompleteSignatureException", f"{missing.strip()} Authorization={authorization[:200]}")
    try:
        signed_at = dt.datetime.strptime(amz_date, "%Y%m%dT%H%M%SZ").replace(tzinfo=dt.UTC)
    except ValueError:
        raise Refused("IncompleteSignatureException", f"Date must be in ISO-8601 'basic format'. Got "
                      f"'{amz_date[:40]}'. See http://en.wikipedia.org/wiki/ISO_8601") from None
    now = now or dt.datetime.now(dt.UTC)
    window = dt.timedelta(minutes=CLOCK_SKEW_MINUTES)
    stamp = "%Y%m%dT%H%M%SZ"
    if signed_at < now - window:
        raise Refused("InvalidSignatureException", f"Signature expired: {amz_date} is now earlier than "
                      f"{(now - window).strftime(stamp)} ({now.strftime(stamp)} - {CLOCK_SKEW_MINUTES} min.)")
    if signed_at > now + window:
        raise Refused("InvalidSignatureException", f"Signature not yet current: {amz_date} is still later than "
                      f"{(now + window).strftime(stamp)} ({now.strftime(stamp)} + {CLOCK_SKEW_MINUTES} min.)")
    signed = parts["SignedHeaders"].lower().split(";")
    if "host" not in signed:
        raise Refused("InvalidSignatureException", "'Host' must be a 'SignedHeader' in the AWS Authorization.")
    if not authorization.startswith(ALGORITHM + " "):
        raise Refused("IncompleteSignatureException", f"Unsupported AWS 'algorithm': "
                      f"'{authorization.split()[0][:40]}' (only {ALGORITHM} for now). ")
    credential = parts["Credential"].rstrip("/").split("/")
    if len(credential) != 5:
        raise Refused("IncompleteSignatureException", "Credential must have exactly 5 slash-delimited elements, "
                      f"e.g. keyid/date/region/service/term, got '{parts['Credential'][:200]}'")
    access_key_id, date, region, service, terminator = credential
    scope_problems = []
    if region != REGION:
        scope_problems.append(f"Credential should be scoped to a valid region, not '{region[:40]}'.")
    if service != "dynamodb":
        scope_problems.append("Credential should be scoped to correct service: 'dynamodb'.")
    if terminator != "aws4_request":
        scope_problems.append(f"Credential should be scoped with a valid terminator: 'aws4_request', "
                              f"not '{terminator[:40]}'.")
    if date != amz_date[:8]:
        scope_problems.append(f"Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date "
                              f"from HTTP: '{date[:40]}' != '{amz_date[:8]}', from '{amz_date}'.")
    if scope_problems:
        raise Refused("InvalidSignatureException", " ".join(scope_problems))
    secret = keys.secret_for(access_key_id)
    if secret is None:
        raise Refused("UnrecognizedClientException", "The security token included in the request is invalid.")
    canonical = _canonical_request(method, path, query, headers, signed, body)
    expected = signature(secret, amz_date, "/".join(credential[1:]), canonical)
    if not hmac.compare_digest(expected.encode(), parts["Signature"].encode("utf-8", "replace")):
        raise Refused("InvalidSignatureException", "The request signature we calculated does not match the "
                      "signature you provided. Check your AWS Secret Access Key and signing method. Consult the "
                      "service documentation for details.")
    learner = None if access_key_id == INSTRUCTOR_ACCESS_KEY_ID else learner_of_access_key_id(access_key_id)
    return Principal(access_key_id, learner)


def _denied(principal: Principal, operation: str, table: str) -> Refused:
    resource = f"arn:aws:dynamodb:{REGION}:{ACCOUNT_ID}:table/{table or '*'}"
    return Refused("AccessDeniedException", f"User: {principal.arn} is not authorized to perform: "
                   f"dynamodb:{operation} on resource: {resource} because no identity-based policy allows the "
                   f"dynamodb:{operation} action")


def authorize(principal: Principal, operation: str, request: Mapping) -> None:
    """Refused (AccessDeniedException) unless ``LEARNER_POLICY`` (or being the instructor) allows the call."""
    if principal.learner is None:
        return
    table = request.get("TableName") if isinstance(request.get("TableName"), str) else ""
    item = request.get("Item")
    allowed = (operation == "PutItem" and table == ANSWERS_TABLE and isinstance(item, dict)
               and item.get("learner") == {"S": principal.learner}  # dynamodb:LeadingKeys
               and set(item) <= set(ANSWER_ATTRIBUTES)  # dynamodb:Attributes
               and request.get("ReturnValues", "NONE") == "NONE")  # dynamodb:ReturnValues
    if not allowed:
        raise _denied(principal, operation, table)
