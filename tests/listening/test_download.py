"""Downloading, verifying and safely unpacking models, against a local HTTP server.

Each test builds its archives in tmp_path and serves them from 127.0.0.1; after a failure
the destination folder must hold exactly what it held before.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import socket
import stat
import tarfile
import threading
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from voicecare import downloads
from voicecare.cli import main, model_commands
from voicecare.cli.model_commands import ProgressBar, run_model_download
from voicecare.errors import ModelError, UsageError
from voicecare.listening import download, model_store
from voicecare.listening.download import DownloadRequest, install_model
from voicecare.listening.model_store import DEFAULT_MODEL_NAME, MODEL_ENV_VAR

NAME = "vosk-model-test-0.1"
MODEL_FILES = {
    "am/final.mdl": b"acoustic model " * 1000,
    "conf/model.conf": b"--min-active=200\n",
    "conf/mfcc.conf": b"--use-energy=false\n",
    "graph/HCLr.fst": b"graph " * 500,
    "graph/Gr.fst": b"grammar " * 500,
    "README": b"a fake model for download tests\n",
}
TIMEOUT = 10.0  # bounds every socket operation, so a broken test cannot hang


# --- a local HTTP server ----------------------------------------------------------------


@dataclass
class Route:
    body: bytes
    status: int = 200
    announce: int | None = None  # Content-Length to send; default: the body's length
    send: int | None = None  # bytes actually sent before closing; default: all


@dataclass
class Server:
    port: int = 0
    routes: dict[str, Route] = field(default_factory=dict)
    requests: list[str] = field(default_factory=list)

    def serve(self, path: str, body: bytes, **options: int) -> str:
        self.routes[path] = Route(body, **options)
        return self.url(path)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:  # a client that hung up early
        pass


def handler_for(state: Server) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            state.requests.append(self.path)
            route = state.routes.get(self.path)
            if route is None:
                self.send_error(404)
                return
            announce = len(route.body) if route.announce is None else route.announce
            self.send_response(route.status)
            self.send_header("Content-Type", "application/octet-stream")
            self.send_header("Content-Length", str(announce))
            self.end_headers()
            self.wfile.write(route.body[: route.send])
            self.wfile.flush()
            self.close_connection = True

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


@pytest.fixture
def server() -> Iterator[Server]:
    state = Server()
    httpd = QuietServer(("127.0.0.1", 0), handler_for(state))
    state.port = httpd.server_address[1]
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield state
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=TIMEOUT)


@pytest.fixture
def dest(tmp_path: Path) -> Path:
    folder = tmp_path / "models"
    folder.mkdir()
    return folder


@pytest.fixture(autouse=True)
def isolated_model_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    user = tmp_path / "user-data" / "models"
    monkeypatch.setattr(model_store, "repository_models_dir", lambda: tmp_path / "repo-models")
    monkeypatch.setattr(model_store, "user_models_dir", lambda: user)
    monkeypatch.setattr(model_commands, "user_models_dir", lambda: user)
    monkeypatch.delenv(MODEL_ENV_VAR, raising=False)
    return user


# --- archives ---------------------------------------------------------------------------


def make_zip(entries: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as bundle:
        for name, data in entries.items():
            bundle.writestr(name, data)
    return buffer.getvalue()


def make_tar(entries: dict[str, bytes], links: dict[str, tuple[bytes, str]] | None = None) -> bytes:
    """A tar.gz; ``links`` maps a member name to (tar type, link target)."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as bundle:
        for name, data in entries.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            bundle.addfile(info, io.BytesIO(data))
        for name, (kind, target) in (links or {}).items():
            info = tarfile.TarInfo(name)
            info.type, info.linkname = kind, target
            bundle.addfile(info)
    return buffer.getvalue()


def model_entries(prefix: str = f"{NAME}/") -> dict[str, bytes]:
    return {prefix + name: data for name, data in MODEL_FILES.items()}


def tree(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in folder.rglob("*")
        if path.is_file()
    }


def request(url: str, dest: Path, **options: object) -> DownloadRequest:
    return DownloadRequest(NAME, url, dest, **options)  # type: ignore[arg-type]


def fails(req: DownloadRequest, match: str, **options: object) -> str:
    with pytest.raises(ModelError, match=match) as caught:
        install_model(req, timeout=TIMEOUT, **options)  # type: ignore[arg-type]
    message = str(caught.value)
    assert "\n" not in message
    return message


# --- good archives ----------------------------------------------------------------------


