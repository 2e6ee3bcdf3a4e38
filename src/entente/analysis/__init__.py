"""Reading the system: dyad scores, signed networks, strategic triangles, structural
balance, what-if scenarios, dependence between ties, plots and reports."""

from entente.analysis.evidence import load
from entente.analysis.relations import dyad_scores, network_at, parse_at
from entente.analysis.triangles import (
    classify,
    top_triads,
    triangle_at,
    triangle_from_ties,
    triangle_history,
)

__all__ = [
    "classify",
    "dyad_scores",
    "load",
    "network_at",
    "parse_at",
    "top_triads",
    "triangle_at",
    "triangle_from_ties",
    "triangle_history",
]
