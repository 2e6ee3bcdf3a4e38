"""``python -m entente.cli``: the ``entente`` command."""

from entente.cli import main

main()
