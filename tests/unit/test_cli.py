"""The command line: bad flags and values end as one line on stderr and exit code 2."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest


def run_cli(
    *args: str, env: dict[str, str] | None = None, config: str | None = None, tmp: Path
) -> subprocess.CompletedProcess[str]:
    aws_config = tmp / "aws-config"
    aws_config.write_text("[default]\nregion = us-east-1\n[profile work]\nregion = eu-west-1\n")
    full_env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "SMTUI_"))},
        "AWS_CONFIG_FILE": str(aws_config),
        "AWS_SHARED_CREDENTIALS_FILE": str(tmp / "none"),
        "SMTUI_CONFIG": str(tmp / "smtui.toml"),
        **(env or {}),
    }
    if config is not None:
        (tmp / "smtui.toml").write_text(config)
    return subprocess.run(
        [sys.executable, "-m", "smtui.cli", *args], capture_output=True, text=True, env=full_env, timeout=60
    )


def assert_one_line_exit_2(result: subprocess.CompletedProcess[str], needle: str) -> None:
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert needle in lines[0]


def test_version(tmp_path: Path) -> None:
    result = run_cli("--version", tmp=tmp_path)
    assert result.returncode == 0
    assert result.stdout.startswith("smtui ")


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("--profile", "nosuch"), "unknown profile 'nosuch'"),
        (("--endpoint-url", "not a url"), "is not a URL"),
        (("--endpoint-url", "ftp://x"), "is not a URL"),
        (("--endpoint-url", "http://host:99999"), "invalid port"),
        (("--region", "Mars-1"), "is not a region name"),
        (("--frobnicate",), "unrecognized arguments"),
        (("--profiles", "default,nosuch", "--region", "us-east-1"), "unknown profile 'nosuch'"),
        (("--profiles", "default,work", "--profile", "work"), "--profile or --profiles, not both"),
        (("--demo", "--profiles", "default,work"), "--profiles applies to real AWS"),
    ],
)
def test_bad_flags_exit_2_with_one_line(tmp_path: Path, args: tuple[str, ...], needle: str) -> None:
    assert_one_line_exit_2(run_cli(*args, tmp=tmp_path), needle)


def test_unknown_profile_lists_known_ones(tmp_path: Path) -> None:
    result = run_cli("--profile", "prd", tmp=tmp_path)
    assert_one_line_exit_2(result, "known: default, work")


def test_bad_config_file_names_file_and_line(tmp_path: Path) -> None:
    result = run_cli(config="[poll]\nfast_seconds = 'x'\n", tmp=tmp_path)
    assert_one_line_exit_2(result, "smtui.toml, line 2")


def test_resolution_order_follows_the_aws_cli(tmp_path: Path) -> None:
    from argparse import Namespace

    from smtui.cli import resolve
    from smtui.config import Settings

    aws_config = tmp_path / "aws-config"
    aws_config.write_text("[default]\nregion = us-east-1\n[profile work]\nregion = eu-west-1\n")
    saved = dict(os.environ)
    try:
        for key in list(os.environ):
            if key.startswith("AWS_"):
                del os.environ[key]
        os.environ["AWS_CONFIG_FILE"] = str(aws_config)
        args = Namespace(profile="work", region=None, endpoint_url=None, read_only=False)
        assert resolve(args, Settings()).region == "eu-west-1"
        os.environ["AWS_REGION"] = "ap-south-1"
        assert resolve(args, Settings()).region == "ap-south-1"
        args.region = "us-west-2"
        assert resolve(args, Settings()).region == "us-west-2"
        ro = resolve(args, Settings(read_only_profiles=frozenset({"work"})))
        assert ro.read_only
    finally:
        os.environ.clear()
        os.environ.update(saved)


def test_demo_without_the_extra_says_how_to_install(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    import smtui.emulator
    from smtui import cli

    monkeypatch.setenv("SMTUI_CONFIG", str(tmp_path / "none.toml"))
    monkeypatch.setattr(smtui.emulator, "emulator_available", lambda: False)
    monkeypatch.setattr(cli, "prepare_process", lambda: [])
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["--demo"])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert "pip install 'smtui[demo]'" in err[0]


def test_profiles_open_one_list_across_each_profile_and_region(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from smtui import cli

    aws_config = tmp_path / "aws-config"
    aws_config.write_text("[default]\nregion = us-east-1\n[profile work]\nregion = eu-west-1\n")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(aws_config))
    monkeypatch.setenv("SMTUI_CONFIG", str(tmp_path / "none.toml"))
    monkeypatch.setattr(cli, "prepare_process", lambda: [])
    seen: dict[str, object] = {}
    monkeypatch.setattr(cli, "run_app", lambda resolved, settings, **kw: seen.update(resolved=resolved, **kw))
    cli.main(["--profiles", "default,work", "--regions", "us-east-1,eu-west-1"])
    assert seen["regions"] == ("default/us-east-1", "default/eu-west-1", "work/us-east-1", "work/eu-west-1")
    resolved = seen["resolved"]
    assert isinstance(resolved, cli.Resolved) and resolved.profile == "default"  # the app's own: the first named
