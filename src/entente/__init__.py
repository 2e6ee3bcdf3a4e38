"""Entente: evidence-backed, time-aware maps of relations between states."""

from entente.model import Document

__version__ = "0.1.0"

__all__ = ["Document", "__version__"]
