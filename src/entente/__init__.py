"""Entente: evidence-backed, time-aware maps of relations between states."""

from typing import TYPE_CHECKING

from entente.model import Document

if TYPE_CHECKING:
    from entente.store import Store

__version__ = "0.1.0"

__all__ = ["Document", "__version__", "open"]


def open(db: str = "entente.duckdb", read_only: bool = False) -> "Store":
    """Open a store: ``entente.open("entente.duckdb").events(dyad="RUS-JPN")`` → DataFrame."""
    from entente.store import Store

    return Store(db, read_only=read_only)
