"""The site workflows are valid YAML with the steps a newsroom relies on: publish.yml publishes main, on every push
and on schedule; preview.yml checks and previews every pull request (a draft of Decap CMS's editorial workflow)."""

from __future__ import annotations

import datetime
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

WORKFLOWS = Path(__file__).resolve().parents[1] / ".github/workflows"
CACHE_SAVE = "actions/cache/save"


def load(name: str = "publish.yml") -> dict[str, Any]:
    data = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    data["on"] = data.pop(True)  # YAML 1.1 reads the key `on` as true
    return data


def test_triggers_permissions_and_jobs() -> None:
    data = load()
    assert data["on"]["push"]["branches"] == ["main"], "a merged pull request publishes"
    assert [entry["cron"] for entry in data["on"]["schedule"]] == ["*/5 * * * *"], "embargoes lift within 5 minutes"
    assert data["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert set(data["jobs"]) == {"build", "deploy-pages", "deploy-s3"}


def test_build_job_checks_builds_and_uploads_for_pages() -> None:
    steps = load()["jobs"]["build"]["steps"]
    runs = [step.get("run", "") for step in steps]
    uses = [step.get("uses", "") for step in steps]
    assert any(run.startswith("pip install newsgen") for run in runs)
    order = [next(i for i, run in enumerate(runs) if run.startswith(cmd)) for cmd in ("newsgen check", "newsgen build")]
    assert order == sorted(order)
    assert "actions/checkout@v5" in uses and "actions/upload-pages-artifact@v4" in uses
    assert any("rm -f _site/.newsgen-schedule.json" in run for run in runs), "embargo times are not published"
    upload = next(step for step in steps if step.get("uses", "").startswith("actions/upload-pages-artifact"))
    assert upload["with"]["path"] == "_site" and any("cp -al build _site" in run for run in runs)
    kept = {".newsgen-cache", "build"}
    cache_steps = [i for i, step in enumerate(steps) if set(str(step.get("with", {}).get("path")).split()) == kept]
    build_step = next(i for i, run in enumerate(runs) if run.startswith("newsgen build"))
    assert [uses[i].split("@")[0] for i in cache_steps] == ["actions/cache/restore", "actions/cache/save"]
    assert cache_steps[0] < build_step < cache_steps[1], "articles read and pages built by one run serve the next"
    pages = load()["jobs"]["deploy-pages"]
    assert pages["steps"][0]["uses"] == "actions/deploy-pages@v5" and pages["environment"]["name"] == "github-pages"


def test_s3_job_deploys_with_secrets() -> None:
    job = load()["jobs"]["deploy-s3"]
    deploy = next(step for step in job["steps"] if step.get("name") == "Deploy to S3")
    assert deploy["run"].startswith('newsgen deploy "s3://${{ vars.S3_BUCKET }}" --delete')
    uses = [step.get("uses", "") for step in job["steps"]]
    restore, save = uses.index("actions/cache/restore@v5"), uses.index("actions/cache/save@v5")
    assert restore < job["steps"].index(deploy) < save and job["steps"][save]["if"] == "always()", (
        "the pending purge list outlives a deploy that failed"
    )
    assert deploy["env"]["AWS_SECRET_ACCESS_KEY"] == "${{ secrets.AWS_SECRET_ACCESS_KEY }}"
    assert '--purge "cloudfront:$CLOUDFRONT_DISTRIBUTION_ID"' in deploy["run"]


def _decide(tmp_path: Path, event: str, schedule: dict[str, object] | None) -> str:
    step = next(step for step in load()["jobs"]["build"]["steps"] if step.get("id") == "due")
    found = re.search(r"<<'PY' >> \"\$GITHUB_OUTPUT\"\n(.*)\nPY", step["run"], re.S)
    assert found is not None, "the `due` step runs no Python heredoc"
    script = found.group(1)
    tmp_path.mkdir(exist_ok=True)
    if schedule is not None:
        (tmp_path / ".schedule").mkdir(parents=True)
        (tmp_path / ".schedule/.newsgen-schedule.json").write_text(json.dumps(schedule))
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=tmp_path,
        env={**os.environ, "EVENT": event},
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def test_scheduled_runs_build_only_when_a_change_is_due(tmp_path: Path) -> None:
    past = (datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=1)).isoformat()
    future = (datetime.datetime.now(datetime.UTC) + datetime.timedelta(hours=1)).isoformat()
    assert _decide(tmp_path / "a", "schedule", {"next_change": past, "reason": "embargo lifts"}) == "due=true"
    assert _decide(tmp_path / "b", "schedule", {"next_change": future, "reason": "embargo lifts"}) == "due=false"
    assert _decide(tmp_path / "c", "schedule", {"next_change": None, "reason": None}) == "due=false"
    assert _decide(tmp_path / "d", "schedule", None) == "due=true"
    assert _decide(tmp_path / "e", "push", {"next_change": None, "reason": None}) == "due=true"


