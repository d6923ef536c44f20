"""Each file's whole life in a batch inside its own guard: check, hash, decode, score.

Nothing one file does stops the batch.  Before a file is ever opened, `check_file` looks
at what the path is, without reading it: only regular files (or links to them) go on;
folders, named pipes, devices, sockets, link loops, broken links, names that are not UTF-8
and unreadable files are refused with a reason.  Hashing and scoring then run under a
time limit, and anything that still goes wrong becomes that file's one-line reason.

`prepare_file` and `score_guarded` are what a batch runner calls per file (in this
process, in worker processes or as tasks on a distributed engine).  File names and
reasons are shown with `callqa.run.names.printable`.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import stat
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

from callqa import settings
from callqa.errors import AudioError, CallQAError
from callqa.records import CallMeta
from callqa.run.names import printable
from callqa.run.pipeline import FileOutcome, Pipeline, score_one
from callqa.speech.audio import file_sha256

log = logging.getLogger(__name__)

FILE_TIME_LIMIT_S: float = settings.FILE_TIME_LIMIT.default
"""Longest one file may take to hash, or to decode and score (a 2-hour call takes minutes)."""


def readable(path: Path) -> bool:
    """Whether this process may read `path` (a test may simulate a refusal here)."""
    return os.access(path, os.R_OK)


def check_file(path: Path) -> str | None:
    """Why `path` is not a regular, readable file with a UTF-8 name; None when it is.

    Never opens the path: a named pipe or a device refused here is never read.
    """
    try:
        str(path).encode("utf-8")
    except UnicodeEncodeError:
        return "the file name is not valid UTF-8 - rename the file (e.g. with convmv)"
    try:
        link = os.lstat(path)
    except FileNotFoundError:
        return "file not found - check the path"
    except OSError as exc:
        return _os_reason(exc)
    via = "is a symbolic link to " if stat.S_ISLNK(link.st_mode) else "is "
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return "is a broken symbolic link (its target does not exist) - fix or remove the link"
    except OSError as exc:
        return _os_reason(exc)
    mode = info.st_mode
    if stat.S_ISDIR(mode):
        return via + "a folder, not an audio file"
    if stat.S_ISFIFO(mode):
        return via + "a named pipe (FIFO), not a regular file - refused without reading it"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return via + "a device, not a regular file - refused without reading it"
    if stat.S_ISSOCK(mode):
        return via + "a socket, not a regular file - refused without reading it"
    if not stat.S_ISREG(mode):
        return via + "not a regular file - refused without reading it"
    if not readable(path):
        return "cannot be read (permission denied) - check its permissions"
    return None


def _os_reason(exc: OSError) -> str:
    import errno

    if exc.errno == errno.ELOOP:
        return "is a symbolic link loop - fix or remove the link"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "cannot be read (permission denied) - check its permissions"
    if exc.errno == errno.ENAMETOOLONG:
        return "the path is too long for the file system"
    return f"cannot be read ({exc.strerror or exc}) - check the path"


class TimeLimitExceeded(BaseException):
    """Raised inside a guarded step that ran past its time limit.

    A BaseException, like KeyboardInterrupt, so that no `except Exception` on the way
    swallows it; the guard turns it into the file's reason.
    """


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise `TimeLimitExceeded` in this block after `seconds` (POSIX, main thread only;
    elsewhere the block runs without a limit)."""
    if (
        seconds <= 0
        or not hasattr(signal, "setitimer")
        or threading.current_thread() is not threading.main_thread()
    ):
        yield
        return

    def _expired(signum: int, frame: FrameType | None) -> None:
        raise TimeLimitExceeded

    previous = signal.signal(signal.SIGALRM, _expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@dataclass(frozen=True)
class Prepared:
    """A file that passed its checks, with its content's id."""

    path: Path
    call_id: str


def prepare_file(path: Path, *, limit_s: float = FILE_TIME_LIMIT_S) -> Prepared | FileOutcome:
    """Check `path` and hash it under the time limit; a failed `FileOutcome` says why not."""
    reason = check_file(path)
    if reason is None:
        try:
            with time_limit(limit_s):
                return Prepared(path, file_sha256(path))
        except AudioError as exc:
            reason = exc.reason
        except TimeLimitExceeded:
            reason = f"reading it took longer than {limit_s:g} s - is it on a stalled disk?"
        except OSError as exc:
            reason = _os_reason(exc)
    return FileOutcome(str(path), "failed", None, error=reason)


def score_guarded(
    pipeline: Pipeline,
    path: Path,
    call_id: str,
    meta: CallMeta,
    *,
    limit_s: float = FILE_TIME_LIMIT_S,
) -> FileOutcome:
    """`score_one` under the time limit; whatever goes wrong is this file's failed outcome."""
    reason = check_file(path)  # it may have changed since it was hashed
    if reason is not None:
        return FileOutcome(str(path), "failed", call_id, error=reason)
    try:
        with time_limit(limit_s):
            return score_one(pipeline, path, call_id, meta)
    except TimeLimitExceeded:
        reason = f"scoring took longer than {limit_s:g} s - split the recording or raise the limit"
    except CallQAError as exc:
        reason = str(exc)
    except Exception as exc:  # the guard: one file's bug never ends the batch
        log.exception("%s: failed while scoring", printable(str(path)))
        reason = f"internal error ({type(exc).__name__}: {exc}) - please report"
    return FileOutcome(str(path), "failed", call_id, error=reason)
