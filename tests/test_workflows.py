"""The GitHub Actions workflows: linted by actionlint and zizmor, and held to the project's rules.

actionlint and zizmor come with the test extra (`pip install -e ".[test]"`); zizmor runs
offline, without a GitHub token. The plain-Python checks below read the workflows as YAML
(where the key `on` loads as True) and as text (for the comments next to pinned actions).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sysconfig
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = ROOT / ".github" / "workflows"
PUBLISH = WORKFLOWS / "publish.yml"
CI = WORKFLOWS / "ci.yml"
WORKFLOW_FILES = sorted([*WORKFLOWS.glob("*.yml"), *WORKFLOWS.glob("*.yaml")])

# The job permissions each workflow may grant; any other job gets `contents: read` at most.
PUBLISH_PERMISSIONS = {
    "fetch": {"contents": "write"},
    "build": {"contents": "read"},
    "deploy": {"pages": "write", "id-token": "write"},
}
# The only job that pushes, and so the only one whose checkout keeps its credentials.
PUSHING_JOBS = {("publish.yml", "fetch")}

SHA_PIN = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+(/[^@\s]+)?@[0-9a-f]{40}$")
VERSION_COMMENT = re.compile(r"^#\s*v\d+(\.\d+)*\s*$")
USES_LINE = re.compile(r"^\s*(?:-\s+)?uses:\s*(?P<ref>[^\s#]+)\s*(?P<comment>#.*)?$")
FORBIDDEN = {
    "|| true": re.compile(r"\|\|\s*true\b"),
    "continue-on-error": re.compile(r"continue-on-error"),
    "always()": re.compile(r"\balways\s*\(\s*\)"),
    "pull_request_target": re.compile(r"pull_request_target"),
}

# A workflow with the mistakes the linters exist for: both must report it.
BAD_WORKFLOW = """\
on: pull_request_target
jobs:
  greet:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: echo "${{ github.event.pull_request.title }}"
