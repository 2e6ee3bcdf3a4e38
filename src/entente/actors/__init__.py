"""Actors: which state each mention stands for, with sector, role and person, time-aware."""

from entente.actors.mentions import find_mentions
from entente.actors.reference import reference

__all__ = ["find_mentions", "reference"]
