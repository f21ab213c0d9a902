"""Settings: one declarative table, ``SETTINGS``, of every key of a TOML file.

Each row (a ``Setting``) names a dotted TOML key, its kind (type), default, environment variable
and a one-line doc. Reading the file, type checks (the messages name the file, the line and the
problem), defaults, environment overrides and the README's settings section are all driven from
that table, so adding a setting is adding a row (and a field on ``Settings``), then regenerating
the README section::

    python -m smtui.config                    # print the section
    python -m smtui.config --update README.md # rewrite it between the markers in place

The file is ``$XDG_CONFIG_HOME/smtui/config.toml`` on Linux (the platformdirs config directory);
``SMTUI_CONFIG`` points elsewhere. A missing file means defaults.
"""

from __future__ import annotations

import math
import os
import re
import stat
import sys
import tomllib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Union
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


def sagemaker_regions() -> list[str]:
    """Every region where botocore knows a SageMaker endpoint (``--regions all``). Opt-in
    regions the account has not enabled answer with an error, shown in place for that region."""
    import botocore.session

    return list(botocore.session.get_session().get_available_regions("sagemaker"))


def parse_regions(text: str) -> list[str]:
    """``us-east-1,eu-west-1`` (commas or spaces) or ``all``: each checked, in order, without
    repeats (``--regions`` and ``:region a,b`` alike). Raises :class:`UsageError`."""
    if text.strip() == "all":
        return sagemaker_regions()
    regions: list[str] = []
    for part in re.split(r"[,\s]+", text.strip()):
        if part and check_region(part) not in regions:
            regions.append(part)
    if not regions:
        raise UsageError("name at least one region (e.g. us-east-1,eu-west-1), or all")
    return regions


SCOPE_SEP = "/"
"""Between a profile and a region in a scope (``prod/us-east-1``): a region never holds one."""


def list_scope(profile: str | None, region: str) -> str:
    """A list across profiles labels each row ``profile/region``; across regions only, ``region``."""
    return f"{profile}{SCOPE_SEP}{region}" if profile else region


def split_scope(scope: str) -> tuple[str | None, str]:
    """``prod/us-east-1`` -> (``prod``, ``us-east-1``); ``us-east-1`` -> (None, ``us-east-1``)."""
    profile, sep, region = scope.rpartition(SCOPE_SEP)
    return (profile, region) if sep else (None, scope)


def parse_profiles(text: str) -> list[str]:
    """``prod,staging`` (commas or spaces), in order, without repeats. Raises :class:`UsageError`."""
    profiles: list[str] = []
    for part in re.split(r"[,\s]+", text.strip()):
        if part and part not in profiles:
            profiles.append(part)
    if not profiles:
        raise UsageError("name at least one profile (e.g. prod,staging)")
    return profiles


def check_region(region: str) -> str:
    if not _REGION_RE.fullmatch(region):
        raise UsageError(f"region {region!r} is not a region name like us-east-1")
    return region


class ConfigError(Exception):
    """A config file problem, worded to name the file, the line and the problem."""


# ---------------------------------------------------------------------------- kinds of value
class _Invalid(ValueError):
    """A value of the right type that is still wrong; the text follows the setting's name."""


@dataclass(frozen=True)
class Kind:
    """One type of setting: how the file's value is checked and the environment's text parsed."""

    name: str  # the README's type column
    what: str  # completes "'key' must be ...": "a string", "true or false", "a number of seconds"
    types: tuple[type, ...]  # the TOML value types accepted (a boolean is never taken for a number)
    refine: Callable[[Any], Any]  # a value of those types -> the stored value; raises _Invalid
    from_env: Callable[[str], Any]  # an environment variable's text -> the stored value, None = unset


def _unset_if_empty(value: str) -> str | None:
    return value or None


def _non_empty(value: str) -> str:
    if not value.strip():
        raise _Invalid("must not be empty")
    return value


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _bool_from_env(raw: str) -> bool:
    if raw.strip().lower() in _TRUE:
        return True
    if raw.strip().lower() in _FALSE:
        return False
    raise _Invalid("expected true or false")


