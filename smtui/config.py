"""Settings: a TOML file under the platformdirs config directory, overridable from the environment.

File (``$XDG_CONFIG_HOME/smtui/config.toml`` on Linux; ``SMTUI_CONFIG`` points elsewhere)::

    profile = "prod"          # default AWS profile (else AWS_PROFILE / the SDK default)
    region = "eu-west-1"      # default region (else AWS_REGION / the profile's region)
    read_only = false         # refuse every change, whatever the profile
    bell = false              # ring the terminal bell when something goes to a failed state

    [poll]
    fast_seconds = 3          # while anything visible is Creating/Updating/...
    slow_seconds = 30         # while everything visible is stable
    max_backoff_seconds = 120 # ceiling of the throttling backoff

    [profiles.prod]
    read_only = true          # read-only for this profile only

Environment overrides: SMTUI_PROFILE, SMTUI_REGION, SMTUI_READ_ONLY, SMTUI_BELL,
SMTUI_POLL_FAST, SMTUI_POLL_SLOW.
"""

from __future__ import annotations

import math
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import platformdirs

APP_NAME = "smtui"


class UsageError(Exception):
    """A bad flag or value typed by the user; shown as one line (exit code 2 on the command line)."""


_REGION_RE = re.compile(r"[a-z]{2}(-[a-z]+)+-\d{1,2}")


def check_endpoint_url(url: str) -> str:
    try:
        parsed = urlparse(url)
    except ValueError as exc:  # 'http://[::1' and friends
        raise UsageError(f"--endpoint-url {url!r} is not a URL ({exc})") from None
    if parsed.scheme not in ("http", "https") or not parsed.netloc or " " in url:
        raise UsageError(f"--endpoint-url {url!r} is not a URL like https://api.sagemaker.us-east-1.amazonaws.com")
    try:
        _ = parsed.port
    except ValueError:
        raise UsageError(f"--endpoint-url {url!r} has an invalid port") from None
    return url


def check_region(region: str) -> str:
    if not _REGION_RE.fullmatch(region):
        raise UsageError(f"region {region!r} is not a region name like us-east-1")
    return region


class ConfigError(Exception):
    """A config file problem, worded to name the file, the line and the problem."""


@dataclass(frozen=True)
class PollSettings:
    fast_seconds: float = 3.0
    slow_seconds: float = 30.0
    max_backoff_seconds: float = 120.0


@dataclass(frozen=True)
class Settings:
    profile: str | None = None
    region: str | None = None
    read_only: bool = False
    bell: bool = False
    poll: PollSettings = field(default_factory=PollSettings)
    read_only_profiles: frozenset[str] = frozenset()
    source: Path | None = None

    def read_only_for(self, profile: str | None) -> bool:
        return self.read_only or (profile is not None and profile in self.read_only_profiles)


def config_dir() -> Path:
    return Path(platformdirs.user_config_dir(APP_NAME))


def state_dir() -> Path:
    """Where drafts and logs go; created 0700 so other users on a bastion cannot read them."""
    path = Path(platformdirs.user_state_dir(APP_NAME))
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def config_path(env: Mapping[str, str] | None = None) -> Path:
    env = os.environ if env is None else env
    override = env.get("SMTUI_CONFIG")
    return Path(override) if override else config_dir() / "config.toml"


def _line_of(text: str, key: str, table: str | None = None) -> int | None:
    """Best-effort line number of ``key = ...`` (inside ``[table]`` when given); tomllib keeps none."""
    lines = text.splitlines()
    in_table = table is None
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if stripped.startswith("["):
            in_table = table is not None and stripped.strip("[] ") == table
            continue
        if in_table and re.match(rf"{re.escape(key)}\s*=", stripped):
            return number
    return None


def _where(path: Path, text: str, key: str, table: str | None = None) -> str:
    line = _line_of(text, key, table)
    return f"{path}, line {line}" if line else f"{path}"


_TOP_KEYS = {"profile", "region", "read_only", "bell", "poll", "profiles"}
_POLL_KEYS = {"fast_seconds", "slow_seconds", "max_backoff_seconds"}


