"""Server-side web sessions: a random token in the (signed) cookie, its hash in the
auth store.  Logging out, `callqa users remove` and `callqa users passwd` delete the rows,
so a copied cookie stops working at once; a session unused for the idle time, or older
than the maximum age, ends too.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from callqa.settings import SESSION_IDLE
from callqa.store.auth import AuthStore

IDLE_MINUTES = int(SESSION_IDLE.default)
MAX_AGE_HOURS = 12


@dataclass(frozen=True)
class SessionPolicy:
    """How long a session lives: `idle_s` without a request, `max_age_s` in all."""

    idle_s: float = IDLE_MINUTES * 60.0
    max_age_s: float = MAX_AGE_HOURS * 3600.0

    @property
    def touch_s(self) -> float:
        """How stale `last_seen` may get before a request writes it again."""
        return min(60.0, self.idle_s / 10)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start(auth: AuthStore, user: str, *, now: float) -> str:
    """A new session of `user`: the token for the cookie (only its hash is stored)."""
    token = secrets.token_urlsafe(32)
    auth.add_session(_hash(token), user, now=now)
    return token


def user_of(auth: AuthStore, token: str, policy: SessionPolicy, *, now: float) -> str | None:
    """The user whose live session `token` is, or None (an expired one is deleted)."""
    key = _hash(token)
    row = auth.session(key)
    if row is None:
        return None
    if now - row["last_seen"] > policy.idle_s or now - row["created_at"] > policy.max_age_s:
        auth.delete_stale_sessions(
            seen_before=now - policy.idle_s, created_before=now - policy.max_age_s
        )
        return None
    if now - row["last_seen"] > policy.touch_s:
        auth.touch_session(key, now=now)
    return str(row["user"])


def end(auth: AuthStore, token: str) -> None:
    auth.delete_session(_hash(token))


def end_all(auth: AuthStore, user: str) -> int:
    """End every session of `user`; how many there were."""
    return auth.delete_sessions(user)
