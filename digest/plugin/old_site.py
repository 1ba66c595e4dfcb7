"""The last build's site moved aside at once and deleted by another process while this
build runs, rather than deleted by MkDocs before it starts.

`mkdocs build` first empties the site folder, every entry but those starting with a dot;
with 50,000 papers that is 53,000 files and 8% of a daily rebuild (11 s of 137 s; 2.4 s
of 31 s at 10,000 papers), spent waiting on the disk. Renaming a folder's entries takes
no time, so they go into a hidden folder inside the site folder (the same disk, and one
MkDocs leaves alone), which a second process deletes while this one renders. The build
waits for it before it reads its own site (the search index) and before it ends: the
site it leaves has nothing else in it. A folder left by a build that was killed is
deleted by the next."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

PREFIX = ".digest-old-site-"
_DELETE = "import shutil, sys\nfor path in sys.argv[1:]: shutil.rmtree(path, ignore_errors=True)"


class OldSite:
    """The deletion of the last build's site, under way or not."""

    def __init__(self) -> None:
        self.deleting: subprocess.Popen[bytes] | None = None

    def move_aside(self, site_dir: Path) -> None:
        """Move what MkDocs would delete out of its way, and start deleting it."""
        self.wait()
        try:
            entries = list(os.scandir(site_dir))
        except OSError:  # no site yet
            return
        old = [Path(e.path) for e in entries if not e.name.startswith(".")]
        aside = [Path(e.path) for e in entries if e.name.startswith(PREFIX)]  # a killed build's
        if old:
            aside += _moved_aside(site_dir, old)
        if aside:
            self.deleting = subprocess.Popen([sys.executable, "-c", _DELETE, *map(str, aside)])

    def wait(self) -> None:
        """Until the last build's site is deleted."""
        if self.deleting is not None:
            self.deleting.wait()
            self.deleting = None


def _moved_aside(site_dir: Path, paths: list[Path]) -> list[Path]:
    """The hidden folder of the site folder the paths were moved into; none if it could
    not be made. MkDocs deletes what could not be moved."""
    try:
        folder = Path(tempfile.mkdtemp(prefix=PREFIX, dir=site_dir))
    except OSError:
        return []
    try:
        for path in paths:
            path.rename(folder / path.name)
    except OSError:
        pass
    return [folder]
