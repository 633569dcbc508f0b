"""Write the site into a staging folder, then swap it in: a failed build never leaves half a site."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from types import TracebackType


class Staging:
    """``with Staging(public) as stage:`` write into ``stage.folder``; ``stage.publish()`` swaps it in.

    Leaving the block without publishing (an error, or a content problem found late) deletes the
    staging folder and leaves the previous output exactly as it was.
    """

    def __init__(self, output: Path) -> None:
        self.output = output
        self.folder = output.with_name(f".{output.name}.staging")
        self._retired = output.with_name(f".{output.name}.old")
        self.published = False

    def __enter__(self) -> Staging:
        for leftover in (self.folder, self._retired):
            if leftover.exists():
                shutil.rmtree(leftover)
        self.folder.mkdir(parents=True)
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if not self.published and self.folder.exists():
            shutil.rmtree(self.folder)

    def publish(self) -> None:
        """Two renames: the old site steps aside, the new one takes its name, the old is deleted."""
        if self.output.exists():
            os.replace(self.output, self._retired)
        os.replace(self.folder, self.output)
        self.published = True
        if self._retired.exists():
            shutil.rmtree(self._retired)
