"""Security properties: the emulator is local-only, no shell ever runs a typed string, secrets
never reach the screen or the log, and what smtui writes is private (0600 under platformdirs).
"""

from __future__ import annotations

import ast
import logging
import os
import shlex
import socket
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import smtui
from smtui.aws.client import SageMaker, Target
from smtui.aws.errors import AwsError, translate
from smtui.emulator.seed import seed_training_jobs
from smtui.emulator.server import EmulatorServer
from smtui.forms.preview import cli_command, cli_name
from smtui.ui.screens.resource_list import ResourceListScreen
from smtui.ui.widgets.chrome import ErrorBanner
from tests.app.helpers import SIZE, make_app, screen_text, wait_for

SOURCE = Path(smtui.__file__).resolve().parent

# Realistic-looking secrets (AWS's documented example keys): none of them may be shown or logged.
ACCESS_KEY = "AKIAIOSFODNN7EXAMPLE"
TEMP_KEY = "ASIAIOSFODNN7EXAMPLE"
SECRET_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
SESSION_TOKEN = "IQoJb3JpZ2luX2VjEXAMPLEsessionTOKENvalue0123456789abcdef"
PRESIGNED = "https://t-abc123.us-east-1.experiments.sagemaker.aws/auth?authToken=eyJhbGciOiJFUzI1NiJ9.SECRETPAYLOAD.sig"
S3_PRESIGNED = (
    "https://bucket.s3.amazonaws.com/model.tar.gz?X-Amz-Algorithm=AWS4-HMAC-SHA256"
    f"&X-Amz-Credential={TEMP_KEY}%2F20250101%2Fus-east-1%2Fs3%2Faws4_request"
    f"&X-Amz-Security-Token={SESSION_TOKEN}&X-Amz-Signature=0123456789abcdef0123456789abcdef"
)
LEAKY_MESSAGE = (
    f"The security token included in the request is invalid. Credential={TEMP_KEY}/20250101/us-east-1/sagemaker"
    f" SecretAccessKey={SECRET_KEY} SessionToken={SESSION_TOKEN} see {PRESIGNED} and {S3_PRESIGNED}"
)
SECRETS = (ACCESS_KEY, TEMP_KEY, SECRET_KEY, SESSION_TOKEN, "SECRETPAYLOAD", "0123456789abcdef0123456789abcdef")


def assert_no_secret(text: str) -> None:
    leaked = [s for s in SECRETS if s in text]
    assert not leaked, f"secret(s) {leaked} in: {text[:500]}"


