"""The background poller: one mechanism for everything that polls in a thread until stopped.

The stream projector, the event source mapping and the TTL sweeper each run ``start()`` / ``stop()`` around a
poll: do the work that is there, wait a little when there was none, and keep the error that ended the thread
for ``stop()`` to raise (a readout never says "running" for a thread that died: ``running`` asks the thread).
``runner_state`` is the one readout phrase for such a runner ("running" only while the engine answers too).
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from dynalab.i18n import tr
from dynalab.i18n.text_width import truncate_to_width

if TYPE_CHECKING:
    from dynalab.engine import Lab

__all__ = ["BackgroundPoller", "engine_answers", "runner_state"]


class BackgroundPoller:
    """Mix-in. A subclass calls ``_init_poller()`` in its ``__init__`` and gives ``_poll()`` (True when it found
    work: poll again at once), ``_poll_seconds()`` (the wait when it found none) and ``_thread_name()``; it may
    give ``_on_poll_error(error)`` (clean-up once an error ended the thread). ``wait_first`` waits one interval
    before the first poll (a sweeper that runs on a timer)."""

    error: BaseException | None
    wait_first = False

    def _init_poller(self) -> None:
        self.error = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def _poll(self) -> bool:
        raise NotImplementedError

    def _poll_seconds(self) -> float:
        raise NotImplementedError

    def _thread_name(self) -> str:
        return f"dynalab-{type(self).__name__}"

    def _on_poll_error(self, error: BaseException) -> None:
        """Called in the thread once an error ended it (the error is kept in ``self.error``)."""

    @property
    def running(self) -> bool:
        """True only while the background thread is alive (a thread that died on an error is not running)."""
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> Any:
        """Poll in a background daemon thread until ``stop()``; returns self."""
        if self.running:
            return self
        self._stop.clear()
        self.error = None
        self._thread = threading.Thread(target=self._loop, name=self._thread_name(), daemon=True)
        self._thread.start()
        return self

    def _loop(self) -> None:
        if self.wait_first and self._stop.wait(self._poll_seconds()):
            return
        while not self._stop.is_set():
            try:
                found_work = self._poll()
            except BaseException as error:  # noqa: BLE001 - kept for stop(); the thread ends
                self.error = error
                self._on_poll_error(error)
                return
            if not found_work:
                self._stop.wait(self._poll_seconds())

    def _stop_thread(self, timeout_seconds: float, what: str) -> None:
        """Ask the thread to stop after the work in hand and wait for it (TimeoutError naming ``what``)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout_seconds)
            if self._thread.is_alive():
                raise TimeoutError(tr("{what} did not stop within {seconds} s", what=what, seconds=timeout_seconds))
            self._thread = None


def engine_answers(lab: Lab) -> bool:
    """Whether the lab's engine answers now (an embedded engine's process alive and serving HTTP; AWS: assumed).
    A background reader's readout says "running" only when its thread is alive *and* this holds."""
    if lab.is_aws or not lab.endpoint_url:
        return True
    from dynalab.engine import _answers, embedded_engine

    engine = embedded_engine() if lab.embedded else None
    if engine is not None and engine.endpoint_url == lab.endpoint_url and not engine.is_alive():
        return False
    return _answers(lab.endpoint_url, timeout_seconds=1.0)


def runner_state(lab: Lab, thread_alive: bool, error: BaseException | None) -> str:
    """One readout phrase for a background runner: "running", "idle", "stopped (its error)" or "running, but
    the engine is not answering" (its thread is alive; every call it makes fails)."""
    if error is not None:
        text = str(error).splitlines()[0] if str(error) else ""
        if text:
            return tr("stopped ({kind}: {text})", kind=type(error).__name__, text=truncate_to_width(text, 160))
        return tr("stopped ({kind})", kind=type(error).__name__)
    if thread_alive:
        if not engine_answers(lab):
            return tr("stalled: the engine at {url} is not answering (busy or stopped? dynalab.connect() waits "
                      "for it, and starts a new one only if it has exited)", url=lab.endpoint_url)
        return tr("running")
    return tr("idle")
