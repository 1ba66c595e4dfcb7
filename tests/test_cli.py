"""The `digest` command as a user runs it: real processes, real files."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, copy_project, mkdocs_build

KEYS = [
    "title",
    "abstract",
    "authors_count",
    "organization",
    "published",
    "upvotes",
    "listing",
    "line",
]


def digest(
    *args: str, cwd: Path = ROOT, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "digest", *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
    )


def build_with(project: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """`digest build --out out` in the project, with these environment variables set."""
    return subprocess.run(
        [sys.executable, "-m", "digest", "build", "--out", "out"],
        cwd=project, capture_output=True, text=True, timeout=300, env={**os.environ, **env},
    )  # fmt: skip


def test_every_command_has_help_and_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    from digest.cli import cli

    for name in cli.commands:
        result = digest(name, "--help")
        assert result.returncode == 0 and "Usage:" in result.stdout, name
        assert f"`digest {name}" in readme, name


def test_parse_json_prints_entries_with_exactly_the_documented_keys() -> None:
    files = sorted(str(p) for p in (ROOT / "content" / "sources").glob("*.txt"))
    result = digest("parse", *files, "--json")
    assert result.returncode == 0, result.stderr
    entries = json.loads(result.stdout)
    assert len(entries) == 517
    assert all(list(e) == KEYS for e in entries)
    llama = next(e for e in entries if e["title"].startswith("LLaMA-Adapter V2"))
    assert llama["published"] == "2023-04-28" and llama["authors_count"] == 12
    assert llama["listing"] == "2025-12-11-daily-papers.txt" and llama["line"] == 13


def test_parse_reports_bad_files_in_one_line_each(tmp_path: Path) -> None:
    bad = tmp_path / "2026-01-01-bad.txt"
    bad.write_bytes(b"Title\n\xc3\x28 broken\n")
    undated = tmp_path / "listing.txt"
    undated.write_text("Title\n", encoding="utf-8")
    result = digest("parse", str(bad), str(undated))
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 2
    assert any(f"{bad}:2: error: not valid UTF-8 at byte offset 6" in line for line in lines)
    assert any(str(undated) in line and "YYYY-MM-DD" in line for line in lines)
    assert "Traceback" not in result.stderr


def test_problems_with_and_without_a_line_are_all_reported(tmp_path: Path) -> None:
    listing = tmp_path / "2026-03-30-api.json"
    listing.write_text("[5]\n", encoding="utf-8")  # an item that is no paper, so no papers
    result = digest("parse", str(listing))
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert lines[0].startswith(f"{listing}: ")  # the file's own problem, then by line
    assert any(line.startswith(f"{listing}:1: ") for line in lines[1:]), result.stderr


def test_classify_json_ranks_topics_for_each_paper() -> None:
    papers = [
        {
            "title": "QLoRA: Efficient Finetuning of Quantized LLMs",
            "abstract": "We present QLoRA, an efficient finetuning approach using "
            "low-rank adapters (LoRA) on a 4-bit quantized model.",
        },
        {"title": "Untitled", "abstract": "Nothing to see."},
    ]
    result = digest("classify", "--json", stdin=json.dumps(papers))
    assert result.returncode == 0, result.stderr
    ranked = json.loads(result.stdout)
    assert len(ranked) == 2
    assert ranked[0][0] == "peft" and len(ranked[0]) <= 3
    assert ranked[1] == []


def test_classify_prints_no_control_characters_from_a_title() -> None:
    title = "LoRA \u001b]0;pwned\u0007\u001b[2J\u001b[31mRED\r\nfake line: all good"
    result = digest("classify", stdin=json.dumps([{"title": title, "abstract": "LoRA."}]))
    assert result.returncode == 0, result.stderr
    assert not any(ord(ch) < 32 and ch not in "\t\n" for ch in result.stdout), result.stdout
    assert result.stdout.count("\n") == 1  # one paper, one line


def test_parse_prints_a_file_names_control_characters_as_escapes(tmp_path: Path) -> None:
    """A listing named with an escape sequence retitled the terminal's window."""
    name = "2026-01-07-a\u001b]0;PWN\u0007\u202eb"
    (tmp_path / f"{name}.txt").write_text("Title\n", encoding="utf-8")
    (tmp_path / f"{name}.json").write_text("[5]", encoding="utf-8")
    result = digest("parse", f"{name}.txt", f"{name}.json", cwd=tmp_path)
    for out in (result.stdout, result.stderr):
        assert out.strip() and not any(ord(ch) < 32 and ch not in "\t\n" for ch in out), out
        assert "\u202e" not in out
    assert "2026-01-07-a\\x1b]0;PWN\\x07\\u202eb.txt:1: Title" in result.stdout
    assert "2026-01-07-a\\x1b]0;PWN\\x07\\u202eb.json" in result.stderr