"""


# --- the linters ---------------------------------------------------------------------------


def tool(name: str) -> str:
    """The path of a linter the test extra installs; the test fails, never skips, without it."""
    scripts = Path(sysconfig.get_path("scripts")) / name
    if scripts.is_file() and os.access(scripts, os.X_OK):
        return str(scripts)
    found = shutil.which(name)
    if found is None:
        pytest.fail(
            f'{name} is not installed: install the test tools with `pip install -e ".[test]"`'
        )
    return found


def offline_env() -> dict[str, str]:
    """The environment without any GitHub token, so nothing can go online with one."""
    hidden = {"GH_TOKEN", "GITHUB_TOKEN", "ZIZMOR_GITHUB_TOKEN"}
    env = {key: value for key, value in os.environ.items() if key not in hidden}
    env["ZIZMOR_OFFLINE"] = "true"
    env["NO_COLOR"] = "1"
    return env


def actionlint(*paths: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [tool("actionlint"), "-no-color", *map(str, paths)],
        cwd=ROOT,
        env=offline_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )


def zizmor(target: Path) -> tuple[subprocess.CompletedProcess[str], list[dict[str, Any]]]:
    """zizmor offline, strict (no config, no ignore comments, pedantic), and its findings."""
    result = subprocess.run(
        [
            tool("zizmor"),
            "--offline",
            "--no-config",
            "--no-ignores",
            "--persona=pedantic",
            "--format=json",
            "--no-progress",
            "--color=never",
            str(target),
        ],
        cwd=ROOT,
        env=offline_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    try:
        findings = json.loads(result.stdout)
    except json.JSONDecodeError:
        pytest.fail(f"zizmor printed no JSON (exit {result.returncode}):\n{result.stderr}")
    return result, findings


def describe(findings: list[dict[str, Any]]) -> str:
    """One line per finding, `path:line: ident: description`, as far as the JSON tells."""
    lines = []
    for finding in findings:
        for location in finding.get("locations") or [{}]:
            key = (location.get("symbolic") or {}).get("key") or {}
            local = key.get("Local") if isinstance(key, dict) else None
            path = "?"
            if isinstance(local, dict):
                path = local.get("given_path") or local.get("verbatim_path") or "?"
            point = ((location.get("concrete") or {}).get("location") or {}).get("start_point")
            line = point["row"] + 1 if isinstance(point, dict) and "row" in point else "?"
            lines.append(f"{path}:{line}: {finding.get('ident')}: {finding.get('desc')}")
    return "\n".join(lines)


def test_the_workflows_exist() -> None:
    assert PUBLISH in WORKFLOW_FILES
    assert CI in WORKFLOW_FILES


def test_actionlint_finds_nothing() -> None:
    result = actionlint(*WORKFLOW_FILES)
    assert result.returncode == 0, f"actionlint:\n{result.stdout}{result.stderr}"


def test_zizmor_finds_nothing() -> None:
    result, findings = zizmor(WORKFLOWS)
    assert findings == [], f"zizmor:\n{describe(findings)}"
    assert result.returncode == 0, f"zizmor exited {result.returncode}:\n{result.stderr}"


def test_the_linters_do_report_a_bad_workflow(tmp_path: Path) -> None:
    """Guards the two tests above against a linter that runs but looks at nothing."""
    bad = tmp_path / ".github" / "workflows" / "bad.yml"
    bad.parent.mkdir(parents=True)
    bad.write_text(BAD_WORKFLOW, encoding="utf-8")

    result = actionlint(bad)
    assert result.returncode != 0
    assert "potentially untrusted" in result.stdout, result.stdout

    result, findings = zizmor(bad.parent)
    assert result.returncode != 0
    found = {finding["ident"] for finding in findings}
    assert {"dangerous-triggers", "template-injection", "unpinned-uses"} <= found, found


# --- the rules, read from the YAML ---------------------------------------------------------


def load(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{path.name} is not a YAML mapping"
    return data


def triggers(workflow: dict[str, Any]) -> dict[str, Any]:
    """The `on:` section as a mapping; PyYAML reads the key `on` as the boolean True."""
    on = workflow["on"] if "on" in workflow else workflow.get(True)
    if isinstance(on, str):
        return {on: None}
    if isinstance(on, list):
        return dict.fromkeys(on)
    assert isinstance(on, dict), "the workflow has no `on:` triggers"
    return on


def jobs(workflow: dict[str, Any]) -> dict[str, dict[str, Any]]:
    found = workflow.get("jobs")
    assert isinstance(found, dict) and found, "the workflow has no jobs"
    return found


def steps(job: dict[str, Any]) -> list[dict[str, Any]]:
    return list(job.get("steps") or [])


def all_steps(workflow: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for name, job in jobs(workflow).items():
        for step in steps(job):
            yield name, step


def action(step: dict[str, Any]) -> str:
    """`owner/repo` of a step's action, without the version; '' for a `run:` step."""
    return str(step.get("uses", "")).split("@", 1)[0]


def runs(job: dict[str, Any]) -> list[str]:
    return [str(step["run"]).strip() for step in steps(job) if "run" in step]


def workflow_ids() -> list[str]:
    return [path.name for path in WORKFLOW_FILES]


@pytest.fixture(params=WORKFLOW_FILES, ids=workflow_ids())
def workflow_file(request: pytest.FixtureRequest) -> Path:
    return request.param


def test_every_action_is_pinned_to_a_commit_with_its_version(workflow_file: Path) -> None:
    text = workflow_file.read_text(encoding="utf-8")
    pinned = 0
    for number, line in enumerate(text.splitlines(), start=1):
        match = USES_LINE.match(line)
        if not match:
            continue
        ref = match["ref"].strip("'\"")
        where = f"{workflow_file.name}:{number}"
        if ref.startswith("./"):
            continue
        assert SHA_PIN.match(ref), f"{where}: {ref} is not pinned to a full 40-hex commit SHA"
        comment = match["comment"] or ""
        assert VERSION_COMMENT.match(comment), f"{where}: {ref} needs a `# vX.Y.Z` comment"
        pinned += 1
    used = [step for _, step in all_steps(load(workflow_file)) if "uses" in step]
    assert pinned == len(used), f"{workflow_file.name}: a `uses:` the line check did not see"


