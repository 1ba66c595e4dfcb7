"""What a build holds while it renders pages: not the site's data files, once written.

MkDocs keeps every file object until the build ends. The generated feeds and data files
(papers.json, each topic's papers.json and feeds) come to some 9 KB a paper, 450 MB at
50,000 papers: a file's content is let go once it is written. The bench measures the
memory (`python -m digest.bench`); this test checks, in a real build, that the files
were written whole and that no file object still holds its content."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import copy_project, mkdocs_build

# After every page is built, each generated file that is not a page: its path, and whether
# its object still holds content. The hook runs after the digest plugin's on_files.
HOLDING_HOOK = """
import json
from pathlib import Path
from mkdocs.plugins import event_priority

seen = []

@event_priority(-100)
def on_files(files, config, **kwargs):
    seen[:] = [f for f in files if type(f).__name__ == "GeneratedFile"]
    return files

def on_post_build(config, **kwargs):
    held = {f.src_uri: f._data is not None for f in seen if not f.is_documentation_page()}
    Path(config.site_dir, "held.json").write_text(json.dumps(held), encoding="utf-8")
"""


def test_data_files_are_written_whole_and_then_let_go(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    (project / "holding.py").write_text(HOLDING_HOOK, encoding="utf-8")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text("utf-8") + "\nhooks:\n  - holding.py\n", "utf-8")
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stderr
    site = project / "site"
    held = json.loads((site / "held.json").read_text("utf-8"))
    assert {"papers.json", "feed.xml", "topics/evaluation/papers.json"} <= held.keys()
    assert not any(held.values()), [path for path, holds in held.items() if holds]
    papers = json.loads((site / "papers.json").read_text("utf-8"))
    assert len(papers) > 400
    assert (site / "feed.xml").read_text("utf-8").rstrip().endswith("</feed>")
