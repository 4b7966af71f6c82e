"""The room's keys, and the credentials each one signs with (pure: hmac, no I/O).

* The **instructor's key** ``dli-...`` is the room's secret (32 random bytes). It signs as the room's
  administrator: the board's reads, the projector, the journal's replay.
* The **learners' key** ``dll-...`` = HMAC-SHA256(secret, "learners"): what ``room serve`` prints for everyone.
  A learner's client derives their own credentials from it and their name.
* A **personal key** ``dlp-...`` = HMAC-SHA256(learners' key, "learner:" + name): a JupyterHub derives one per
  user (``personal_key``) so that a learner holds no key but their own and cannot sign as anyone else.

A learner signs as access key id ``DLL`` + base32(name) with their personal key as the secret; the room checks the
signature by deriving the same secret (it keeps only its own secret). The room's policy lets a learner's
credentials PutItem their own answers and nothing else (``dynalab.room.access``).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import unicodedata
from dataclasses import dataclass

from dynalab.i18n import tr

INSTRUCTOR_PREFIX, LEARNERS_PREFIX, PERSONAL_PREFIX = "dli-", "dll-", "dlp-"
#: the access key id the instructor's key signs with; a learner's is LEARNER_ID_PREFIX + base32(name)
INSTRUCTOR_ACCESS_KEY_ID = "DLINSTRUCTOR"
LEARNER_ID_PREFIX = "DLL"
#: a learner's name (or pseudonym): 1 to 64 characters, no control characters
LEARNER_NAME_MAX_LENGTH = 64
_RAW_LENGTH = 32


def _text(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def _raw(text: str) -> bytes | None:
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (ValueError, TypeError):
        return None
    return raw if len(raw) == _RAW_LENGTH else None


def _hmac(key: bytes, message: str) -> bytes:
    return hmac.new(key, message.encode("utf-8"), hashlib.sha256).digest()


def learner_name_problem(name: object) -> str | None:
    """Why ``name`` is not a learner's name (None when it is one)."""
    if not isinstance(name, str) or not name.strip():
        return tr("a learner's name must be 1 to {high} characters (your name or a pseudonym); got {name!r}",
                  high=LEARNER_NAME_MAX_LENGTH, name=name)
    if len(name.strip()) > LEARNER_NAME_MAX_LENGTH or any(unicodedata.category(c) == "Cc" for c in name):
        return tr("a learner's name must be 1 to {high} characters (your name or a pseudonym); got {name!r}",
                  high=LEARNER_NAME_MAX_LENGTH, name=name[:80])
    return None


def clean_learner_name(name: str) -> str:
    """The name as the room keys it: stripped, in Unicode NFC (so one name typed two ways is one learner)."""
    return unicodedata.normalize("NFC", name.strip())


def learner_access_key_id(name: str) -> str:
    return LEARNER_ID_PREFIX + base64.b32encode(clean_learner_name(name).encode("utf-8")).decode("ascii").rstrip("=")


def learner_of_access_key_id(access_key_id: str) -> str | None:
    """The learner a ``DLL...`` access key id names, or None if it is not one."""
    if not access_key_id.startswith(LEARNER_ID_PREFIX):
        return None
    encoded = access_key_id[len(LEARNER_ID_PREFIX):]
    try:
        name = base64.b32decode(encoded + "=" * (-len(encoded) % 8)).decode("utf-8")
    except (ValueError, UnicodeDecodeError):
        return None
    return name if learner_name_problem(name) is None and name == clean_learner_name(name) else None


@dataclass(frozen=True)
class RoomKeys:
    """The room's secret and what it derives. Only the room engine (and the instructor) hold this."""

    secret: bytes

    @classmethod
    def new(cls) -> RoomKeys:
        return cls(secrets.token_bytes(_RAW_LENGTH))

    @classmethod
    def from_instructor_key(cls, key: str) -> RoomKeys | None:
        raw = _raw(key[len(INSTRUCTOR_PREFIX):]) if key.startswith(INSTRUCTOR_PREFIX) else None
        return cls(raw) if raw is not None else None

    @property
    def instructor_key(self) -> str:
        return INSTRUCTOR_PREFIX + _text(self.secret)

    @property
    def learners_key(self) -> str:
        return LEARNERS_PREFIX + _text(_hmac(self.secret, "learners"))

    def secret_for(self, access_key_id: str) -> str | None:
        """The SigV4 secret that ``access_key_id`` signs with here, or None if the room does not know it."""
        if access_key_id == INSTRUCTOR_ACCESS_KEY_ID:
            return _text(self.secret)
        name = learner_of_access_key_id(access_key_id)
        return None if name is None else personal_key(self.learners_key, name)[len(PERSONAL_PREFIX):]


def personal_key(learners_key: str, name: str) -> str:
    """A learner's own key, derived from the learners' key and their name (a hub gives each user theirs)."""
    raw = _raw(learners_key[len(LEARNERS_PREFIX):]) if learners_key.startswith(LEARNERS_PREFIX) else None
    if raw is None:
        raise ValueError(tr("not a learners' key (dll-...): {key!r:.12}...", key=learners_key))
    return PERSONAL_PREFIX + _text(_hmac(raw, "learner:" + clean_learner_name(name)))


def credentials(key: str, learner: str | None = None) -> tuple[str, str]:
    """(access key id, secret access key) that ``key`` signs with: the instructor's, or ``learner``'s (from the
    learners' key or their personal key). ValueError with one line when the key is not a room key."""
    key = key.strip()
    if key.startswith(INSTRUCTOR_PREFIX) and RoomKeys.from_instructor_key(key) is not None:
        return INSTRUCTOR_ACCESS_KEY_ID, key[len(INSTRUCTOR_PREFIX):]
    if learner is None or learner_name_problem(learner) is not None:
        raise ValueError(learner_name_problem(learner) or "")
    if key.startswith(LEARNERS_PREFIX) and _raw(key[len(LEARNERS_PREFIX):]) is not None:
        return learner_access_key_id(learner), personal_key(key, learner)[len(PERSONAL_PREFIX):]
    if key.startswith(PERSONAL_PREFIX) and _raw(key[len(PERSONAL_PREFIX):]) is not None:
        return learner_access_key_id(learner), key[len(PERSONAL_PREFIX):]
    raise ValueError(tr("DYNALAB_ROOM_KEY is not a room key (it starts dll-, dlp- or dli-, as `dynalab room serve` "
                        "prints it); got {start!r}...", start=key[:4]))
