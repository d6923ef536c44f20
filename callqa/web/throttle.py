"""Login throttling: after `max_failures` failed logins within `window_s`, for one account
name or from one client address, further logins are refused (429, Retry-After) until the
oldest of those failures is older than the window.  Refused attempts are not counted, so
a locked account opens again on time however hard it is hammered.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from callqa.store.auth import AuthStore

MAX_FAILURES = 5
WINDOW_MINUTES = 15


@dataclass(frozen=True)
class LoginThrottle:
    max_failures: int = MAX_FAILURES
    window_s: float = WINDOW_MINUTES * 60.0

    def retry_after(self, auth: AuthStore, *, name: str, address: str, now: float) -> int:
        """Seconds until a login for `name` from `address` is allowed again (0: now)."""
        times = auth.login_failures(name=name, address=address, since=now - self.window_s)
        wait = 0.0
        for recent in times.values():
            if len(recent) >= self.max_failures:
                wait = max(wait, recent[self.max_failures - 1] + self.window_s - now)
        return max(1, math.ceil(wait)) if wait > 0 else 0

    def failed(self, auth: AuthStore, *, name: str, address: str, now: float) -> None:
        auth.add_login_failure(name=name, address=address, now=now, keep_after=now - self.window_s)

    def succeeded(self, auth: AuthStore, *, name: str) -> None:
        auth.clear_login_failures(name)
