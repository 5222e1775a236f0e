"""``python -m natrium``: the ``natrium`` command."""

from natrium.cli import entry

entry()