@pytest.fixture
def xdg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Point every platformdirs location at a fresh tmp dir (and a permissive umask, so 0600 is
    the code's doing, not the umask's)."""
    for name in ("XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME"):
        monkeypatch.setenv(name, str(tmp_path / name.lower()))
    monkeypatch.delenv("SMTUI_CONFIG", raising=False)
    old = os.umask(0)
    try:
        yield tmp_path
    finally:
        os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# ---------------------------------------------------------------------------- the emulator
@pytest.mark.parametrize("host", ["0.0.0.0", "::", "", "192.168.1.10", "::1", "example.com", "127.0.0.2"])
def test_emulator_refuses_any_host_but_loopback(host: str) -> None:
    with pytest.raises(ValueError, match=r"127\.0\.0\.1"):
        EmulatorServer(host=host)


def test_emulator_socket_is_bound_to_loopback_only(emu: EmulatorServer) -> None:
    address = emu._server.socket.getsockname()
    assert address[0] == "127.0.0.1"
    assert emu.url.startswith("http://127.0.0.1:")
    # Not reachable on another local address of this host (if it has one).
    try:
        other = socket.gethostbyname(socket.gethostname())
    except OSError:
        other = "127.0.0.1"
    if not other.startswith("127."):
        with pytest.raises(OSError), socket.create_connection((other, emu.port), timeout=1):
            pass


def test_emulator_given_localhost_still_binds_the_ipv4_loopback() -> None:
    server = EmulatorServer(host="localhost")
    assert server.host == "127.0.0.1"


# ---------------------------------------------------------------------------- no shell
def _calls(tree: ast.AST) -> Iterator[tuple[str, ast.Call]]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
                yield f"{func.value.id}.{func.attr}", node
            elif isinstance(func, ast.Name):
                yield func.id, node


SHELL_FUNCS = {"os.system", "os.popen", "os.execl", "os.execlp", "os.spawnl", "asyncio.create_subprocess_shell"}
SUBPROCESS = {
    "subprocess.run",
    "subprocess.Popen",
    "subprocess.call",
    "subprocess.check_call",
    "subprocess.check_output",
}


def test_no_shell_is_ever_run() -> None:
    problems: list[str] = []
    files = sorted(SOURCE.rglob("*.py"))
    assert len(files) > 30
    for path in files:
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        where = path.relative_to(SOURCE.parent)
        for name, call in _calls(tree):
            if name in SHELL_FUNCS or name in {"getoutput", "getstatusoutput", "commands.getoutput"}:
                problems.append(f"{where}:{call.lineno}: {name}")
            for kw in call.keywords:
                if kw.arg == "shell" and not (isinstance(kw.value, ast.Constant) and kw.value.value is False):
                    problems.append(f"{where}:{call.lineno}: shell={ast.unparse(kw.value)}")
            if name in SUBPROCESS and call.args:
                first = call.args[0]
                # A command must be a list of words, never a string a shell (or Popen) would split.
                if isinstance(first, (ast.Constant, ast.JoinedStr, ast.BinOp)):
                    problems.append(f"{where}:{call.lineno}: {name} with a str command")
    assert not problems, problems


def test_the_only_subprocess_is_the_emulator_child_with_an_argv_list() -> None:
    users = sorted(
        str(p.relative_to(SOURCE.parent))
        for p in SOURCE.rglob("*.py")
        if "subprocess" in p.read_text(encoding="utf-8").replace("subprocess.TimeoutExpired", "")
    )
    assert users == ["smtui/emulator/child.py"], users


WORDS = st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), max_size=40)


@settings(max_examples=60, deadline=None)
@given(
    params=st.dictionaries(st.text(min_size=1, max_size=10), WORDS | st.integers() | st.lists(WORDS, max_size=3)),
    profile=st.none() | WORDS.filter(bool),
    endpoint=st.none() | WORDS.filter(bool),
)
def test_the_preview_cli_command_is_one_safely_quoted_argv(
    params: dict[str, Any], profile: str | None, endpoint: str | None
) -> None:
    """What a user pastes into a shell from the preview runs exactly the words shown: no value
    (quotes, $(...), backticks, ;, newlines) can break out of its argument."""
    import json

    command = cli_command("CreateEndpoint", params, region="us-east-1", profile=profile, endpoint_url=endpoint)
    words = shlex.split(command)
    assert words[:3] == ["aws", "sagemaker", cli_name("CreateEndpoint")]
    assert words[3] == "--cli-input-json"
    assert json.loads(words[4]) == json.loads(json.dumps(params))
    rest = words[5:]
    expected = ["--region", "us-east-1"]
    if profile:
        expected += ["--profile", profile]
    if endpoint:
        expected += ["--endpoint-url", endpoint]
    assert rest == expected


# ---------------------------------------------------------------------------- secrets on screen
def test_target_repr_never_shows_static_credentials() -> None:
    target = Target(static_credentials=(ACCESS_KEY, SECRET_KEY))
    assert_no_secret(repr(target))
    assert_no_secret(str(target))


def test_errors_redact_credentials_and_presigned_urls() -> None:
    from botocore.exceptions import ClientError

    for code in ("UnrecognizedClientException", "ValidationException", "SomethingNew", "InternalFailure"):
        exc = ClientError({"Error": {"Code": code, "Message": LEAKY_MESSAGE}}, "ListTrainingJobs")
        error = translate(exc)
        assert_no_secret(str(error))
        assert_no_secret(error.message + error.hint)
    assert_no_secret(str(AwsError(LEAKY_MESSAGE, LEAKY_MESSAGE)))
    assert_no_secret(str(translate(RuntimeError(LEAKY_MESSAGE))))


def test_error_messages_cannot_inject_terminal_sequences() -> None:
    error = AwsError("boom \x1b]52;c;cm0gLXJm\x07 \x1b[2J \x9b31m", "do \x1b[H this")
    for text in (error.message, error.hint, str(error)):
        assert not any((ord(c) < 32 and c not in "\n\t") or 0x7F <= ord(c) <= 0x9F for c in text), repr(text)
    assert "\\x1b" in error.message  # shown, escaped, so the user can still read what came back


async def test_a_presigned_url_minted_by_the_service_is_redacted(emu: EmulatorServer) -> None:
    """A real CreatePresignedMlflowTrackingServerUrl result, carried by an error (a proxy echoing
    the request) or a log record, never survives as a usable URL."""
    client = SageMaker(Target(endpoint_url=emu.url, static_credentials=("testing", "testing")))
    try:
        created = await client.call(
            "CreateMlflowTrackingServer",
            {
                "TrackingServerName": "sec",
                "ArtifactStoreUri": "s3://bucket/mlflow",
                "RoleArn": "arn:aws:iam::123456789012:role/Mlflow",
            },
        )
        assert created["TrackingServerArn"]
        emu.sync()
        result = await client.call("CreatePresignedMlflowTrackingServerUrl", {"TrackingServerName": "sec"})
    finally:
        await client.close()
    url = result["AuthorizedUrl"]
    token = url.split("authToken=", 1)[1]
    assert len(token) > 10
    assert token not in str(AwsError(f"upstream said: {url}"))
    from smtui.logs import redact

    assert token not in redact(f"opened {url} in the browser")


async def test_an_error_carrying_secrets_is_shown_without_them(emu: EmulatorServer, xdg: Path) -> None:
    """The app's own screen: the error banner says what went wrong, with the secrets cut out."""
    seed_training_jobs(emu, 2)
    emu.faults.set([{"op": "ListTrainingJobs", "error": "IncompleteSignature", "message": LEAKY_MESSAGE}])
    app = make_app(emu)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, ResourceListScreen)
        banner = screen.query_one(ErrorBanner)
        await wait_for(pilot, lambda: banner.display, timeout=10, what="error banner")
        text = await screen_text(pilot)
        assert "IncompleteSignature" in text  # the error is still said, in place
        assert "<access-key>" in text or "<redacted>" in text
        assert_no_secret(text)
        assert_no_secret(str(banner.content))
        for note in app._notifications:
            assert_no_secret(str(note.message))