def _parse(data: Mapping[str, Any], path: Path, text: str) -> Settings:
    for key in data:
        if key not in _TOP_KEYS:
            raise ConfigError(
                f"{_where(path, text, key)}: unknown setting '{key}' (known: {', '.join(sorted(_TOP_KEYS))})"
            )

    def want(value: Any, kind: type | tuple[type, ...], key: str, table: str | None = None, what: str = "") -> Any:
        if isinstance(value, bool) and kind in (int, float, (int, float)):
            raise ConfigError(f"{_where(path, text, key, table)}: '{key}' must be {what}, not a boolean")
        if not isinstance(value, kind):
            raise ConfigError(f"{_where(path, text, key, table)}: '{key}' must be {what}, got {value!r}")
        return value

    profile = want(data.get("profile", ""), str, "profile", what="a string") or None
    region = want(data.get("region", ""), str, "region", what="a string") or None
    read_only = want(data.get("read_only", False), bool, "read_only", what="true or false")
    bell = want(data.get("bell", False), bool, "bell", what="true or false")
    poll_table = want(data.get("poll", {}), dict, "poll", what="a table")
    poll_values: dict[str, float] = {}
    for key, value in poll_table.items():
        if key not in _POLL_KEYS:
            raise ConfigError(
                f"{_where(path, text, key, 'poll')}: unknown setting 'poll.{key}' "
                f"(known: {', '.join(sorted(_POLL_KEYS))})"
            )
        number = float(want(value, (int, float), key, "poll", what="a number of seconds"))
        if not math.isfinite(number) or number <= 0:
            raise ConfigError(f"{_where(path, text, key, 'poll')}: 'poll.{key}' must be more than 0, got {value!r}")
        poll_values[key] = number
    poll = PollSettings(**poll_values)
    if poll.fast_seconds > poll.slow_seconds:
        raise ConfigError(f"{path}: poll.fast_seconds ({poll.fast_seconds}) is more than poll.slow_seconds")
    profiles = want(data.get("profiles", {}), dict, "profiles", what="a table of [profiles.NAME]")
    read_only_profiles = set()
    for name, table in profiles.items():
        table = want(table, dict, name, "profiles", what="a table")
        for key, value in table.items():
            if key != "read_only":
                raise ConfigError(
                    f"{_where(path, text, key, f'profiles.{name}')}: unknown setting '{key}' for profile {name}"
                )
            if want(value, bool, key, f"profiles.{name}", what="true or false"):
                read_only_profiles.add(name)
    return Settings(
        profile=profile,
        region=region,
        read_only=read_only,
        bell=bell,
        poll=poll,
        read_only_profiles=frozenset(read_only_profiles),
        source=path,
    )


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _env_bool(env: Mapping[str, str], name: str) -> bool | None:
    raw = env.get(name)
    if raw is None:
        return None
    if raw.strip().lower() in _TRUE:
        return True
    if raw.strip().lower() in _FALSE:
        return False
    raise ConfigError(f"environment variable {name}={raw!r}: expected true or false")


def _env_seconds(env: Mapping[str, str], name: str) -> float | None:
    raw = env.get(name)
    if raw is None:
        return None
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"environment variable {name}={raw!r}: expected a number of seconds") from None
    if not math.isfinite(value) or value <= 0:
        raise ConfigError(f"environment variable {name}={raw!r}: must be a finite number more than 0")
    return value


def load_settings(path: Path | None = None, env: Mapping[str, str] | None = None) -> Settings:
    """Read the config file (a missing file means defaults) and apply environment overrides."""
    env = os.environ if env is None else env
    path = path or config_path(env)
    settings = Settings(source=None)
    if path.exists():
        try:
            text = path.read_text(encoding="utf-8-sig")  # editors on Windows write a BOM
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{path}: cannot read ({exc})") from None
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path}: {exc}") from None
        settings = _parse(data, path, text)
    poll = settings.poll
    fast = _env_seconds(env, "SMTUI_POLL_FAST")
    slow = _env_seconds(env, "SMTUI_POLL_SLOW")
    if fast is not None or slow is not None:
        poll = PollSettings(fast or poll.fast_seconds, slow or poll.slow_seconds, poll.max_backoff_seconds)
    read_only = _env_bool(env, "SMTUI_READ_ONLY")
    bell = _env_bool(env, "SMTUI_BELL")
    return Settings(
        profile=env.get("SMTUI_PROFILE") or settings.profile,
        region=env.get("SMTUI_REGION") or settings.region,
        read_only=settings.read_only if read_only is None else read_only,
        bell=settings.bell if bell is None else bell,
        poll=poll,
        read_only_profiles=settings.read_only_profiles,
        source=settings.source,
    )
