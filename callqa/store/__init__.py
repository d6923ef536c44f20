"""Storage: every SQL statement callqa runs, behind typed repositories."""

from callqa.store.auth import AuthStore
from callqa.store.db import Store

__all__ = ["AuthStore", "Store"]