def test_context_bar_does_not_show_a_password_in_the_endpoint_url() -> None:
    """``--endpoint-url https://user:pass@proxy`` is accepted; the header must not print the password."""
    from smtui.config import check_endpoint_url
    from smtui.ui.widgets.chrome import ContextBar

    password = "Pr0xyPassw0rdEXAMPLE"
    url = check_endpoint_url(f"https://proxy-user:{password}@sagemaker.internal:8443")
    bar = ContextBar()
    bar.endpoint = url
    assert password not in bar.render().plain


# ---------------------------------------------------------------------------- the log file
@pytest.fixture
def private_log(xdg: Path) -> Iterator[Path]:
    from smtui import logs

    root = logging.getLogger()
    before_level, before_handlers = root.level, list(root.handlers)
    smtui_level = logging.getLogger("smtui").level
    path = logs.setup_logging(logging.DEBUG)
    try:
        yield path
    finally:
        for handler in [h for h in root.handlers if h not in before_handlers]:
            root.removeHandler(handler)
            handler.close()
        root.setLevel(before_level)
        logging.getLogger("smtui").setLevel(smtui_level)


def flush_logs() -> None:
    for handler in logging.getLogger().handlers:
        handler.flush()


def test_log_file_is_private_and_under_the_state_dir(private_log: Path, xdg: Path) -> None:
    assert private_log.is_relative_to(xdg / "xdg_state_home")
    logging.getLogger("smtui.test").warning("hello")
    flush_logs()
    assert private_log.exists()
    assert mode(private_log) == 0o600
    assert mode(private_log.parent) == 0o700
    handler = next(h for h in logging.getLogger().handlers if getattr(h, "baseFilename", "") == str(private_log))
    assert isinstance(handler, logging.handlers.RotatingFileHandler)
    handler.doRollover()
    logging.getLogger("smtui.test").warning("after rollover")
    flush_logs()
    rotated = sorted(private_log.parent.glob(private_log.name + "*"))
    assert len(rotated) >= 2
    assert all(mode(p) == 0o600 for p in rotated), {str(p): oct(mode(p)) for p in rotated}