def test_every_job_has_a_timeout(workflow_file: Path) -> None:
    for name, job in jobs(load(workflow_file)).items():
        timeout = job.get("timeout-minutes")
        assert isinstance(timeout, int) and 0 < timeout <= 60, f"{name}: timeout-minutes"


def test_nothing_hides_a_failure_or_trusts_a_fork(workflow_file: Path) -> None:
    text = workflow_file.read_text(encoding="utf-8")
    for what, pattern in FORBIDDEN.items():
        assert not pattern.search(text), f"{workflow_file.name} contains {what}"
    workflow = load(workflow_file)
    assert "pull_request_target" not in triggers(workflow)
    assert "workflow_run" not in triggers(workflow)
    for name, job in jobs(workflow).items():
        assert "continue-on-error" not in job, name
        for step in steps(job):
            assert "continue-on-error" not in step, f"{name}: {step}"


def test_no_expression_is_pasted_into_a_script(workflow_file: Path) -> None:
    """Values reach `run:` scripts through `env:`, never `${{ }}` (least of all github.event)."""
    for name, step in all_steps(load(workflow_file)):
        script = str(step.get("run", ""))
        assert "${{ github.event." not in script, f"{workflow_file.name} {name}: {script}"
        assert "${{" not in script, f"{workflow_file.name} {name}: pass it through env:"


def test_checkouts_drop_their_credentials_except_to_push(workflow_file: Path) -> None:
    for name, step in all_steps(load(workflow_file)):
        if action(step) != "actions/checkout":
            continue
        persist = (step.get("with") or {}).get("persist-credentials")
        if (workflow_file.name, name) in PUSHING_JOBS:
            assert persist is not False, f"{name} pushes: it needs its credentials"
        else:
            assert persist is False, f"{workflow_file.name} {name}: persist-credentials: false"


def test_setup_python_caches_pip(workflow_file: Path) -> None:
    for name, step in all_steps(load(workflow_file)):
        if action(step) == "actions/setup-python":
            assert (step.get("with") or {}).get("cache") == "pip", name


def test_permissions_are_least_privilege(workflow_file: Path) -> None:
    workflow = load(workflow_file)
    assert workflow.get("permissions") in ({}, {"contents": "read"}), "top-level permissions"
    allowed = PUBLISH_PERMISSIONS if workflow_file == PUBLISH else {}
    for name, job in jobs(workflow).items():
        granted = job.get("permissions")
        if name in allowed:
            assert granted == allowed[name], f"{workflow_file.name} {name}: {granted}"
        else:
            assert granted in (None, {}, {"contents": "read"}), f"{name}: {granted}"
    # The job allowed to push is the only one that may keep its checkout credentials.
    writers = {
        (workflow_file.name, name)
        for name, job in jobs(workflow).items()
        if (job.get("permissions") or {}).get("contents") == "write"
    }
    assert writers <= PUSHING_JOBS


# --- publish.yml ---------------------------------------------------------------------------


def test_publish_runs_on_push_daily_and_by_hand() -> None:
    on = triggers(load(PUBLISH))
    assert set(on) == {"push", "schedule", "workflow_dispatch"}
    assert "main" in on["push"]["branches"]
    crons = [entry["cron"] for entry in on["schedule"]]
    assert len(crons) == 1 and len(crons[0].split()) == 5, crons


def test_publish_never_runs_two_deployments_at_once() -> None:
    workflow = load(PUBLISH)
    concurrency = workflow.get("concurrency") or jobs(workflow)["deploy"].get("concurrency")
    assert isinstance(concurrency, dict) and concurrency.get("group"), concurrency
    assert concurrency.get("cancel-in-progress") is False


