"""`taawun new KIND`: a few questions, then a valid, commented content file in the right place.

The answers are checked with the content models' own field types as they are typed (the same
rules as `taawun check`), and the written files are validated again before anything is written.
"""

from __future__ import annotations


class NewError(Exception):
    """The command cannot go on (no more answers, a file already there): exit 2, nothing written."""