def test_log_records_are_redacted(private_log: Path) -> None:
    log = logging.getLogger("smtui.test")
    log.warning("call failed: %s", LEAKY_MESSAGE)
    log.warning('response {"SessionToken": "%s", "SecretAccessKey": "%s"}', SESSION_TOKEN, SECRET_KEY)
    log.warning("url=%s", S3_PRESIGNED)
    try:
        raise RuntimeError(f"boom with {ACCESS_KEY} and {PRESIGNED}")
    except RuntimeError:
        log.exception("a bug")
    flush_logs()
    text = private_log.read_text(encoding="utf-8")
    assert "call failed" in text and "a bug" in text and "RuntimeError" in text
    assert_no_secret(text)


def test_log_redacts_a_logged_python_dict(private_log: Path) -> None:
    logging.getLogger("smtui.test").warning(
        "credentials %r", {"SessionToken": SESSION_TOKEN, "SecretAccessKey": SECRET_KEY}
    )
    flush_logs()
    assert_no_secret(private_log.read_text(encoding="utf-8"))


async def test_the_app_logs_no_secret_while_failing(emu: EmulatorServer, private_log: Path) -> None:
    seed_training_jobs(emu, 2)
    emu.faults.set([{"op": "*", "error": "ExpiredTokenException", "message": LEAKY_MESSAGE}])
    app = make_app(emu)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, ResourceListScreen)
        await wait_for(pilot, lambda: screen.query_one(ErrorBanner).display, timeout=10)
        assert_no_secret(await screen_text(pilot))
    flush_logs()
    if private_log.exists():
        assert mode(private_log) == 0o600
        assert_no_secret(private_log.read_text(encoding="utf-8"))


# ---------------------------------------------------------------------------- files smtui writes
def test_drafts_are_private_files_under_the_state_dir(xdg: Path) -> None:
    from smtui.forms.drafts import load_draft, save_draft

    path = save_draft("CreateEndpoint", {"EndpointName": "x", "Tags": [{"Key": "k", "Value": SECRET_KEY}]})
    assert path.is_relative_to(xdg / "xdg_state_home")
    assert mode(path) == 0o600
    assert mode(path.parent) == 0o700
    assert mode(path.parent.parent) == 0o700
    assert not list(path.parent.glob("*.tmp"))
    # Overwriting keeps it private, also when the file was loosened in between.
    path.chmod(0o644)
    save_draft("CreateEndpoint", {"EndpointName": "y"})
    assert mode(path) == 0o600
    draft = load_draft("CreateEndpoint")
    assert draft is not None and draft.values == {"EndpointName": "y"}


@pytest.mark.parametrize("name", ["../../etc/passwd", "Create/../../x", "", "create", "A" * 200, "Create\x00"])
def test_draft_names_cannot_escape_the_drafts_dir(xdg: Path, name: str) -> None:
    from smtui.forms.drafts import draft_path

    with pytest.raises(ValueError):
        draft_path(name)