def test_an_address_with_a_line_break_is_a_one_line_error() -> None:
    result = digest("newsletter", "2026-03-24", "--send", "--to", "a@example.org\r\nBcc: v@x.org")
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "digest: error: --to: an address is one line, without line breaks"
    )


def test_classify_rejects_what_is_not_a_list_of_papers() -> None:
    result = digest("classify", "--json", stdin='{"title": "x"')
    assert result.returncode == 1
    assert result.stderr.startswith("<stdin>:1: error: not JSON")


def test_build_writes_only_what_changed_and_removes_what_no_longer_belongs(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    out = tmp_path / "out"
    (out).mkdir()
    (out / "keep-me.txt").write_text("not ours", encoding="utf-8")
    first = digest("build", "--out", str(out), cwd=project)
    assert first.returncode == 0, first.stderr
    written = int(first.stdout.split()[0])
    assert written > 468 and (out / "papers").is_dir()
    second = digest("build", "--out", str(out), cwd=project)
    assert second.stdout.strip() == f"0 written, {written} unchanged, 0 removed"

    source = project / "content" / "sources" / "2026-03-20-trending.txt"
    source.unlink()
    third = digest("build", "--out", str(out), cwd=project)
    assert third.returncode == 0, third.stderr
    removed = int(third.stdout.split()[4])
    assert removed >= 2  # the issue page, and papers only that listing had
    assert not (out / "issues" / "2026-03-20.md").exists()
    assert (out / "keep-me.txt").read_text(encoding="utf-8") == "not ours"


def refused_build(tmp_path: Path, theirs: str, text: str) -> tuple[Path, Path]:
    """`digest build --out` into a folder holding someone's file `theirs`: refused, naming
    it, with nothing written. Returns the project and the folder."""
    project = copy_project(tmp_path / "project")
    out = tmp_path / "out"
    out.mkdir()
    (out / theirs).write_text(text, encoding="utf-8")
    result = digest("build", "--out", str(out), cwd=project)
    assert result.returncode == 1
    assert f"{out / theirs}: error: not written by digest" in result.stderr
    assert [p.name for p in out.iterdir()] == [theirs]  # nothing else written
    return project, out


def test_build_overwrites_no_file_it_did_not_write(tmp_path: Path) -> None:
    _, out = refused_build(tmp_path, "index.md", "MY OWN HOME PAGE")
    assert (out / "index.md").read_text(encoding="utf-8") == "MY OWN HOME PAGE"


def test_a_file_in_the_way_of_a_folder_stops_the_build_before_it_writes(
    tmp_path: Path,
) -> None:
    """`tags` a file of someone's: the build wrote half the tree, failed at tags/, and the
    next run refused every file it had written, as not its own."""
    project, out = refused_build(tmp_path, "tags", "mine")
    (out / "tags").unlink()
    again = digest("build", "--out", str(out), cwd=project)
    assert again.returncode == 0, again.stderr


def test_build_refuses_to_write_into_content(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    before = sorted((p, p.read_bytes()) for p in (project / "content").rglob("*") if p.is_file())
    result = digest("build", "--out", "content/generated", cwd=project)
    assert result.returncode == 1
    assert result.stderr.strip().startswith("digest: error: --out content/generated is inside")
    after = sorted((p, p.read_bytes()) for p in (project / "content").rglob("*") if p.is_file())
    assert before == after


@pytest.mark.parametrize("debug", [False, True])
def test_a_bad_topics_file_is_one_line_unless_debugging(tmp_path: Path, debug: bool) -> None:
    project = copy_project(tmp_path)
    topics = project / "content" / "topics.yml"
    topics.write_text(
        topics.read_text(encoding="utf-8") + "  - slug: broken\n    name: Broken\n"
        "    description: x\n    rules:\n      - {pattern: '(unclosed', weight: 1}\n",
        encoding="utf-8",
    )
    args = ["--debug"] if debug else []
    result = digest(*args, "build", "--out", str(tmp_path / "out"), cwd=project)
    assert result.returncode == 1
    if debug:
        assert "Traceback" in result.stderr
    else:
        (line,) = result.stderr.strip().splitlines()
        assert line.startswith("content/topics.yml:")
        assert "topic 'broken'" in line and "(unclosed" in line


def test_an_unwritable_output_is_one_line(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    result = digest("build", "--out", str(blocker / "out"), cwd=project)
    assert result.returncode == 1
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith(str(blocker)) and "cannot write" in line
    assert "Traceback" not in result.stderr


def test_a_bad_plugin_option_fails_the_build_in_one_line(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    config = project / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "  - digest\n", "  - digest:\n      templates_dir: no-such-folder\n"
        ),
        encoding="utf-8",
    )
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=project,
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode != 0
    errors = [line for line in result.stderr.splitlines() if line.startswith("ERROR")]
    assert len(errors) == 1 and "templates_dir" in errors[0] and "no-such-folder" in errors[0]
    assert "Traceback" not in result.stderr


def test_build_makes_the_pages_mkdocs_would_from_mkdocs_yml_and_the_build_time(
    tmp_path: Path,
) -> None:
    """digest build ignored mkdocs.yml (feeds' ids were "/feed.xml", not absolute) and
    SOURCE_DATE_EPOCH (the Status page gave another build time than mkdocs build)."""
    project = copy_project(tmp_path)
    result = build_with(project, SOURCE_DATE_EPOCH="1774400000", SITE_URL="https://d.example/")
    assert result.returncode == 0, result.stderr
    assert "<id>https://d.example/feed.xml</id>" in (project / "out" / "feed.xml").read_text()
    assert "built on 2026-03-25 00:53 UTC" in (project / "out" / "status.md").read_text()


def test_check_warns_of_a_listing_dated_after_today(tmp_path: Path) -> None:
    """A mistyped year makes a listing the latest issue for years, silently."""
    project = copy_project(tmp_path)
    sources = project / "content" / "sources"
    shutil.copy(sources / "2026-03-24-trending.txt", sources / "2096-03-24-trending.txt")
    result = digest("check", cwd=project)
    assert result.returncode == 0, result.stderr
    warned = [line for line in result.stderr.splitlines() if "after today" in line]
    assert warned == [
        f"{Path('content') / 'sources' / '2096-03-24-trending.txt'}: warning: dated 2096-03-24,"
        " after today: is the year in its name right?"
    ]


@pytest.mark.parametrize(
    "command",
    [
        ["note", "new", "normuon-making-muon-more-efficient-and-scalable"],
        ["newsletter", "2026-03-24", "--out", "a-file/mail"],
        ["build", "--out", "a-file/site"],
    ],
    ids=["note-new", "newsletter", "build"],
)
def test_a_folder_that_is_a_file_is_one_line(tmp_path: Path, command: list[str]) -> None:
    """`note new` with content/notes a file, and --out below a file: a traceback before."""
    project = copy_project(tmp_path)
    notes = project / "content" / "notes"
    shutil.rmtree(notes)
    notes.write_text("not a folder\n", encoding="utf-8")
    (project / "a-file").write_text("x\n", encoding="utf-8")
    result = digest(*command, cwd=project)
    assert result.returncode == 1
    (line,) = result.stderr.strip().splitlines()[-1:]
    assert "error: cannot write: " in line and "Traceback" not in result.stderr, result.stderr


@pytest.mark.parametrize("epoch", ["1773446400000", "-5"])
def test_a_source_date_epoch_that_is_no_time_is_left_alone(tmp_path: Path, epoch: str) -> None:
    """Milliseconds (year 58168) stopped the build with a traceback; like any value that
    is not seconds, they are ignored, and the newest listing's date is used."""
    project = copy_project(tmp_path)
    result = build_with(project, SOURCE_DATE_EPOCH=epoch)
    assert result.returncode == 0, result.stderr
    assert "built on 2026-03-24" in (project / "out" / "status.md").read_text()


def test_build_with_a_named_config_that_is_not_there_is_one_line(tmp_path: Path) -> None:
    """A typo in --config built with the defaults (feeds without the site's address)."""
    project = copy_project(tmp_path)
    result = digest("build", "--out", "out", "--config", "mkdocs-prod.yml", cwd=project)
    assert result.returncode == 1
    assert result.stderr == "digest: error: no configuration file mkdocs-prod.yml (--config)\n"
    assert not (project / "out").exists()


def test_what_check_cannot_read_in_content_is_named_not_skipped(tmp_path: Path) -> None:
    """A notes folder that is a file, a listing that links to nothing and an empty folder
    named like a listing made papers or notes vanish with "0 warnings"."""
    project = copy_project(tmp_path)
    content = project / "content"
    shutil.rmtree(content / "notes")
    (content / "notes").write_text("x\n", encoding="utf-8")
    (content / "sources" / "2026-04-02-x.txt").symlink_to(tmp_path / "nowhere.txt")
    (content / "sources" / "2026-04-03-x.txt").mkdir()
    result = digest("check", cwd=project)
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    assert lines[:3] == [
        "content/notes: warning: not read: a folder is expected here: notes are the .md files"
        " directly in notes/",
        "content/sources/2026-04-02-x.txt: warning: not read: not a file (a broken link?)",
        "content/sources/2026-04-03-x.txt: warning: not read: an empty folder: listings are"
        " the files directly in sources/",
    ]
    missing = digest("check", "--content", "contnet", cwd=project)
    assert missing.returncode == 1
    assert missing.stderr.startswith("contnet: error: no content folder here"), missing.stderr


def test_classify_reads_a_bom_and_names_what_it_cannot_read(tmp_path: Path) -> None:
    papers = [{"title": "LoRA for all", "abstract": "Low-rank adapters fine-tune models."}]
    with_bom = digest("classify", "--json", stdin="\ufeff" + json.dumps(papers))
    assert with_bom.returncode == 0, with_bom.stderr
    assert json.loads(with_bom.stdout)[0]
    utf16 = tmp_path / "papers.json"
    utf16.write_text(json.dumps(papers), encoding="utf-16")
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000, encoding="utf-8")
    for path, says in ((utf16, "not valid UTF-8"), (deep, "nested too deep")):
        result = digest("classify", str(path))
        assert result.returncode == 1
        (line,) = result.stderr.splitlines()
        assert line.startswith(str(path)) and says in line, line


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--topic", ""], "--topic: give a topic's slug"),
        (["--issue", ""], "--issue '' is not a date"),
        (["--issue", "2026-3-24"], "--issue '2026-3-24' is not a date"),
        (["--unsorted", "--topic", "peft"], "leave out --topic"),
    ],
)
def test_list_refuses_a_filter_that_would_list_the_wrong_papers(args: list[str], says: str) -> None:
    """An empty --topic or --issue (a script's unset variable) listed every paper."""
    result = digest("list", *args)
    assert result.returncode != 0 and result.stdout == ""
    assert says in result.stderr, result.stderr