def _preview_step(name_start: str) -> dict[str, Any]:
    steps = load("preview.yml")["jobs"]["preview"]["steps"]
    return next(step for step in steps if step.get("name", "").startswith(name_start))


def test_pull_requests_are_previewed_without_secrets_from_forks_and_publish_only_on_merge() -> None:
    data = load("preview.yml")
    assert set(data["on"]) == {"pull_request"}, "pull_request_target would hand a fork's code the secrets"
    assert data["permissions"] == {"contents": "read", "statuses": "write"}, "a status, nothing else, is written"
    assert "push" not in data["on"] and "pull_request" not in load()["on"], "only a push to main publishes"
    publish = data["jobs"]["preview"]["env"]["PUBLISH"]
    assert "github.event.pull_request.head.repo.full_name == github.repository" in publish
    for step in ("Publish the preview", "Link the preview"):
        assert _preview_step(step)["if"] == "env.PUBLISH == 'true'"
    remove = data["jobs"]["remove-preview"]
    assert "github.event.pull_request.head.repo.full_name == github.repository" in remove["if"]


def test_no_pull_request_job_writes_the_cache_main_trusts() -> None:
    for job in load("preview.yml")["jobs"].values():
        uses = [step.get("uses", "") for step in job["steps"]]
        assert not [use for use in uses if use.startswith((CACHE_SAVE, "actions/cache@"))], uses
    saves = [
        step["with"]["key"]
        for job in load()["jobs"].values()
        for step in job["steps"]
        if step.get("uses", "").startswith(CACHE_SAVE)
    ]
    assert saves and all(key.startswith("newsgen-") for key in saves)
    assert "pull_request" not in load()["on"], "publish.yml, which saves the cache, never runs for a pull request"


def test_a_pull_request_gets_annotations_a_noindex_preview_and_a_status_decap_reads() -> None:
    steps = load("preview.yml")["jobs"]["preview"]["steps"]
    runs = [step.get("run", "") for step in steps]
    check = _preview_step("Check the content")
    assert check["run"] == "newsgen check --format github" and check["continue-on-error"] is True
    build = next(run for run in runs if run.startswith("newsgen build"))
    assert "--noindex" in build and '--base-url "$PREVIEW_URL"' in build
    assert runs.index(check["run"]) < runs.index(build), "the check's annotations come even when the build fails"
    upload = _preview_step("Upload the preview")
    assert upload["uses"].startswith("actions/upload-artifact@") and upload["with"]["path"] == "_site"
    deploy = _preview_step("Publish the preview")
    assert deploy["run"].startswith('newsgen deploy "s3://$BUCKET/pr-$NUMBER" --delete')
    assert deploy["env"]["BUCKET"] == "${{ vars.S3_PREVIEW_BUCKET }}", "never the site's own bucket"
    status = _preview_step("Link the preview")
    assert status["env"]["SHA"] == "${{ github.event.pull_request.head.sha }}", "Decap reads the branch's commit"
    context = re.search(r"-f context=(\S+)", status["run"])
    assert context is not None and "deploy" in context.group(1), "Decap CMS takes a status whose context says deploy"
    assert '-f target_url="$PREVIEW_URL"' in status["run"]
    assert steps[-1]["if"] == "steps.check.outcome == 'failure'" and steps[-1]["run"] == "exit 1"


def test_the_preview_address_names_the_pull_request(tmp_path: Path) -> None:
    step = _preview_step("Work out the preview")
    output = tmp_path / "output"

    def address(pattern: str) -> str:
        env = {**os.environ, "PREVIEW_URL": pattern, "NUMBER": "42", "GITHUB_OUTPUT": str(output)}
        subprocess.run(["bash", "-c", step["run"]], env=env, check=True)
        return output.read_text().splitlines()[-1]

    assert address("https://pr-{number}.preview.example.org/") == "url=https://pr-42.preview.example.org/"
    assert address("") == "url=", "no preview host: the artifact only"
