"""A daily briefing on a scheduler: the commands, and the GitHub Actions workflow that runs them.

``nashra init --ci github`` writes :func:`github_workflow` to
``.github/workflows/briefing.yml``. Its ``run`` steps are :data:`DAILY_COMMANDS`,
the same commands the README and the "Daily briefing" page give for any
scheduler (GitLab CI, cron on a server), then a step that commits the new
articles so that the archive lives in the repository.
"""

from __future__ import annotations

import json

WORKFLOW_PATH = ".github/workflows/briefing.yml"
CI_CHOICES = ("github",)

#: What a scheduled job runs in the project folder, in order (the README's "Daily briefing" block).
DAILY_COMMANDS = [
    "pip install torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu",
    "pip install 'nashra[fetch]'",
    "nashra fetch",
    "nashra build",
]



def daily_commands(engine: str = "transformers") -> list[str]:
    """:data:`DAILY_COMMANDS`, installing the CTranslate2 extra too when the project uses that engine."""
    if engine == "ctranslate2":
        return [c.replace("'nashra[fetch]'", "'nashra[fetch,ctranslate2]'") for c in DAILY_COMMANDS]
    return list(DAILY_COMMANDS)


GITIGNORE = """# Rebuilt by `nashra build`, kept between runs in the CI cache
briefing/
.nashra/
.cache/
"""


def github_workflow(articles: str = "articles", output: str = "briefing", model: str = "Helsinki-NLP/opus-mt-ar-en",
                    engine: str = "transformers", cron: str = "17 5 * * *") -> str:
    """The workflow: fetch, build and deploy to GitHub Pages every day and on demand."""
    install_torch, install_nashra, fetch, build = daily_commands(engine)
    model_key = json.dumps(f"hf-{model}")
    return f"""# The daily briefing: fetch the outlets' new articles, build the site, publish it on GitHub Pages.
# Written by `nashra init --ci github`. In the repository's Settings > Pages, choose
# "GitHub Actions" as the source. Runs every morning and from the Actions tab ("Run workflow").
name: Daily briefing

on:
  schedule:
    - cron: "{cron}"  # every day (UTC)
  workflow_dispatch:

permissions:
  contents: write  # commit the fetched articles
  pages: write     # deploy to GitHub Pages
  id-token: write

concurrency:
  group: daily-briefing
  cancel-in-progress: false

jobs:
  build:
    runs-on: ubuntu-latest
    timeout-minutes: 120
    env:
      NASHRA_CACHE_DIR: ${{{{ github.workspace }}}}/.cache/nashra
      HF_HOME: ${{{{ github.workspace }}}}/.cache/huggingface
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
      # The model (about 300 MB) is downloaded on the first run only.
      - name: Restore the model
        uses: actions/cache@v4
        with:
          path: .cache/huggingface
          key: {model_key}
      # The translation cache, the build state, the published docs and site, and the fetch record:
      # yesterday's work is not redone (a build takes the pages that did not change from the site).
      - name: Restore the translation cache and the build state
        uses: actions/cache/restore@v4
        with:
          path: |
            .cache/nashra
            {output}/.nashra
            {output}/docs
            {output}/site
            {articles}/.nashra
          key: nashra-state-${{{{ github.run_id }}}}
          restore-keys: nashra-state-
      - name: Install Nashra
        run: |
          {install_torch}
          {install_nashra}
      - name: Fetch the new articles
        run: {fetch}
      - name: Build the briefing
        run: {build}
      - name: Save the translation cache and the build state
        if: always()
        uses: actions/cache/save@v4
        with:
          path: |
            .cache/nashra
            {output}/.nashra
            {output}/docs
            {output}/site
            {articles}/.nashra
          key: nashra-state-${{{{ github.run_id }}}}
      # The articles are the briefing's archive: they are kept in the repository.
      - name: Commit the new articles
        run: |
          git config user.name "github-actions[bot]"
          git config user.email "41898283+github-actions[bot]@users.noreply.github.com"
          git add -- '{articles}/*.md'
          git diff --cached --quiet || git commit -m "Articles of $(date -u +%Y-%m-%d)"
          git push
      - uses: actions/configure-pages@v5
      - uses: actions/upload-pages-artifact@v3
        with:
          path: {output}/site

  deploy:
    needs: build
    runs-on: ubuntu-latest
    environment:
      name: github-pages
      url: ${{{{ steps.deployment.outputs.page_url }}}}
    steps:
      - id: deployment
        uses: actions/deploy-pages@v4
"""