def test_publish_fetches_only_on_schedule_and_by_hand() -> None:
    fetch = jobs(load(PUBLISH))["fetch"]
    condition = fetch["if"]
    assert "schedule" in condition and "workflow_dispatch" in condition, condition
    assert "push" not in condition
    scripts = runs(fetch)
    assert "pip install -e ." in scripts
    assert "digest fetch" in scripts
    push = next(script for script in scripts if "git push" in script)
    assert "content/sources" in push and "git commit" in push and "git config user." in push
    assert "sha" in fetch["outputs"]


def test_publish_builds_strictly_after_a_fetch_or_without_one() -> None:
    build = jobs(load(PUBLISH))["build"]
    assert build["needs"] in ("fetch", ["fetch"])
    condition = build["if"].replace(" ", "")
    assert "!failure()" in condition and "!cancelled()" in condition, condition
    checkout = next(step for step in steps(build) if action(step) == "actions/checkout")
    # On the daily run, the commit fetch pushed, not the one the run started from.
    ref = str(checkout["with"]["ref"])
    assert "needs.fetch.outputs.sha" in ref or "github.ref" in ref, ref
    scripts = runs(build)

    def step_of(command: str) -> int:
        return next(i for i, script in enumerate(scripts) if command in script)

    assert step_of("digest check") < step_of("mkdocs build --strict")
    assert "SOURCE_DATE_EPOCH" in scripts[step_of("mkdocs build --strict")]
    upload = [step for step in steps(build) if action(step) == "actions/upload-pages-artifact"]
    assert len(upload) == 1 and upload[0]["with"]["path"] == "site"
    assert steps(build)[-1] is upload[0], "the upload comes after the build"


def test_publish_restores_and_saves_the_rebuild_cache_before_the_build() -> None:
    build = jobs(load(PUBLISH))["build"]
    build_steps = steps(build)
    cache = [step for step in build_steps if action(step) == "actions/cache"]
    assert len(cache) == 1 and cache[0]["with"]["path"] == ".cache/digest"
    # A new key each run (a key is saved once), restoring the newest earlier one.
    assert "github.run_id" in cache[0]["with"]["key"]
    assert cache[0]["with"]["key"].startswith(cache[0]["with"]["restore-keys"].rstrip("-"))
    building = next(i for i, s in enumerate(build_steps) if "mkdocs build" in s.get("run", ""))
    assert build_steps.index(cache[0]) < building


def test_publish_deploys_only_a_successful_build() -> None:
    deploy = jobs(load(PUBLISH))["deploy"]
    assert deploy["needs"] in ("build", ["build"])
    condition = deploy.get("if", "").replace(" ", "")
    assert "needs.build.result=='success'" in condition, condition
    assert deploy["environment"]["name"] == "github-pages"
    assert deploy["environment"]["url"] == "${{ steps.deployment.outputs.page_url }}"
    (step,) = steps(deploy)
    assert action(step) == "actions/deploy-pages" and step["id"] == "deployment"


# --- ci.yml --------------------------------------------------------------------------------


def readme_test_command() -> str:
    """The README's second shell block: the command that installs the test tools and tests."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```sh\n(.*?)```", readme, flags=re.DOTALL)
    command = next(block.strip() for block in blocks if "pytest" in block)
    return command


def test_ci_runs_on_push_and_pull_request() -> None:
    assert set(triggers(load(CI))) == {"push", "pull_request"}


def test_ci_checks_content_style_and_tests() -> None:
    (job,) = jobs(load(CI)).values()
    scripts = runs(job)
    assert readme_test_command() in scripts, "the README's test command, exactly"
    assert "ruff check ." in scripts
    assert "ruff format --check ." in scripts
    assert "digest check" in scripts
    chromium = next(script for script in scripts if "chromium" in script)
    assert "apt-get install -y chromium" in chromium