def test_settings_never_write_the_config_dir(xdg: Path) -> None:
    from smtui.config import config_dir, config_path, load_settings

    assert config_path().is_relative_to(xdg / "xdg_config_home")
    load_settings()
    assert not config_dir().exists(), "reading the settings created the config dir"


# ---------------------------------------------------------------------------- masked by value
@pytest.fixture
def no_noted_secrets() -> Iterator[None]:
    from smtui.logs import forget_secrets

    forget_secrets()
    yield
    forget_secrets()


def test_the_label_net_catches_what_the_review_found_missing() -> None:
    from smtui.logs import redact

    assert_no_secret(redact(f"config dump: {SECRET_KEY} end"))  # a bare secret key
    assert "eyJhbGciOi" not in redact("AuthToken=eyJhbGciOiJFUzI1NiJ9.payload.sig in a form")
    fragment = "https://t-abc.us-east-1.experiments.sagemaker.aws/auth#authToken=eyJhbGciOiJFUzI1NiJ9.SECRETPAYLOAD.sig"
    assert "SECRETPAYLOAD" not in redact(f"open {fragment} now")
    digest = "0123456789abcdef0123456789abcdef01234567"  # a commit or a hash is not a key
    assert digest in redact(f"image digest {digest}")


async def test_the_credentials_in_use_are_masked_by_value_everywhere(
    emu: EmulatorServer, private_log: Path, xdg: Path, monkeypatch: pytest.MonkeyPatch, no_noted_secrets: None
) -> None:
    """An endpoint that echoes every request header into its error: the access key (in the
    Authorization header), the session token (X-Amz-Security-Token) and the secret key (quoted
    bare by the same proxy) reach neither the screen nor any file smtui writes. None of the
    three looks like an AWS credential, so only masking by value can catch them."""
    import secrets as random

    from smtui.catalog import default_catalog
    from smtui.config import PollSettings, Settings
    from smtui.forms.drafts import save_draft
    from smtui.logs import redact
    from smtui.ui.app import SmtuiApp

    key, secret, token = (f"{word}-{random.token_hex(12)}" for word in ("keyid", "secret", "token"))
    values = (key, secret, token)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", key)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", secret)
    monkeypatch.setenv("AWS_SESSION_TOKEN", token)
    monkeypatch.delenv("AWS_SECURITY_TOKEN", raising=False)
    echoed = f'"HTTP_X_AMZ_SECURITY_TOKEN": "{token}" Credential={key}/20260101 secret {secret}'
    assert all(v in redact(echoed) for v in values), "the label net alone would catch them: the test proves nothing"

    seed_training_jobs(emu, 2)
    emu.faults.set(
        [
            {
                "op": "ListTrainingJobs",
                "error": "ValidationException",
                "message": f"proxy: {secret}",
                "echo_headers": True,
            }
        ]
    )
    settings = Settings(poll=PollSettings(fast_seconds=0.2, slow_seconds=0.5, max_backoff_seconds=2.0))
    app = SmtuiApp(Target(endpoint_url=emu.url), settings, catalog=default_catalog(), start="training-jobs")
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, ResourceListScreen)
        banner = screen.query_one(ErrorBanner)
        await wait_for(pilot, lambda: banner.display, timeout=10, what="error banner")
        shown = await screen_text(pilot) + str(banner.content) + "".join(str(n.message) for n in app._notifications)
    assert "request headers" in shown and "HTTP_AUTHORIZATION" in shown  # the echo did reach the screen
    leaked = [v for v in values if v in shown]
    assert not leaked, f"on screen: {leaked}"
    save_draft("CreateEndpoint", {"EndpointName": "x", "Tags": [{"Key": "k", "Value": f"{key} {token}"}]})
    flush_logs()
    written = [p for p in xdg.rglob("*") if p.is_file()]
    assert private_log in written and any(p.suffix == ".json" for p in written)
    assert "request headers" in private_log.read_text(encoding="utf-8")
    for path in written:
        text = path.read_text(encoding="utf-8", errors="replace")
        leaked = [v for v in values if v in text]
        assert not leaked, f"{path}: {leaked}"