def test_a_zip_is_downloaded_verified_and_installed(server: Server, dest: Path):
    body = make_zip(model_entries())
    url = server.serve("/m.zip", body)
    seen: list[tuple[int, int | None]] = []
    req = request(url, dest, size=len(body), sha256=hashlib.sha256(body).hexdigest())
    target = install_model(req, lambda done, total: seen.append((done, total)), TIMEOUT)
    assert target == dest / NAME
    assert tree(target) == MODEL_FILES
    assert sorted(p.name for p in dest.iterdir()) == [NAME]
    assert seen[0] == (0, len(body)) and seen[-1] == (len(body), len(body))
    assert server.requests == ["/m.zip"]


def test_a_tar_gz_is_installed(server: Server, dest: Path):
    url = server.serve("/m.tar.gz", make_tar(model_entries()))
    assert tree(install_model(request(url, dest), timeout=TIMEOUT)) == MODEL_FILES
    assert [p.name for p in dest.iterdir()] == [NAME]


def test_an_archive_without_a_top_folder_is_installed_under_the_name(server, dest):
    url = server.serve("/flat.zip", make_zip(model_entries(prefix="")))
    assert tree(install_model(request(url, dest), timeout=TIMEOUT)) == MODEL_FILES


def test_a_missing_destination_is_created(server: Server, tmp_path: Path):
    url = server.serve("/m.zip", make_zip(model_entries()))
    target = install_model(request(url, tmp_path / "new" / "models"), timeout=TIMEOUT)
    assert tree(target) == MODEL_FILES


# --- verification -----------------------------------------------------------------------


def test_a_wrong_checksum_leaves_nothing(server: Server, dest: Path):
    body = make_zip(model_entries())
    url = server.serve("/m.zip", body)
    message = fails(request(url, dest, sha256="0" * 64), "sha256")
    assert hashlib.sha256(body).hexdigest() in message and url in message
    assert "--model PATH" in message
    assert list(dest.iterdir()) == []


def test_a_wrong_size_leaves_nothing(server: Server, dest: Path):
    body = make_zip(model_entries())
    url = server.serve("/m.zip", body)
    fails(request(url, dest, size=len(body) + 1), f"is {len(body)} bytes, expected")
    assert list(dest.iterdir()) == []