def _seconds(value: float) -> float:
    number = float(value)
    if not math.isfinite(number) or number <= 0:
        raise _Invalid("must be more than 0")
    return number


def _seconds_from_env(raw: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        raise _Invalid("expected a number of seconds") from None
    if not math.isfinite(value) or value <= 0:
        raise _Invalid("must be a finite number more than 0")
    return value


def _whole(low: int, high: int, noun: str) -> tuple[Callable[[Any], Any], Callable[[str], Any]]:
    """The check of a whole number from ``low`` to ``high``, and its reader from the environment."""

    def check(value: int) -> int:
        if value < low or value > high:
            raise _Invalid(f"must be between {low} and {high}")
        return int(value)

    def from_env(raw: str) -> int:
        try:
            value = int(raw)
        except ValueError:
            raise _Invalid(f"expected a whole number of {noun}") from None
        return check(value)

    return check, from_env


WINDOWS_MAX = 8
"""The most CreationTime windows a list may be split into (``list.windows``)."""

_lines, _lines_from_env = _whole(10, 1_000_000, "lines")
_windows, _windows_from_env = _whole(1, WINDOWS_MAX, "windows")


def _key_names(value: str) -> str:
    """``"f1, question_mark"`` -> ``"f1,question_mark"``: Textual's comma-separated key names."""
    names = [name.strip() for name in value.split(",")]
    if not all(names):
        raise _Invalid('must be key names separated by commas, like "f1,question_mark"')
    for name in names:
        if any(char.isspace() for char in name):
            raise _Invalid(f"has a space inside the key name {name!r} (say 'space', 'ctrl+c')")
    return ",".join(names)


OPTIONAL_STRING = Kind("string", "a string", (str,), _unset_if_empty, _unset_if_empty)
NON_EMPTY_STRING = Kind("string", "a string", (str,), _non_empty, _unset_if_empty)
BOOLEAN = Kind("boolean", "true or false", (bool,), bool, _bool_from_env)
SECONDS = Kind("seconds", "a number of seconds", (int, float), _seconds, _seconds_from_env)
LINES = Kind("lines", "a whole number of lines", (int,), _lines, _lines_from_env)
WINDOWS = Kind("windows", f"a whole number from 1 to {WINDOWS_MAX}", (int,), _windows, _windows_from_env)
KEY_NAMES = Kind("key names", "a string of key names", (str,), _key_names, _key_names)


# ---------------------------------------------------------------------------- the table
@dataclass(frozen=True)
class Setting:
    """One row of the settings table.

    ``name`` is the dotted TOML key. An all-capitals segment stands for any name the user picks
    (``profiles.NAME.read_only``, ``keys.ID``); such a row lands in ``Settings.<field>``: a row of
    booleans as the frozenset of the names set to true, any other as a mapping name -> value.
    Every other row lands in the ``Settings`` field (or ``[table]`` dataclass field) of its name.
    """

    name: str
    kind: Kind
    default: Any
    env: str | None
    doc: str
    field: str | None = None

    @property
    def per_name(self) -> bool:
        return any(part.isupper() for part in self.name.split("."))


SETTINGS: tuple[Setting, ...] = (
    Setting("profile", OPTIONAL_STRING, None, "SMTUI_PROFILE",
            "AWS profile when neither `--profile` nor `AWS_PROFILE` names one"),
    Setting("region", OPTIONAL_STRING, None, "SMTUI_REGION",
            "region when neither `--region`, `AWS_REGION`, `AWS_DEFAULT_REGION` nor the profile names one"),
    Setting("read_only", BOOLEAN, False, "SMTUI_READ_ONLY", "refuse every change, whatever the profile"),
    Setting("bell", BOOLEAN, False, "SMTUI_BELL", "ring the terminal bell when something goes to a failed state"),
    Setting("theme", NON_EMPTY_STRING, "textual-dark", "SMTUI_THEME",
            'the colour theme, e.g. "smtui-high-contrast" (the name is not checked here)'),
    Setting("poll.fast_seconds", SECONDS, 3.0, "SMTUI_POLL_FAST",
            "refresh interval while anything visible is Creating/Updating/…"),
    Setting("poll.slow_seconds", SECONDS, 30.0, "SMTUI_POLL_SLOW",
            "refresh interval while everything visible is stable; not less than `poll.fast_seconds`"),
    Setting("poll.max_backoff_seconds", SECONDS, 120.0, None, "ceiling of the backoff when throttled"),
    Setting("logs.buffer_lines", LINES, 10_000, "SMTUI_LOG_LINES",
            "lines the logs view keeps while following (oldest dropped first), so memory stays flat"),
    Setting("list.windows", WINDOWS, 1, "SMTUI_LIST_WINDOWS",
            "split a long training, processing or transform job list (newest first, no other sort, no "
            "creation-time filter) into this many CreationTime windows listed at once; 1 lists serially. "
            "Trades SageMaker's List* request rate (throttled at a few requests/s) for speed"),
    Setting("metrics.hide_columns", BOOLEAN, False, "SMTUI_METRICS_HIDE_COLUMNS",
            "hide the 5XX-in-the-last-15-minutes column of endpoint and inference component lists "
            "(it costs one CloudWatch GetMetricData per list refresh)"),
    Setting("profiles.NAME.read_only", BOOLEAN, False, None,
            "read-only for the AWS profile NAME only", field="read_only_profiles"),
    Setting("keys.ID", KEY_NAMES, None, None,
            'keys for the binding ID, comma-separated: `"app.help" = "f1,question_mark"` (quote the ID); '
            "IDs are not checked here (the config does not know the UI), an unknown one is kept",
            field="keys"),
)  # fmt: skip

SETTINGS_BY_NAME: Mapping[str, Setting] = {row.name: row for row in SETTINGS}

EXAMPLE_TOML = """\
profile = "prod"
region = "eu-west-1"
bell = true
theme = "smtui-high-contrast"

[poll]
fast_seconds = 3
slow_seconds = 30

[profiles.prod]
read_only = true

[keys]
"list.filter" = "f"
"app.help" = "f1,question_mark"
"""


def _default(name: str) -> Any:
    return SETTINGS_BY_NAME[name].default


# ---------------------------------------------------------------------------- what code reads
class FrozenKeymap(Mapping[str, str]):
    """Binding id -> comma-separated key names, immutable and hashable (``App.set_keymap`` takes it)."""

    __slots__ = ("_items",)

    def __init__(self, items: Mapping[str, str] | Iterable[tuple[str, str]] = ()) -> None:
        self._items: dict[str, str] = dict(items)

    def __getitem__(self, key: str) -> str:
        return self._items[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __hash__(self) -> int:
        return hash(frozenset(self._items.items()))

    def __repr__(self) -> str:
        return f"FrozenKeymap({self._items!r})"


@dataclass(frozen=True)
class PollSettings:
    fast_seconds: float = _default("poll.fast_seconds")
    slow_seconds: float = _default("poll.slow_seconds")
    max_backoff_seconds: float = _default("poll.max_backoff_seconds")


@dataclass(frozen=True)
class LogSettings:
    buffer_lines: int = _default("logs.buffer_lines")


@dataclass(frozen=True)
class ListSettings:
    windows: int = _default("list.windows")


@dataclass(frozen=True)
class MetricsSettings:
    hide_columns: bool = _default("metrics.hide_columns")


@dataclass(frozen=True)
class Settings:
    profile: str | None = _default("profile")
    region: str | None = _default("region")
    read_only: bool = _default("read_only")
    bell: bool = _default("bell")
    poll: PollSettings = field(default_factory=PollSettings)
    logs: LogSettings = field(default_factory=LogSettings)
    metrics: MetricsSettings = field(default_factory=MetricsSettings)
    list: ListSettings = field(default_factory=ListSettings)
    read_only_profiles: frozenset[str] = frozenset()
    source: Path | None = None
    theme: str = _default("theme")
    keys: Mapping[str, str] = field(default_factory=FrozenKeymap)

    def __post_init__(self) -> None:
        if not isinstance(self.keys, FrozenKeymap):  # a dict passed in must not make Settings unhashable
            object.__setattr__(self, "keys", FrozenKeymap(self.keys))

    def read_only_for(self, profile: str | None) -> bool:
        return self.read_only or (profile is not None and profile in self.read_only_profiles)


# The [table] dataclasses of Settings, by table name.
_TABLES: Mapping[str, Callable[..., object]] = {
    "poll": PollSettings,
    "logs": LogSettings,
    "metrics": MetricsSettings,
    "list": ListSettings,
}


def config_dir() -> Path:
    return Path(platformdirs.user_config_dir(APP_NAME))


class UnsafePath(OSError):
    """A file or directory smtui writes is a symbolic link, or not the user's own: smtui will
    not follow it (another user could point it anywhere). The message says which and what to do."""


def private_dir(path: Path) -> Path:
    """``path`` as a directory only its owner can enter: created 0700 (parents as ``mkdir -p``),
    or tightened to 0700 if it exists looser. A symbolic link, a non-directory or another user's
    directory is refused with :class:`UnsafePath`."""
    if path.is_symlink():
        raise UnsafePath(f"{path} is a symbolic link; smtui keeps its files only in a real directory (remove the link)")
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    info = os.lstat(path)
    if not stat.S_ISDIR(info.st_mode):
        raise UnsafePath(f"{path} is not a directory")
    if hasattr(os, "getuid") and info.st_uid != os.getuid():
        raise UnsafePath(f"{path} belongs to another user; smtui keeps its files only in a directory of yours")
    if stat.S_IMODE(info.st_mode) & 0o077:  # mkdir's mode is filtered by umask; an old one may be 755
        os.chmod(path, 0o700)
    return path


def refuse_symlink(path: Path) -> Path:
    """``path`` unless it is a symbolic link (then :class:`UnsafePath`): for a file smtui writes."""
    if path.is_symlink():
        raise UnsafePath(f"{path} is a symbolic link; smtui does not write through links (remove it)")
    return path


def state_dir() -> Path:
    """Where drafts and logs go: 0700 (tightened if looser) so other users on a bastion can
    neither read them nor list their names."""
    return private_dir(Path(platformdirs.user_state_dir(APP_NAME)))


def config_path(env: Mapping[str, str] | None = None) -> Path:
    env = os.environ if env is None else env
    override = env.get("SMTUI_CONFIG")
    return Path(override) if override else config_dir() / "config.toml"


# ---------------------------------------------------------------------------- reading the file
_KEY_PART = r"""(?:[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|'[^']*')"""
_DOTTED = rf"{_KEY_PART}(?:[ \t]*\.[ \t]*{_KEY_PART})*"
_HEADER_RE = re.compile(rf"\[\[?[ \t]*({_DOTTED})[ \t]*\]")
_ASSIGN_RE = re.compile(rf"({_DOTTED})[ \t]*=")
_BARE_RE = re.compile(r"[A-Za-z0-9_-]+")


def _segments(dotted: str) -> tuple[str, ...]:
    return tuple(part[1:-1] if part[0] in "\"'" else part for part in re.findall(_KEY_PART, dotted))


def _line_of(text: str, path: Sequence[str]) -> int | None:
    """Best-effort line of the key at ``path`` (tomllib keeps no positions).

    The first line whose header or ``key = ...`` reaches ``path``: ``[poll]`` + ``fast_seconds =``,
    ``poll.fast_seconds =``, ``poll = {...}`` or ``[profiles.prod]`` for ``profiles.prod``.
    """
    target = tuple(path)
    table: tuple[str, ...] = ()
    reached: int | None = None  # the line of the nearest enclosing key, for inline tables
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if header := _HEADER_RE.match(stripped):
            table = _segments(header.group(1))
            if table[: len(target)] == target:
                return number
            continue
        if assign := _ASSIGN_RE.match(stripped):
            full = table + _segments(assign.group(1))
            if full[: len(target)] == target:
                return number
            if reached is None and len(full) < len(target) and target[: len(full)] == full:
                reached = number
    return reached


def _dotted(path: Sequence[str]) -> str:
    return ".".join(part if _BARE_RE.fullmatch(part) else f'"{part}"' for part in path)


_Node = dict[str, Union["_Node", Setting]]


def _tree(rows: Iterable[Setting]) -> _Node:
    root: _Node = {}
    for row in rows:
        node = root
        *tables, leaf = row.name.split(".")
        for part in tables:
            child = node.setdefault(part, {})
            assert isinstance(child, dict), f"{row.name}: {part} is both a setting and a table"
            node = child
        node[leaf] = row
    return root


_TREE = _tree(SETTINGS)


@dataclass(frozen=True)
class _File:
    path: Path
    text: str

    def where(self, path: Sequence[str]) -> str:
        line = _line_of(self.text, path)
        return f"{self.path}, line {line}" if line else f"{self.path}"


def _wildcard(node: _Node) -> str | None:
    return next((key for key in node if key.isupper()), None)


def _read_table(
    data: Mapping[str, Any], node: _Node, path: tuple[str, ...], name: str | None, values: dict[str, Any], file: _File
) -> None:
    """Check ``data`` (the table at ``path``) against ``node``, storing into ``values`` by row name."""
    wildcard = _wildcard(node)
    for key, value in data.items():
        here = (*path, key)
        child = node[wildcard] if wildcard else node.get(key)
        if child is None:
            if name is not None:  # inside [profiles.prod]: "for profile prod"
                problem = f"unknown setting '{key}' for {path[-2].removesuffix('s')} {name}"
            elif path:
                problem = f"unknown setting '{_dotted(here)}' (known: {', '.join(sorted(node))})"
            else:
                problem = f"unknown setting '{key}' (known: {', '.join(sorted(node))})"
            raise ConfigError(f"{file.where(here)}: {problem}")
        if wildcard and not key.strip():
            raise ConfigError(f"{file.where(here)}: [{_dotted(path)}] has an entry with an empty name")
        bound = key if wildcard else name
        if isinstance(child, Setting):
            checked = _check(child, value, here, file)
            if child.per_name:
                values[child.name][bound] = checked
            else:
                values[child.name] = checked
            continue
        if not isinstance(value, dict):
            inner = _wildcard(child)
            what = f"a table of [{_dotted(here)}.{inner}]" if inner and isinstance(child[inner], dict) else "a table"
            raise ConfigError(f"{file.where(here)}: '{key}' must be {what}, got {value!r}")
        _read_table(value, child, here, bound, values, file)


def _check(row: Setting, value: Any, path: tuple[str, ...], file: _File) -> Any:
    kind = row.kind
    key = path[-1]
    if isinstance(value, bool) and bool not in kind.types and isinstance(value, kind.types):
        raise ConfigError(f"{file.where(path)}: '{key}' must be {kind.what}, not a boolean")
    if not isinstance(value, kind.types):
        hint = ""
        if isinstance(value, dict) and value and row.per_name:  # [keys] list.filter = ... unquoted
            placeholder = next(part for part in row.name.split(".") if part.isupper())
            hint = f' (quote a dotted {placeholder}: "{key}.{next(iter(value))}" = ...)'
        raise ConfigError(f"{file.where(path)}: '{key}' must be {kind.what}, got {value!r}{hint}")
    try:
        return kind.refine(value)
    except _Invalid as exc:
        raise ConfigError(f"{file.where(path)}: '{_dotted(path)}' {exc}, got {value!r}") from None


def _defaults() -> dict[str, Any]:
    return {row.name: {} if row.per_name else row.default for row in SETTINGS}


def _read_file(path: Path, values: dict[str, Any]) -> None:
    try:
        text = path.read_text(encoding="utf-8-sig")  # editors on Windows write a BOM
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read ({exc})") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: {exc}") from None
    _read_table(data, _TREE, (), None, values, _File(path, text))
    fast, slow = values["poll.fast_seconds"], values["poll.slow_seconds"]
    if fast > slow:
        raise ConfigError(f"{path}: poll.fast_seconds ({fast}) is more than poll.slow_seconds")


def _read_env(env: Mapping[str, str], values: dict[str, Any]) -> None:
    for row in SETTINGS:
        raw = None if row.env is None else env.get(row.env)
        if raw is None:
            continue
        try:
            value = row.kind.from_env(raw)
        except _Invalid as exc:
            raise ConfigError(f"environment variable {row.env}={raw!r}: {exc}") from None
        if value is not None:
            values[row.name] = value


def _build(values: Mapping[str, Any], source: Path | None) -> Settings:
    top: dict[str, Any] = {}
    tables: dict[str, dict[str, Any]] = {}
    for row in SETTINGS:
        value = values[row.name]
        if row.per_name:
            assert row.field is not None, f"{row.name} needs a field"
            top[row.field] = (
                frozenset(name for name, flag in value.items() if flag) if row.kind is BOOLEAN else FrozenKeymap(value)
            )
        elif "." in row.name:
            table, _, key = row.name.partition(".")
            tables.setdefault(table, {})[key] = value
        else:
            top[row.name] = value
    for table, table_values in tables.items():
        top[table] = _TABLES[table](**table_values)
    return Settings(**top, source=source)


def load_settings(path: Path | None = None, env: Mapping[str, str] | None = None) -> Settings:
    """Read the config file (a missing file means defaults) and apply environment overrides."""
    env = os.environ if env is None else env
    path = path or config_path(env)
    values = _defaults()
    source = None
    if path.exists():
        _read_file(path, values)
        source = path
    _read_env(env, values)
    return _build(values, source)


# ---------------------------------------------------------------------------- the README section
SECTION_START = "<!-- settings:start -->"
SECTION_END = "<!-- settings:end -->"


def _shown_default(value: Any) -> str:
    if value is None:
        return "unset"
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if isinstance(value, float):
        return f"`{value:g}`"
    if isinstance(value, str):
        return f'`"{value}"`'
    return f"`{value}`"


def settings_markdown() -> str:
    """The README's settings section: the table of every setting and a TOML example."""
    lines = [
        "<!-- generated by `python -m smtui.config` from SETTINGS in smtui/config.py; do not edit -->",
        "",
        "| setting | type | default | env | what |",
        "|---|---|---|---|---|",
    ]
    for row in SETTINGS:
        env = f"`{row.env}`" if row.env else "—"
        doc = row.doc.replace("|", "\\|")
        lines.append(f"| `{row.name}` | {row.kind.name} | {_shown_default(row.default)} | {env} | {doc} |")
    lines += ["", "```toml", EXAMPLE_TOML.rstrip("\n"), "```"]
    return "\n".join(lines) + "\n"


def replace_settings_section(readme: str) -> str:
    """``readme`` with the text between the settings markers replaced by ``settings_markdown()``."""
    start = readme.index(SECTION_START) + len(SECTION_START)
    end = readme.index(SECTION_END, start)
    return readme[:start] + "\n" + settings_markdown() + readme[end:]


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args:
        sys.stdout.write(settings_markdown())
        return 0
    if len(args) == 2 and args[0] == "--update":
        readme = Path(args[1])
        try:
            readme.write_text(replace_settings_section(readme.read_text(encoding="utf-8")), encoding="utf-8")
        except ValueError:
            print(f"{readme}: no {SECTION_START} ... {SECTION_END} markers", file=sys.stderr)
            return 1
        return 0
    print("usage: python -m smtui.config [--update README.md]", file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
