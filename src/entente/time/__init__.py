"""Time: recognising and normalising date expressions, and anchoring sentences in time."""
