"""The publishing workflow is valid YAML with the steps a newsroom relies on."""

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

WORKFLOW = Path(__file__).resolve().parents[1] / ".github/workflows/publish.yml"


def load() -> dict[str, Any]:
    data = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    data["on"] = data.pop(True)  # YAML 1.1 reads the key `on` as true
    return data


def test_triggers_permissions_and_jobs() -> None:
    data = load()
    assert data["on"]["push"]["branches"] == ["main"] and data["on"]["schedule"][0]["cron"]
    assert data["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert set(data["jobs"]) == {"build", "deploy-pages", "deploy-s3"}


def test_build_job_checks_builds_and_uploads_for_pages() -> None:
    steps = load()["jobs"]["build"]["steps"]
    runs = [step.get("run", "") for step in steps]
    uses = [step.get("uses", "") for step in steps]
    assert any(run.startswith("pip install newsgen") for run in runs)
    order = [next(i for i, run in enumerate(runs) if run.startswith(cmd)) for cmd in ("newsgen check", "newsgen build")]
    assert order == sorted(order)
    assert "actions/checkout@v4" in uses and "actions/upload-pages-artifact@v3" in uses
    assert any("rm -f _site/.newsgen-schedule.json" in run for run in runs), "embargo times are not published"
    upload = next(step for step in steps if step.get("uses", "").startswith("actions/upload-pages-artifact"))
    assert upload["with"]["path"] == "_site" and any("cp -al build _site" in run for run in runs)
    kept = {".newsgen-cache", "build"}
    cache_steps = [i for i, step in enumerate(steps) if set(str(step.get("with", {}).get("path")).split()) == kept]
    build_step = next(i for i, run in enumerate(runs) if run.startswith("newsgen build"))
    assert [uses[i].split("@")[0] for i in cache_steps] == ["actions/cache/restore", "actions/cache/save"]
    assert cache_steps[0] < build_step < cache_steps[1], "articles read and pages built by one run serve the next"
    pages = load()["jobs"]["deploy-pages"]
    assert pages["steps"][0]["uses"] == "actions/deploy-pages@v4" and pages["environment"]["name"] == "github-pages"


def test_s3_job_deploys_with_secrets() -> None:
    job = load()["jobs"]["deploy-s3"]
    deploy = next(step for step in job["steps"] if step.get("name") == "Deploy to S3")
    assert deploy["run"].startswith('newsgen deploy "s3://${{ vars.S3_BUCKET }}" --delete')
    uses = [step.get("uses", "") for step in job["steps"]]
    restore, save = uses.index("actions/cache/restore@v4"), uses.index("actions/cache/save@v4")
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
