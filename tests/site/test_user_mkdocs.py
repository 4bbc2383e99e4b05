"""A project's mkdocs.yml is read without running code; the tags MkDocs users need keep working."""

from __future__ import annotations

from pathlib import Path

import pytest

from nashra.errors import BuildError
from nashra.site.build import load_user_mkdocs, mkdocs_config
from nashra.site.options import SiteOptions
from nashra.site.mkdocs_adapter import config_text


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "mkdocs.yml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("tag", [
    "!!python/object/apply:os.system [\"touch {marker}\"]",
    "!!python/object/new:os.system [\"touch {marker}\"]",
    "!!python/object:os.system {{}}",
    "!!python/module:os",
    "!!python/tuple [1, 2]",
])
def test_tags_that_construct_or_call_objects_are_refused_naming_file_and_line(tmp_path, tag):
    marker = tmp_path / "ran"
    path = write(tmp_path, "theme:\n  name: material\nextra:\n  x: " + tag.format(marker=marker) + "\n")
    with pytest.raises(BuildError) as caught:
        load_user_mkdocs(path)
    message = str(caught.value)
    assert str(path) in message and "line 4" in message and "\n" not in message
    assert not marker.exists()


def test_env_relative_and_python_name_tags_reach_mkdocs(tmp_path, monkeypatch):
    monkeypatch.setenv("NASHRA_TEST_ANALYTICS", "G-123")
    (tmp_path / "snippets").mkdir()
    path = write(tmp_path, """
extra:
  analytics: !ENV [NASHRA_TEST_ANALYTICS, "none"]
  missing: !ENV [NASHRA_TEST_UNSET_VARIABLE, "fallback"]
markdown_extensions:
  - pymdownx.snippets:
      base_path: !relative $config_dir/snippets
  - pymdownx.superfences:
      custom_fences:
        - name: mermaid
          class: mermaid
          format: !!python/name:pymdownx.superfences.fence_code_format
""")
    user = load_user_mkdocs(path)
    assert user["extra"] == {"analytics": "G-123", "missing": "fallback"}
    config_file = tmp_path / "out" / "mkdocs.yml"
    config_file.parent.mkdir()
    (config_file.parent / "docs").mkdir()
    config_file.write_text(config_text(mkdocs_config(SiteOptions(mkdocs=user))), encoding="utf-8")
    from mkdocs.config import load_config
    from pymdownx.superfences import fence_code_format

    config = load_config(config_file=str(config_file))
    fences = config["mdx_configs"]["pymdownx.superfences"]["custom_fences"]
    assert fences[0]["format"] is fence_code_format
    assert Path(config["mdx_configs"]["pymdownx.snippets"]["base_path"]) == tmp_path / "snippets"


def test_alias_bomb_in_mkdocs_yml_is_refused(tmp_path):
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi"):
        lines.append(f"{name}: &{name} [{','.join('*' + prev for _ in range(9))}]")
    path = write(tmp_path, "extra:\n  " + "\n  ".join(lines) + "\n  title: *i\n")
    with pytest.raises(BuildError, match="expand"):
        load_user_mkdocs(path)


def test_inherit_is_read_the_same_safe_way(tmp_path):
    (tmp_path / "base.yml").write_text("extra:\n  x: !!python/object/apply:os.getcwd []\n", encoding="utf-8")
    path = write(tmp_path, "INHERIT: base.yml\ncopyright: ours\n")
    with pytest.raises(BuildError, match=r"base\.yml.*line 2"):
        load_user_mkdocs(path)
    (tmp_path / "base.yml").write_text("extra:\n  x: 1\ncopyright: theirs\n", encoding="utf-8")
    assert load_user_mkdocs(path) == {"extra": {"x": 1}, "copyright": "ours"}


def test_an_unknown_local_tag_is_named(tmp_path):
    path = write(tmp_path, "site_name: x\nextra:\n  a: !include other.yml\n")
    with pytest.raises(BuildError, match=r"line 3: .*unknown tag '!include'"):
        load_user_mkdocs(path)


@pytest.mark.parametrize("setting, named", [("extra_css: 5", "Config value 'extra_css': Expected type"),
                                            ("markdown_extensions: [no_such_extension]",
                                             "Failed to load extension 'no_such_extension'")])
def test_a_setting_mkdocs_refuses_is_named_in_the_one_error_line(tmp_path, data_dir, tiny_model, monkeypatch,
                                                                   setting, named):
    """MkDocs says only "Aborted with a configuration error!"; the line says which setting and why."""
    import shutil

    from click.testing import CliRunner

    from nashra.cli import cli

    (tmp_path / "articles").mkdir()
    shutil.copy(data_dir / "plain.txt", tmp_path / "articles")
    (tmp_path / "nashra.toml").write_text(f'[translation]\nmodel = "{tiny_model}"\ncache = false\n', encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(setting + "\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["build"])
    assert result.exit_code == 1 and "Traceback" not in result.output, result.output
    (line,) = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert "check the project's mkdocs.yml" in line and named in line, line


def test_the_palette_toggle_is_named_in_each_language_unless_the_project_has_its_own_palette():
    def arabic(config: dict) -> dict:
        return config["plugins"][0]["i18n"]["languages"][1]

    config = mkdocs_config(SiteOptions())
    names = [entry["toggle"]["name"] for entry in config["theme"]["palette"]]
    assert names == ["Dark mode", "Light mode"]
    assert arabic(config)["theme"] == {"palette": [{"toggle": {"name": "الوضع الداكن"}}, {"toggle": {"name": "الوضع الفاتح"}}]}
    own = mkdocs_config(SiteOptions(mkdocs={"theme": {"palette": [{"scheme": "slate"}]}}))
    assert own["theme"]["palette"] == [{"scheme": "slate"}] and "theme" not in arabic(own)