def test_a_truncated_archive_is_damaged(server: Server, dest: Path):
    body = make_zip(model_entries())
    url = server.serve("/cut.zip", body[: len(body) // 2])
    fails(request(url, dest), "damaged")
    assert list(dest.iterdir()) == []


def test_a_truncated_tar_gz_is_damaged(server: Server, dest: Path):
    body = make_tar(model_entries())
    url = server.serve("/cut.tar.gz", body[: len(body) // 2])
    fails(request(url, dest), "damaged")
    assert list(dest.iterdir()) == []


def test_a_zip_member_with_a_bad_crc_is_damaged(server: Server, dest: Path):
    body = bytearray(make_zip(model_entries(), method=zipfile.ZIP_STORED))
    at = body.index(b"acoustic model")
    body[at] ^= 0xFF  # change the stored bytes, not the recorded CRC
    url = server.serve("/crc.zip", bytes(body))
    fails(request(url, dest), "damaged.*CRC")
    assert list(dest.iterdir()) == []


def test_something_that_is_not_an_archive(server: Server, dest: Path):
    url = server.serve("/page.html", b"<html>Moved</html>")
    fails(request(url, dest), "not a zip or tar archive")
    assert list(dest.iterdir()) == []


def test_an_archive_without_a_model(server: Server, dest: Path):
    url = server.serve("/junk.zip", make_zip({"junk/readme.txt": b"hi"}))
    fails(request(url, dest), "holds no Vosk model")
    assert list(dest.iterdir()) == []


# --- hostile archives -------------------------------------------------------------------


def zip_with_symlink() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as bundle:
        for name, data in model_entries().items():
            bundle.writestr(name, data)
        link = zipfile.ZipInfo(f"{NAME}/graph/words.txt")
        link.create_system = 3
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        bundle.writestr(link, "/etc/passwd")
    return buffer.getvalue()


HOSTILE = {
    "zip-dotdot": (
        lambda: make_zip({**model_entries(), f"{NAME}/../../escaped.txt": b"x"}),
        "'..' component",
    ),
    "zip-absolute": (lambda: make_zip({**model_entries(), "/tmp/abs.txt": b"x"}), "absolute"),
    "zip-drive": (lambda: make_zip({**model_entries(), "C:/evil.txt": b"x"}), "absolute"),
    "zip-symlink": (zip_with_symlink, "symbolic link"),
    "tar-dotdot": (lambda: make_tar({**model_entries(), "../escaped.txt": b"x"}), "'..'"),
    "tar-absolute": (lambda: make_tar({**model_entries(), "/tmp/abs.txt": b"x"}), "absolute"),
    "tar-symlink": (
        lambda: make_tar(model_entries(), {f"{NAME}/link": (tarfile.SYMTYPE, "/etc")}),
        "a link",
    ),
    "tar-hardlink": (
        lambda: make_tar(model_entries(), {f"{NAME}/hard": (tarfile.LNKTYPE, "/etc/passwd")}),
        "a link",
    ),
    "tar-fifo": (
        lambda: make_tar(model_entries(), {f"{NAME}/pipe": (tarfile.FIFOTYPE, "")}),
        "special file",
    ),
}


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_hostile_archives_are_refused_and_leave_nothing(server, dest, tmp_path, kind):
    build, reason = HOSTILE[kind]
    url = server.serve(f"/{kind}", build())
    message = fails(request(url, dest), reason)
    assert message.startswith(f"refusing the archive from {url}: entry ")
    assert list(dest.iterdir()) == []
    assert not (tmp_path / "escaped.txt").exists()
    assert not (dest.parent.parent / "escaped.txt").exists()


def test_member_paths_never_leave_the_root(tmp_path: Path):
    root = tmp_path / "root"
    assert downloads.member_path(root, "./", "src") is None
    assert downloads.member_path(root, "a/./b", "src") == root / "a" / "b"
    for name in ("../x", "a/../../x", "/x", "\\x", "a\\..\\..\\x", "D:x"):
        with pytest.raises(ModelError):
            downloads.member_path(root, name, "src")


# --- network failures -------------------------------------------------------------------


def test_a_404_is_one_clear_line(server: Server, dest: Path):
    url = server.url("/missing.zip")
    message = fails(request(url, dest), "HTTP 404")
    assert message.startswith(f"could not download {url}: HTTP 404")
    assert message.endswith("download it by hand, unpack it and use --model PATH")
    assert list(dest.iterdir()) == []


def test_a_server_that_closes_early(server: Server, dest: Path):
    body = make_zip(model_entries())
    url = server.serve("/early.zip", body, send=len(body) // 3)
    fails(request(url, dest), rf"closed early \({len(body) // 3} of {len(body)} bytes\)")
    assert list(dest.iterdir()) == []


def test_a_refused_connection(dest: Path):
    with socket.socket() as probe:  # a port that nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/m.zip"
    message = fails(request(url, dest), "could not download")
    assert url in message and "--model PATH" in message
    assert list(dest.iterdir()) == []


def test_a_created_destination_is_removed_again_on_failure(server: Server, tmp_path: Path):
    fails(request(server.url("/missing.zip"), tmp_path / "fresh"), "404")
    assert not (tmp_path / "fresh").exists()


def test_a_malformed_url(dest: Path):
    fails(request("nonsense", dest), "cannot download 'nonsense'")
    assert list(dest.iterdir()) == []


def test_a_name_that_is_a_path_is_refused(dest: Path):
    with pytest.raises(UsageError):
        install_model(DownloadRequest("../escape", "http://127.0.0.1:9/", dest))
    assert list(dest.iterdir()) == []


# --- interruption -----------------------------------------------------------------------


def test_an_interrupt_mid_download_leaves_nothing(server: Server, dest: Path):
    body = make_zip({f"{NAME}/am/final.mdl": bytes(range(256)) * 4096}, zipfile.ZIP_STORED)
    url = server.serve("/big.zip", body)
    calls: list[int] = []

    def interrupt(done: int, total: int | None) -> None:
        calls.append(done)
        if 0 < done < len(body):
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        install_model(request(url, dest), interrupt, TIMEOUT)
    assert len(calls) == 2 and calls[-1] < len(body)  # it stopped part-way
    assert list(dest.iterdir()) == []


def test_an_interrupt_while_unpacking_leaves_nothing(server, dest, monkeypatch):
    url = server.serve("/m.zip", make_zip(model_entries()))

    def interrupt(unpacked: Path, source: str) -> Path:
        assert tree(unpacked)  # the archive was unpacked when the interrupt came
        raise KeyboardInterrupt

    monkeypatch.setattr(download, "_model_root", interrupt)
    with pytest.raises(KeyboardInterrupt):
        install_model(request(url, dest), timeout=TIMEOUT)
    assert list(dest.iterdir()) == []


# --- an installed model -----------------------------------------------------------------


def installed_old_model(dest: Path) -> dict[str, bytes]:
    old = dest / NAME
    for name in ("am/final.mdl", "conf/model.conf"):
        (old / name).parent.mkdir(parents=True, exist_ok=True)
        (old / name).write_bytes(b"old " + name.encode())
    return tree(old)


def test_an_installed_model_is_not_overwritten_without_force(server: Server, dest: Path):
    old = installed_old_model(dest)
    url = server.serve("/m.zip", make_zip(model_entries()))
    fails(request(url, dest), "already exists; use --force")
    assert tree(dest / NAME) == old
    assert server.requests == []  # nothing was downloaded


def test_force_replaces_an_installed_model(server: Server, dest: Path):
    installed_old_model(dest)
    url = server.serve("/m.zip", make_zip(model_entries()))
    install_model(request(url, dest, force=True), timeout=TIMEOUT)
    assert tree(dest / NAME) == MODEL_FILES
    assert [p.name for p in dest.iterdir()] == [NAME]


def test_a_failed_forced_download_keeps_the_installed_model(server: Server, dest: Path):
    old = installed_old_model(dest)
    url = server.serve("/m.zip", make_zip(model_entries()))
    fails(request(url, dest, force=True, sha256="1" * 64), "sha256")
    assert tree(dest / NAME) == old
    assert [p.name for p in dest.iterdir()] == [NAME]


class FailingRename:
    """Stands in for the unpacked model folder; moving it into place fails."""

    def __init__(self, error: BaseException) -> None:
        self.error = error

    def rename(self, target: Path) -> None:
        assert not target.exists()  # the installed model was set aside first
        raise self.error


@pytest.mark.parametrize(
    "error", [PermissionError("denied"), KeyboardInterrupt()], ids=["oserror", "interrupt"]
)
def test_the_installed_model_is_put_back_when_the_final_move_fails(
    server, dest, monkeypatch, error
):
    old = installed_old_model(dest)
    url = server.serve("/m.zip", make_zip(model_entries()))
    monkeypatch.setattr(download, "_model_root", lambda unpacked, source: FailingRename(error))
    expected = ModelError if isinstance(error, OSError) else KeyboardInterrupt
    with pytest.raises(expected):
        install_model(request(url, dest, force=True), timeout=TIMEOUT)
    assert tree(dest / NAME) == old
    assert [p.name for p in dest.iterdir()] == [NAME]


def test_a_model_that_appears_during_the_download_is_kept(server, dest, monkeypatch):
    url = server.serve("/m.zip", make_zip(model_entries()))
    real_model_root = download._model_root

    def meanwhile(unpacked: Path, source: str) -> Path:
        installed_old_model(dest)  # another process finished first
        return real_model_root(unpacked, source)

    monkeypatch.setattr(download, "_model_root", meanwhile)
    fails(request(url, dest), "already exists")
    assert tree(dest / NAME)["am/final.mdl"] == b"old am/final.mdl"
    assert [p.name for p in dest.iterdir()] == [NAME]


# --- voicecare model download -----------------------------------------------------------


MIRRORED = f"/{DEFAULT_MODEL_NAME}.zip"  # the default model on a mirror


def download_args(**values: object) -> argparse.Namespace:
    defaults: dict[str, object] = {
        "name": None,
        "dir": None,
        "url": None,
        "force": False,
        "sha256": None,
    }
    return argparse.Namespace(**{**defaults, **values})


def test_cli_download_installs_in_the_user_folder_by_default(server, isolated_model_dirs, capsys):
    url = server.serve(MIRRORED, make_zip(model_entries()))
    assert run_model_download(download_args(url=url)) == 0
    target = isolated_model_dirs / DEFAULT_MODEL_NAME
    assert tree(target) == MODEL_FILES
    out, err = capsys.readouterr()
    assert out.startswith(f"installed {DEFAULT_MODEL_NAME} in {target} (")
    assert "--model" not in out  # discovery finds it there
    assert f"downloading {DEFAULT_MODEL_NAME} from {url}" in err
    assert "downloaded " in err and "CRC" in err
    assert model_store.find_model().path == target


def test_cli_download_of_a_url_is_named_after_its_archive(server, isolated_model_dirs, capsys):
    url = server.serve("/vosk-model-small-de-0.15.zip", make_zip(model_entries()))
    assert run_model_download(download_args(url=url)) == 0
    assert tree(isolated_model_dirs / "vosk-model-small-de-0.15") == MODEL_FILES
    assert "downloading vosk-model-small-de-0.15 from" in capsys.readouterr().err
    name = model_commands._name_from_url
    assert name("https://example.org/a/vosk-model-fr-0.22.tar.gz?x=1") == "vosk-model-fr-0.22"


def test_cli_download_to_another_folder_says_how_to_use_it(server, tmp_path, capsys):
    url = server.serve(MIRRORED, make_zip(model_entries()))
    elsewhere = tmp_path / "elsewhere"
    args = download_args(name="mine", url=url, dir=elsewhere)
    assert run_model_download(args) == 0
    assert tree(elsewhere / "mine") == MODEL_FILES
    out = capsys.readouterr().out
    assert f"use it with --model {elsewhere / 'mine'} or {MODEL_ENV_VAR}=" in out


def test_cli_download_of_an_installed_model_is_a_no_op(server, isolated_model_dirs, capsys):
    url = server.serve(MIRRORED, make_zip(model_entries()))
    assert run_model_download(download_args(url=url)) == 0
    capsys.readouterr()
    assert run_model_download(download_args(url=url)) == 0
    assert "already installed" in capsys.readouterr().out
    assert server.requests == [MIRRORED]  # only the first run downloaded


def test_cli_download_refuses_to_replace_a_broken_model_without_force(server, isolated_model_dirs):
    broken = isolated_model_dirs / DEFAULT_MODEL_NAME / "am"
    broken.mkdir(parents=True)
    url = server.serve(MIRRORED, make_zip(model_entries()))
    with pytest.raises(ModelError, match=r"not a valid model \(missing .*--force"):
        run_model_download(download_args(url=url))
    assert run_model_download(download_args(url=url, force=True)) == 0
    assert tree(isolated_model_dirs / DEFAULT_MODEL_NAME) == MODEL_FILES


def test_cli_download_checks_a_given_checksum(server, isolated_model_dirs):
    url = server.serve(MIRRORED, make_zip(model_entries()))
    with pytest.raises(ModelError, match="sha256"):
        run_model_download(download_args(url=url, sha256="ab" * 32))
    assert not isolated_model_dirs.exists()


def test_cli_download_of_an_unknown_model_is_a_usage_error(server):
    with pytest.raises(UsageError, match="no known model called 'nope'"):
        run_model_download(download_args(name="nope"))
    assert server.requests == []


def test_cli_download_uses_the_catalog_pins_without_a_url(monkeypatch, isolated_model_dirs):
    seen: list[DownloadRequest] = []

    def fake_install(req: DownloadRequest, progress: object) -> Path:
        seen.append(req)
        raise ModelError("stop here")

    monkeypatch.setattr(download, "install_model", fake_install)  # imported when it runs
    with pytest.raises(ModelError, match="stop here"):
        run_model_download(download_args())
    spec = model_store.default_spec()
    assert seen == [
        DownloadRequest(spec.name, spec.url, isolated_model_dirs, spec.size, spec.sha256)
    ]


def test_the_progress_bar_draws_on_a_terminal_and_counts_anyway():
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal, pipe = Terminal(), io.StringIO()
    for stream in (terminal, pipe):
        bar = ProgressBar(stream, "model")
        for done in (0, 1024, 4096):
            bar(done, 4096)
        bar.close()
        assert bar.received == 4096
    assert "model" in terminal.getvalue() and "4.00k" in terminal.getvalue()
    assert pipe.getvalue() == ""


# --- through the command line -----------------------------------------------------------


def test_main_downloads_a_model(server, tmp_path, capsys):
    url = server.serve(MIRRORED, make_zip(model_entries()))
    code = main(["model", "download", "mine", "--url", url, "--dir", str(tmp_path / "d")])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert tree(tmp_path / "d" / "mine") == MODEL_FILES
    assert out.startswith(f"installed mine in {tmp_path / 'd' / 'mine'}")


def test_main_reports_a_network_error_as_one_line(server, tmp_path, capsys):
    url = server.url("/missing.zip")
    code = main(["model", "download", "--url", url, "--dir", str(tmp_path / "d")])
    err_lines = capsys.readouterr().err.splitlines()
    assert code == 1
    assert err_lines[-1].startswith(f"voicecare: could not download {url}: HTTP 404")
    assert not any("Traceback" in line for line in err_lines)
    assert not (tmp_path / "d").exists()


def test_main_interrupted_mid_download_leaves_nothing(server, dest, monkeypatch, capsys):
    body = make_zip({f"{NAME}/am/final.mdl": bytes(range(256)) * 4096}, zipfile.ZIP_STORED)
    url = server.serve("/big.zip", body)

    def interrupt(self: ProgressBar, received: int, total: int | None) -> None:
        if received:
            raise KeyboardInterrupt

    monkeypatch.setattr(ProgressBar, "__call__", interrupt)
    code = main(["model", "download", "--url", url, "--dir", str(dest)])
    assert code == 130
    assert capsys.readouterr().err.splitlines()[-1] == "voicecare: interrupted"
    assert list(dest.iterdir()) == []