# ---------------------------------------------------------------------------- directories and links
def test_an_existing_loose_state_and_drafts_dir_is_tightened(xdg: Path) -> None:
    from smtui.config import state_dir
    from smtui.forms.drafts import drafts_dir

    state = xdg / "xdg_state_home" / "smtui"
    (state / "drafts").mkdir(parents=True, mode=0o755)
    state.chmod(0o755)
    (state / "drafts").chmod(0o777)
    assert state_dir() == state and mode(state) == 0o700
    assert drafts_dir() == state / "drafts" and mode(state / "drafts") == 0o700


def test_a_new_state_dir_is_private_whatever_the_umask(xdg: Path) -> None:
    from smtui.config import state_dir

    assert mode(state_dir()) == 0o700  # the fixture's umask is 0: 0700 is the code's doing


def test_a_symlinked_state_dir_is_refused_with_a_clear_message(xdg: Path, tmp_path: Path) -> None:
    from smtui.config import UnsafePath, state_dir

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir(mode=0o755)
    (xdg / "xdg_state_home").mkdir()
    (xdg / "xdg_state_home" / "smtui").symlink_to(elsewhere)
    with pytest.raises(UnsafePath, match="symbolic link"):
        state_dir()
    assert mode(elsewhere) == 0o755  # nothing was done to what the link points at


def test_a_symlinked_draft_is_neither_written_through_nor_read(xdg: Path, tmp_path: Path) -> None:
    from smtui.config import UnsafePath
    from smtui.forms.drafts import draft_path, load_draft, save_draft

    victim = tmp_path / "victim.json"
    victim.write_text('{"operation": "CreateEndpoint", "values": {"EndpointName": "theirs"}}')
    for link in (draft_path("CreateEndpoint"), draft_path("CreateEndpoint").with_suffix(".json.tmp")):
        link.symlink_to(victim)
        with pytest.raises(UnsafePath, match="symbolic link"):
            save_draft("CreateEndpoint", {"EndpointName": "mine"})
        assert "theirs" in victim.read_text()
        link.unlink()
    draft_path("CreateEndpoint").symlink_to(victim)
    assert load_draft("CreateEndpoint") is None  # a link is not followed to fill a form


def test_a_symlinked_log_is_refused_and_the_app_says_so(xdg: Path, tmp_path: Path) -> None:
    from smtui import cli
    from smtui.config import UnsafePath
    from smtui.logs import log_path, setup_logging

    victim = tmp_path / "victim.txt"
    victim.write_text("untouched")
    log_path().symlink_to(victim)
    with pytest.raises(UnsafePath, match="symbolic link"):
        setup_logging()
    root = logging.getLogger()
    before = list(root.handlers)
    notices = cli.prepare_process()  # what the command line does: no traceback, a notice
    assert root.handlers == before
    assert len(notices) == 1 and "no log file this run" in notices[0] and "symbolic link" in notices[0]
    assert victim.read_text() == "untouched"


async def test_a_draft_that_cannot_be_saved_is_said_in_the_form(emu: EmulatorServer, xdg: Path, tmp_path: Path) -> None:
    """The form keeps working and says why the draft was not kept (no traceback)."""
    from smtui.forms.drafts import drafts_dir
    from smtui.ui.screens.form import FormScreen

    drafts = drafts_dir()
    drafts.rmdir()
    drafts.symlink_to(tmp_path)
    app = make_app(emu, start="endpoints")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ResourceListScreen))
        await pilot.press("C")
        await wait_for(pilot, lambda: isinstance(app.screen, FormScreen), what="the create form")
        await pilot.press(*"abc")
        await wait_for(
            pilot,
            lambda: any("could not save the draft" in str(n.message) for n in app._notifications),
            what="the notice",
        )
        note = next(str(n.message) for n in app._notifications if "could not save" in str(n.message))
        assert "symbolic link" in note
    assert not list(tmp_path.glob("*.json"))
