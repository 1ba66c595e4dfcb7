"""What editors write in content/ shows on the built site, and content/ is never touched."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from test_site import page, text_of

from digest.pipeline import gather
from digest.sources.content_folder import read_content

from conftest import copy_project, mkdocs_build, search_records


def content_hashes(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@dataclass
class Curated:
    site: Path
    project: Path
    pick: str
    pick_topic: str
    moved: str
    old_topics: list[str]
    new_topic: str
    hidden: str
    hidden_title: str
    latest_issue: str
    content_before: dict[str, str]
    content_after: dict[str, str]


@pytest.fixture(scope="module")
def curated(tmp_path_factory: pytest.TempPathFactory) -> Curated:
    project = copy_project(tmp_path_factory.mktemp("curated"))
    digest, _ = gather(read_content(project / "content"))
    latest = digest.issues[-1]
    noted = set(digest.notes)
    candidates = [s for s in latest.slugs if s not in noted and digest.topics_of[s]]
    pick, moved, hidden = candidates[4], candidates[5], candidates[6]
    pick_topic = digest.topics_of[pick][0].slug
    old_topics = [s.slug for s in digest.topics_of[moved]]
    new_topic = next(t.slug for t in digest.taxonomy.topics if t.slug not in old_topics)
    notes = project / "content" / "notes"
    (notes / "pick.md").write_text(
        f"---\npaper: {pick}\npick: true\neditor: Grace Hopper\ndate: 2026-03-25\n"
        "tags: [zebra-crossing-tag]\n---\nA *careful* read: the best of the week.\n",
        encoding="utf-8",
    )
    (notes / "moved.md").write_text(
        f"---\npaper: {moved}\ntopics: [{new_topic}]\n---\n", encoding="utf-8"
    )
    (notes / "hidden.md").write_text(
        f"---\npaper: {hidden}\nhide: true\n---\nA duplicate of another paper.\n", encoding="utf-8"
    )
    intros = project / "content" / "topics"
    intros.mkdir(exist_ok=True)
    (intros / f"{pick_topic}.md").write_text(
        "An **introduction** by the topic's editor.\n", encoding="utf-8"
    )
    before = content_hashes(project / "content")
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stderr
    by_slug = {p.slug: p for p in digest.papers}
    return Curated(
        project / "site", project, pick, pick_topic, moved, old_topics, new_topic, hidden,
        by_slug[hidden].title, latest.date.isoformat(), before, content_hashes(project / "content"),
    )  # fmt: skip


def test_the_build_leaves_content_byte_identical(curated: Curated) -> None:
    assert curated.content_after == curated.content_before


def test_the_note_shows_at_the_top_of_the_paper_page(curated: Curated) -> None:
    html = page(curated.site, f"papers/{curated.pick}")
    block = html[html.index('class="admonition') :]
    assert html.index('class="admonition') < html.index('id="abstract"')
    assert (
        "Editor&#39;s pick · Grace Hopper · 2026-03-25" in block
        or "Editor's pick · Grace Hopper · 2026-03-25" in block
    )
    assert "<em>careful</em>" in block
    assert "zebra-crossing-tag" in text_of(html, "article")


def test_picks_come_first_and_are_marked_on_lists(curated: Curated) -> None:
    issue = page(curated.site, f"issues/{curated.latest_issue}")
    first_paper_link = issue.index("../../papers/")
    assert issue[first_paper_link:].startswith(f"../../papers/{curated.pick}/")
    topic = page(curated.site, f"topics/{curated.pick_topic}")
    assert topic[topic.index("../../papers/") :].startswith(f"../../papers/{curated.pick}/")
    for html in (issue, topic, page(curated.site, "picks"), page(curated.site, "")):
        start = html.index(f"papers/{curated.pick}/")
        assert (
            "Editor&#39;s pick" in html[start : start + 600]
            or "Editor's pick" in html[start : start + 600]
        )


def test_the_picks_page_lists_picks_newest_first(curated: Curated) -> None:
    html = page(curated.site, "picks")
    links = [chunk.split("/")[0] for chunk in html.split('href="../papers/')[1:]]
    assert links[0] == curated.pick  # its note is dated after every default note
    assert "scaling-laws-for-neural-language-models" in links


def test_an_override_moves_the_paper_between_topic_pages(curated: Curated) -> None:
    assert f"papers/{curated.moved}/" in page(curated.site, f"topics/{curated.new_topic}")
    for old in curated.old_topics:
        assert f"papers/{curated.moved}/" not in page(curated.site, f"topics/{old}")
    why = text_of(page(curated.site, f"papers/{curated.moved}"), "article")
    assert "set by the editor in content/notes/moved.md" in why


def test_a_hidden_paper_is_nowhere(curated: Curated) -> None:
    assert not (curated.site / "papers" / curated.hidden).exists()
    for html_file in curated.site.rglob("*.html"):
        assert f"papers/{curated.hidden}/" not in html_file.read_text(encoding="utf-8"), html_file
    records = search_records(curated.site)
    assert records
    assert not any(curated.hidden in r["url"] for r in records)
    assert not any(curated.hidden_title[:60] in r["meta"]["title"] + r["content"] for r in records)


def test_tags_are_searchable(curated: Curated) -> None:
    records = search_records(curated.site)
    holders = {r["url"] for r in records if "zebra-crossing-tag" in r["content"]}
    assert f"/papers/{curated.pick}/" in holders


def test_introductions_and_pages_are_published(curated: Curated) -> None:
    home = page(curated.site, "")
    intro = (curated.project / "content" / "index.md").read_text(encoding="utf-8").split()[:5]
    assert " ".join(intro) in text_of(home, "article")
    topic = page(curated.site, f"topics/{curated.pick_topic}")
    assert "<strong>introduction</strong> by the topic" in topic
    about = page(curated.site, "pages/about")
    assert "How to propose a note" in about
    assert 'href="../pages/about/"' in home or 'href="pages/about/"' in home


def test_every_paper_page_says_why_it_has_its_topics(curated: Curated) -> None:
    html = page(curated.site, f"papers/{curated.pick}")
    why = html[html.index('id="why-these-topics"') :]
    assert "in the title" in why or "in the abstract" in why


def digest_cli(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "digest", *args],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_note_errors_fail_check_and_strict_build_with_the_same_lines(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    notes = project / "content" / "notes"
    (notes / "typo.md").write_text(
        "---\npaper: Scaling laws for neural language model\n---\nHi\n", encoding="utf-8"
    )
    (notes / "broken.md").write_text("---\npaper: x\npick: [\n---\n", encoding="utf-8")
    (notes / "twice.md").write_text(
        "---\npaper: normuon-making-muon-more-efficient-and-scalable\n---\n", encoding="utf-8"
    )
    # Every mistake of a note at once, not its front matter's first and the rest next time.
    (notes / "staged.md").write_text(
        '---\npaper: "LLaMA-Adapter V2: Parameter-Efficient Visual Instruction Model"\n'
        'pick: "no"\ntopics: [no-such-topic]\n---\n',
        encoding="utf-8",
    )
    check = digest_cli(project, "check")
    assert check.returncode == 1
    lines = check.stderr.strip().splitlines()
    assert len(lines) == 5, lines
    assert lines[0].startswith("content/notes/broken.md:")
    assert lines[1].startswith("content/notes/staged.md:3: error: 'pick' must be true or false")
    assert lines[2].startswith("content/notes/staged.md:4: error: unknown topic 'no-such-topic'")
    assert lines[3].startswith("content/notes/twice.md:2: error: a second note")
    assert lines[4].startswith("content/notes/typo.md:2: error: no paper")
    build = mkdocs_build(project)
    assert build.returncode != 0
    assert "Traceback" not in build.stderr
    for line in lines:
        assert line in build.stderr


def test_note_new_round_trips_through_check(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    title = "LLaMA-Adapter V2: Parameter-Efficient Visual Instruction Model"
    made = digest_cli(project, "note", "new", title)
    assert made.returncode == 0, made.stderr
    path = project / made.stdout.strip()
    assert path.parent == project / "content" / "notes"
    text = path.read_text(encoding="utf-8")
    assert "paper: llama-adapter-v2-parameter-efficient-visual-instruction-model" in text
    assert "How to efficiently transform" in " ".join(text.split())  # quoted for the editor
    assert digest_cli(project, "check").returncode == 0
    again = digest_cli(project, "note", "new", title)
    assert again.returncode == 1 and "already a note" in again.stderr
    assert path.read_text(encoding="utf-8") == text


def test_note_new_offers_close_matches(tmp_path: Path) -> None:
    result = digest_cli(copy_project(tmp_path), "note", "new", "normuon")
    assert result.returncode == 1
    assert "did you mean: NorMuon: Making Muon more efficient and scalable" in result.stderr


def test_list_filters_and_explains(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    listed = digest_cli(project, "list", "--issue", "2025-12-11", "--json", "--why")
    rows = json.loads(listed.stdout)
    assert len(rows) == 41 and all("2025-12-11" in r["issues"] for r in rows)
    normuon = next(r for r in rows if r["slug"].startswith("normuon"))
    assert normuon["pick"] is True and "training-systems" in normuon["topics"]
    assert normuon["why"]["training-systems"] == "set by the editor in content/notes/normuon.md"
    unsorted = digest_cli(project, "list", "--unsorted").stdout.splitlines()
    assert all("\t-\t" in line for line in unsorted)
    text = digest_cli(project, "list", "--topic", "peft", "--why").stdout
    assert "peft: score" in text


def test_check_names_every_editor_file_it_does_not_read(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    content = project / "content"
    unread = ["notes/2026/in-a-folder.md", "notes/capitals.MD", "sources/old/2026-03-31-x.txt"]
    for rel in [*unread, "notes/.hidden.md"]:
        (content / rel).parent.mkdir(parents=True, exist_ok=True)
        (content / rel).write_text("Not read.\n", encoding="utf-8")
    check = digest_cli(project, "check")
    warned = [line for line in check.stderr.splitlines() if "not read:" in line]
    assert warned == [
        "content/notes/2026/in-a-folder.md: warning: not read: notes are the .md files "
        "directly in notes/",
        "content/notes/capitals.MD: warning: not read: notes are the .md files directly in notes/",
        "content/sources/old/2026-03-31-x.txt: warning: not read: listings are the files "
        "directly in sources/",
    ]


def test_a_file_whose_name_is_not_utf8_is_named_and_the_build_goes_on(tmp_path: Path) -> None:
    """A listing, an editor's page or any file in content/: MkDocs stopped with a
    traceback on a page's name that is not UTF-8."""
    project = copy_project(tmp_path)
    content = os.fsencode(project / "content")
    sources = content + b"/sources"
    os.rename(sources + b"/2026-03-20-trending.txt", sources + b"/2026-03-20-\xffx.txt")
    Path(os.fsdecode(content + b"/pages/caf\xe9.md")).write_text("# Caf\n", encoding="utf-8")
    Path(os.fsdecode(content + b"/\xfe.md")).write_text("# Page\n", encoding="utf-8")
    check = digest_cli(project, "check")
    says = "content/sources/2026-03-20-\\xffx.txt: warning: not read: its name is not UTF-8"
    assert says in check.stderr, check.stderr
    for name in ("pages/caf\\xe9.md", "\\xfe.md"):
        assert f"content/{name}: warning: not read: its name is not UTF-8" in check.stderr
    build = [sys.executable, "-m", "mkdocs", "build"]  # not strict: the warning is expected
    result = subprocess.run(build, cwd=project, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    assert says in result.stderr
    assert not (project / "site" / "issues" / "2026-03-20").exists()


def test_check_reports_bad_introductions_and_pages(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    (project / "content" / "topics").mkdir(exist_ok=True)
    (project / "content" / "topics" / "pefts.md").write_text("Intro.\n", encoding="utf-8")
    (project / "content" / "pages" / "broken.md").write_text(
        "---\ntitle: [x\n---\nBody\n", encoding="utf-8"
    )
    check = digest_cli(project, "check")
    assert check.returncode == 1
    lines = check.stderr.strip().splitlines()
    assert lines[0].startswith("content/pages/broken.md:3: error: YAML does not parse")
    assert lines[1] == (
        "content/topics/pefts.md: error: no topic 'pefts' in topics.yml for this introduction "
        "(did you mean peft.md?)"
    )


def test_check_names_the_note_whose_link_leads_to_a_hidden_paper(tmp_path: Path) -> None:
    """The strict build failed on the generated page the note is shown on, which names
    no file the editor wrote, while digest check passed."""
    project = copy_project(tmp_path)
    notes = project / "content" / "notes"
    linking = (notes / "scaling-laws-for-neural-language-models.md").read_text("utf-8")
    assert "](../papers/chinchilla-scaling-a-replication-attempt.md)" in linking
    hide = "---\npaper: chinchilla-scaling-a-replication-attempt\nhide: true\n---\n"
    (notes / "chinchilla.md").write_text(hide, encoding="utf-8")
    check = digest_cli(project, "check")
    assert check.returncode == 1
    (line,) = [line for line in check.stderr.splitlines() if "links to" in line]
    assert line.startswith("content/notes/scaling-laws-for-neural-language-models.md:")
    assert "papers/chinchilla-scaling-a-replication-attempt.md: a hidden paper" in line


def test_an_editors_page_at_a_generated_pages_address_is_an_error_naming_it(
    tmp_path: Path,
) -> None:
    """The site has one page an address, and the generated one wins: an editor's page
    there would vanish from the site without a word."""
    project = copy_project(tmp_path)
    content = project / "content"
    (content / "picks.md").write_text("# My picks\n", encoding="utf-8")
    (content / "orgs").mkdir()
    (content / "orgs" / "index.md").write_text("# Orgs\n", encoding="utf-8")
    (content / "pages" / "fine.md").write_text("# An editor's page of its own\n", "utf-8")
    (content / "unsorted").mkdir()  # MkDocs makes a README.md its folder's index page
    (content / "unsorted" / "README.md").write_text("# Mine\n", encoding="utf-8")
    check = digest_cli(project, "check")
    assert check.returncode == 1
    lines = check.stderr.strip().splitlines()
    assert lines == [
        "content/orgs/index.md: error: left out: /orgs/ is a page digest makes; rename it",
        "content/picks.md: error: left out: /picks/ is a page digest makes; rename it",
        "content/unsorted/README.md: error: left out: /unsorted/ is a page digest makes; rename it",
    ]
    build = mkdocs_build(project)
    assert build.returncode != 0
    for line in lines:
        assert line in build.stderr


def test_a_link_to_no_page_in_a_note_or_page_is_named_where_the_editor_wrote_it(
    tmp_path: Path,
) -> None:
    """digest check passed these, and the strict build then failed naming the paper's
    page (which no editor wrote) rather than the note."""
    project = copy_project(tmp_path)
    note = project / "content" / "notes" / "normuon.md"
    lines = note.read_text(encoding="utf-8").splitlines()
    lines.append("See [a topic](../topics/no-such-topic.md), [ok](../topics/peft.md) and")
    lines.append("[about](../pages/abuot.md#top), [the web](https://example.org/x.md).")
    note.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (project / "content" / "pages" / "links.md").write_text(
        "# Links\n\n[x](../papers/nope.md), [about](about.md)\n\n"
        "Written as code, a link is text: `[y](nope.md)`\n\n```\n[z](nope.md)\n```\n\n"
        "So in a comment <!-- [c](nope.md) -->, escaped \\[e](nope.md), or indented:\n\n"
        "    [i](nope.md)\n\n<div>[h](nope.md)</div>\n\n"
        "[space](my%20page.md) [ref][r]\n\n[r]: gone.md\n",
        encoding="utf-8",
    )
    (project / "content" / "pages" / "my page.md").write_text("# Mine\n", encoding="utf-8")
    (project / "content" / "guide").mkdir()
    (project / "content" / "guide" / "index.md").write_text("[x](../nowhere.md)\n", "utf-8")
    check = digest_cli(project, "check")
    assert check.returncode == 1
    on = "shown on papers/normuon-making-muon-more-efficient-and-scalable.md"
    assert check.stderr.splitlines() == [
        "content/guide/index.md:1: error: links to ../nowhere.md: no such page",
        f"content/notes/normuon.md:{len(lines) - 1}: error: links to ../topics/no-such-topic.md:"
        f" no such page ({on}, it leads to topics/no-such-topic.md)",
        f"content/notes/normuon.md:{len(lines)}: error: links to ../pages/abuot.md:"
        f" no such page ({on}, it leads to pages/abuot.md)",
        "content/pages/links.md:3: error: links to ../papers/nope.md: no such page",
        "content/pages/links.md:19: error: links to gone.md: no such page",
    ]
    build = mkdocs_build(project)
    assert build.returncode != 0
    for line in check.stderr.splitlines():
        assert line in build.stderr
