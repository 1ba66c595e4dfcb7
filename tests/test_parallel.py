"""A second core at work: related papers computed by another process, and every other page
rendered by a forked copy. Both give exactly what this process alone gives, and a build
never depends on them (they cannot start, fail, or are killed)."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from digest import parallel, pipeline
from digest.errors import DigestError
from digest.model import Paper, SiteSettings
from digest.papers.related import related_papers, related_texts, texts_of
from digest.parallel import Deferred
from digest.site import render
from digest.site.pages.records import PageRecord
from digest.site.render import RenderedPages

ROOT = Path(__file__).resolve().parent.parent


def slow_squares(count: int, seconds: float) -> dict[int, int]:
    """A module-level function another process can import (tests/ is on its path)."""
    time.sleep(seconds)
    return {n: n * n for n in range(count)}


def process_pid(wait_unless_in: int = 0) -> dict[str, int]:
    """Which process did the work; another than `wait_unless_in` first waits a minute."""
    if wait_unless_in and os.getpid() != wait_unless_in:
        time.sleep(60)
    return {"pid": os.getpid()}


def failing(message: str) -> dict[str, str]:
    raise ValueError(message)


def test_another_process_relates_the_seed_papers_as_this_one_does(
    papers: tuple[Paper, ...],
) -> None:
    deferred = Deferred(related_texts, texts_of(papers))
    assert dict(deferred) == related_papers(papers)
    assert len(deferred) == len(papers)


def test_the_work_is_done_by_another_process() -> None:
    assert Deferred(process_pid)["pid"] != os.getpid()


def test_a_mistake_in_the_work_is_raised_here_as_itself() -> None:
    deferred = Deferred(failing, "a bad input")
    with pytest.raises(ValueError, match="a bad input"):
        deferred["anything"]


def test_a_killed_process_leaves_the_work_to_this_one() -> None:
    deferred = Deferred(process_pid, os.getpid())
    process = deferred._process
    assert process is not None
    process.kill()
    assert deferred["pid"] == os.getpid()  # the other process never answered


def test_no_interpreter_to_start_leaves_the_work_to_this_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sys, "executable", "/nonexistent/python")
    deferred = Deferred(slow_squares, 10, 0.0)
    assert deferred._process is None
    assert deferred[3] == 9


def test_work_never_asked_for_does_not_outlive_it() -> None:
    deferred = Deferred(slow_squares, 10, 60.0)
    process = deferred._process
    assert process is not None
    del deferred
    gc.collect()
    assert process.wait(timeout=10) != 0  # killed, not finished


def test_a_script_without_a_main_guard_is_not_run_again(tmp_path) -> None:
    # multiprocessing's spawn would run this script again in the child, printing twice.
    script = tmp_path / "unguarded.py"
    script.write_text(
        "from digest.parallel import Deferred\n"
        "from digest.papers.related import related_texts\n"
        "print('started', flush=True)\n"
        "texts = [(f's{i}', f'title {i}', f'words {i % 3} shared') for i in range(6)]\n"
        "print(len(Deferred(related_texts, texts)))\n",
        encoding="utf-8",
    )
    result = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=120, check=True
    )
    assert result.stdout.split() == ["started", "6"]


def test_many_papers_are_related_elsewhere_and_few_here(
    monkeypatch: pytest.MonkeyPatch, papers: tuple[Paper, ...]
) -> None:
    shown = list(papers)
    monkeypatch.setattr(pipeline, "RELATED_ELSEWHERE_FROM", len(shown))
    monkeypatch.setattr(pipeline, "spare_cores", lambda: 1)
    assert isinstance(pipeline.relate(shown), Deferred)
    assert dict(pipeline.relate(shown)) == related_papers(papers)
    assert isinstance(pipeline.relate(shown[:-1]), dict)
    monkeypatch.setattr(pipeline, "spare_cores", lambda: 0)  # one core: nothing to gain
    assert isinstance(pipeline.relate(shown), dict)


def test_spare_cores_counts_the_cores_this_process_may_use() -> None:
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    assert parallel.spare_cores() == (usable or 1) - 1


# --- a forked copy renders every other page ------------------------------------------


def seed_pages(monkeypatch: pytest.MonkeyPatch, *, forked: bool) -> dict[str, str]:
    """Every page of the seed site, read in order, with or without a forked copy."""
    monkeypatch.setattr(render, "can_fork", lambda count: forked)
    generated = pipeline.generate(ROOT / "content", ROOT / "site_templates")
    assert (generated.pages._helper is not None) == forked  # type: ignore[attr-defined]
    return dict(generated.pages)


def test_a_forked_copy_renders_the_seed_site_as_this_process_alone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    alone = seed_pages(monkeypatch, forked=False)
    rendered_here = []
    real_render_page = render.render_page

    def counted(env: object, page: PageRecord) -> str:
        rendered_here.append(page.path)
        return real_render_page(env, page)  # type: ignore[arg-type]

    monkeypatch.setattr(render, "render_page", counted)
    with_copy = seed_pages(monkeypatch, forked=True)
    assert with_copy == alone
    assert list(with_copy) == list(alone)
    assert rendered_here == list(alone)[::2]  # the copy rendered the others


def pages_of(tmp_path: Path, template: str, count: int) -> RenderedPages:
    (tmp_path / "t.md.j2").write_text(template, encoding="utf-8")
    env = render.environment(tmp_path, SiteSettings())
    records = [PageRecord(f"p{n}.md", "t.md.j2", {}, {"n": n}) for n in range(count)]
    return render.RenderedPages(env, records)


def test_pages_asked_for_out_of_order_or_twice_are_the_same(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(render, "can_fork", lambda count: True)
    pages = pages_of(tmp_path, "page {{ n }} {{ page_path }}", 9)
    assert pages._helper is not None
    for n in (7, 0, 3, 1, 7, 8, 5, 2, 4, 6, 1):
        assert pages[f"p{n}.md"].endswith(f"page {n} p{n}.md\n")


def test_a_mistake_only_the_copys_page_meets_is_raised_here_naming_template_and_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(render, "can_fork", lambda count: True)
    template = "page {{ n }}\n{% if n == 3 %}{{ no_such_name }}{% endif %}\n"
    pages = pages_of(tmp_path, template, 8)
    helper = pages._helper
    assert helper is not None
    for n in range(3):
        assert pages[f"p{n}.md"].strip().endswith(f"page {n}")
    with pytest.raises(DigestError) as raised:
        pages["p3.md"]  # the copy's: it stopped there, and this process renders it
    assert "t.md.j2:2" in str(raised.value) and "no_such_name" in str(raised.value)
    for n in range(4, 8):  # the rest are rendered here
        assert pages[f"p{n}.md"].strip().endswith(f"page {n}")
    with pytest.raises(ChildProcessError):  # the copy is gone, and reaped
        os.waitpid(helper._pid, os.WNOHANG)


def test_the_copy_does_not_outlive_pages_never_read(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(render, "can_fork", lambda count: True)
    pages = pages_of(tmp_path, "{{ n }}" * 10_000, 200)  # more than a pipe holds
    pid = pages._helper._pid  # type: ignore[union-attr]
    assert pages["p0.md"].startswith("---")
    del pages
    gc.collect()
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)


def test_a_copy_is_forked_only_for_many_pages_with_no_other_thread_running() -> None:
    if not hasattr(os, "sched_getaffinity") or len(os.sched_getaffinity(0)) < 2:
        pytest.skip("one core: a copy would gain nothing")
    many = parallel.FORK_FROM
    if threading.active_count() == 1:
        assert parallel.can_fork(many) == sys.platform.startswith("linux")
    assert not parallel.can_fork(many - 1)
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert not parallel.can_fork(many)
    finally:
        stop.set()
        other.join()