def test_a_text_editors_copies_are_neither_read_nor_published(tmp_path: Path) -> None:
    """Emacs leaves 2026-03-20-trending.txt~ and #index.md# beside the files: one failed
    the build, and a page's or topics.yml's copy was published as it was."""
    project = copy_project(tmp_path)
    content = project / "content"
    copies = ["sources/2026-03-20-trending.txt~", "notes/normuon.md~", "pages/about.md~",
              "topics.yml~", "#index.md#", "sources/#2026-03-20-trending.txt#"]  # fmt: skip
    for copy in copies:
        original = content / copy.strip("#").removesuffix("~").replace("/#", "/")
        (content / copy).write_bytes(original.read_bytes())
    result = digest("check", cwd=project)
    assert result.returncode == 0, result.stderr
    assert result.stderr.endswith("; 0 warnings\n"), result.stderr
    build = mkdocs_build(project)
    assert build.returncode == 0, build.stderr
    site = project / "site"
    assert not [p for p in site.rglob("*") if p.name.endswith(("~", "#"))]


def test_classify_names_a_number_too_long_to_read(tmp_path: Path) -> None:
    path = tmp_path / "papers.json"
    path.write_text('[{"title": ' + "1" * 5000 + "}]", encoding="utf-8")
    result = digest("classify", str(path))
    assert result.returncode == 1
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"{path}: error: not JSON a reader can take"), line
