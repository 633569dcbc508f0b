"""Contributions from the "sell with us" form: turning an accepted submission into content files
(listing.py, in the house style of yamlout.py, with ids from ids.py) and the moderator's
``taawun submissions`` command (cli.py, with gitbranch.py and terminal.py)."""

from __future__ import annotations

from .listing import ListingRejected, listing_written, write_listing

__all__ = ["ListingRejected", "listing_written", "write_listing"]
