"""Screenshots of the built site, to look at it the way visitors do.

    python -m digest.screenshots OUT_DIR [--site DIR]

Serves a built site (by default, builds this project with `mkdocs build` into a temporary
folder first) on 127.0.0.1 and saves PNGs of the home page, a topic and a paper, in the
light and the dark scheme, on a desktop (1280x900) and on a phone (375x812): twelve files
named PAGE-SCHEME-DEVICE.png. It needs Playwright (the `test` extra) and Chromium
(`apt-get install -y chromium`). Nothing outside 127.0.0.1 is fetched, as in the browser
tests; the site needs nothing from anywhere else.
"""

from __future__ import annotations

import argparse
import functools
import json
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

DEVICES: dict[str, dict[str, Any]] = {
    "desktop": {"viewport": {"width": 1280, "height": 900}},
    "phone": {
        "viewport": {"width": 375, "height": 812},
        "device_scale_factor": 2,
        "is_mobile": True,
        "has_touch": True,
    },
}
SCHEMES = ("light", "dark")


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        # A browser that leaves a page stops its downloads: not an error of the site's.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@contextmanager
def serve(site: Path) -> Iterator[str]:
    """Serve `site` on a free port of 127.0.0.1; yields its address."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = _QuietServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def build(config: Path, site_dir: Path) -> None:
    """`mkdocs build` of the project whose mkdocs.yml is `config`, into `site_dir`."""
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--quiet",
            "--config-file",
            str(config),
            "--site-dir",
            str(site_dir),
        ],
        cwd=config.parent,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise SystemExit(f"mkdocs build failed:\n{result.stderr}")


def pick_pages(site: Path) -> dict[str, str]:
    """Site-relative paths of the pages to photograph: the home page, the topic with the
    most papers and the first editor's pick (else the first paper)."""
    papers: list[dict[str, Any]] = []
    data = site / "papers.json"
    if data.is_file():
        papers = json.loads(data.read_text(encoding="utf-8"))
    counts: dict[str, int] = {}
    for paper in papers:
        for topic in paper.get("topics") or []:
            counts[topic] = counts.get(topic, 0) + 1
    topics = [t for t in counts if (site / "topics" / t / "index.html").is_file()]
    if not topics:
        topics = sorted(p.name for p in (site / "topics").glob("*") if (p / "index.html").is_file())
    paper = next((p for p in papers if p.get("pick")), papers[0] if papers else None)
    if paper is None:
        slugs = sorted(p.name for p in (site / "papers").glob("*") if p.is_dir())
        paper_slug = slugs[0] if slugs else None
    else:
        paper_slug = paper["slug"]
    if not topics or not paper_slug:
        raise SystemExit(f"{site}: no topic or paper page to photograph")
    topic = max(topics, key=lambda t: counts.get(t, 0))
    return {"home": "", "topic": f"topics/{topic}/", "paper": f"papers/{paper_slug}/"}


def chromium_path() -> str:
    return shutil.which("chromium") or "/usr/bin/chromium"


def screenshots(
    site: Path, out: Path, *, chromium: str | None = None, full_page: bool = False
) -> list[Path]:
    """Photograph `site`'s pages into `out`; returns the files written."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise SystemExit('Playwright is not installed: pip install -e ".[test]"') from exc
    executable = chromium or chromium_path()
    if not Path(executable).exists():
        raise SystemExit(f"{executable}: Chromium not found (apt-get install -y chromium)")
    out.mkdir(parents=True, exist_ok=True)
    pages = pick_pages(site)
    written: list[Path] = []
    with serve(site) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        try:
            for scheme in SCHEMES:
                for device, options in DEVICES.items():
                    context = browser.new_context(color_scheme=scheme, **options)
                    try:
                        context.route(
                            "**/*",
                            lambda route: (
                                route.continue_()
                                if route.request.url.startswith(base)
                                else route.abort()
                            ),
                        )
                        page = context.new_page()
                        for name, path in pages.items():
                            page.goto(base + path, wait_until="load")
                            page.wait_for_timeout(300)  # the palette and the banner
                            target = out / f"{name}-{scheme}-{device}.png"
                            page.screenshot(path=str(target), full_page=full_page)
                            written.append(target)
                    finally:
                        context.close()
        finally:
            browser.close()
    return written


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m digest.screenshots",
        description="Save screenshots of the home page, a topic and a paper, light and "
        "dark, desktop and phone.",
    )
    parser.add_argument("out", type=Path, metavar="OUT_DIR", help="where the PNGs go")
    parser.add_argument(
        "--site", type=Path, help="a built site (default: build this project first)"
    )
    parser.add_argument(
        "--config-file",
        type=Path,
        default=Path("mkdocs.yml"),
        help="the mkdocs.yml to build when --site is not given (default: mkdocs.yml)",
    )
    parser.add_argument("--chromium", help="the Chromium to drive (default: chromium)")
    parser.add_argument(
        "--full-page", action="store_true", help="the whole page, not only the first screen"
    )
    args = parser.parse_args(argv)

    if args.site is not None:
        if not (args.site / "index.html").is_file():
            parser.error(f"{args.site}: not a built site (no index.html)")
        written = screenshots(args.site, args.out, chromium=args.chromium, full_page=args.full_page)
    else:
        if not args.config_file.is_file():
            parser.error(f"{args.config_file}: no such file; give --site or --config-file")
        with tempfile.TemporaryDirectory(prefix="digest-site-") as tmp:
            site = Path(tmp) / "site"
            build(args.config_file.resolve(), site)
            written = screenshots(site, args.out, chromium=args.chromium, full_page=args.full_page)
    for path in written:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
