"""Same content, same output: byte for byte, whatever the path or the day; and atomic."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from digest import write as write_module
from digest.write import write_tree

from conftest import copy_project, mkdocs_build


def tree(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def build_without_epoch(project: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=project, env=env,
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip


def test_two_builds_in_different_places_are_byte_identical(tmp_path: Path) -> None:
    first = copy_project(tmp_path / "one")
    second = copy_project(tmp_path / "somewhere" / "else" / "two")
    for project in (first, second):
        result = build_without_epoch(project)
        assert result.returncode == 0, result.stderr
    assert tree(first / "site") == tree(second / "site")
    # Nothing on the site comes from the clock: today's date appears nowhere (unless the
    # newest listing happens to be today's).
    today = date.today().isoformat()
    newest = max(p.name[:10] for p in (first / "content" / "sources").iterdir())
    if today != newest:
        for path in (first / "site").rglob("*"):
            if path.is_file() and path.suffix in (".html", ".xml", ".json"):
                assert today not in path.read_text(encoding="utf-8"), path


def test_generated_markdown_is_identical_across_places(tmp_path: Path) -> None:
    outs = []
    for name in ("a", "b/c"):
        project = copy_project(tmp_path / name)
        result = subprocess.run(
            [sys.executable, "-m", "digest", "build", "--out", "out"], cwd=project,
            capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        outs.append(tree(project / "out"))
    assert outs[0] == outs[1]


def test_an_interrupted_write_leaves_every_file_old_or_new(tmp_path: Path, monkeypatch) -> None:
    out = tmp_path / "out"
    old = {f"page{i}.md": f"old {i}\n" for i in range(10)}
    write_tree(out, old)
    new = {f"page{i}.md": f"new {i} " + "x" * 1000 + "\n" for i in range(10)}
    calls = {"n": 0}
    real_replace = os.replace

    def failing_replace(src: str, dst: str) -> None:
        calls["n"] += 1
        if calls["n"] > 4:
            raise OSError(28, "No space left on device")
        real_replace(src, dst)

    monkeypatch.setattr(write_module.os, "replace", failing_replace)
    with pytest.raises(OSError):
        write_tree(out, new)
    for name in old:
        text = (out / name).read_text(encoding="utf-8")
        assert text in (old[name], new[name])
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]  # no half-written files
    assert sum((out / n).read_text(encoding="utf-8") == new[n] for n in new) == 4


def test_a_write_stopped_half_way_is_taken_up_by_the_next(tmp_path: Path) -> None:
    """A page that fails to render half way through a first write: the files written
    before it were refused by the next run, as someone's own."""

    class Failing(dict):
        def __getitem__(self, key: str) -> str:
            if key == "page5.md":
                raise RuntimeError("a template mistake in this page")
            return super().__getitem__(key)

    out = tmp_path / "out"
    pages = {f"page{i}.md": f"page {i}\n" for i in range(10)}
    with pytest.raises(RuntimeError):
        write_tree(out, Failing(pages))
    assert (out / "page0.md").is_file()
    report = write_tree(out, pages)
    assert (report.written, report.unchanged, report.removed) == (5, 5, 0)


def test_a_site_dir_inside_content_is_refused(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    before = tree(project / "content")
    result = mkdocs_build(project, "--site-dir", "content/site")
    assert result.returncode != 0
    # MkDocs itself refuses a site_dir inside docs_dir (content/, here); the digest plugin
    # refuses one inside a content_dir set apart from docs_dir, with the same words.
    assert "site_dir" in result.stderr and "content" in result.stderr
    assert "Traceback" not in result.stderr
    assert tree(project / "content") == before
