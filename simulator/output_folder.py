"""Output folders: one writer at a time, only the tool's own files touched, all or nothing.

Layer: ground (file-system helpers; nothing of the model).

Every command that writes into a folder ``DIR`` (``run``, ``sweep``, ``compare``,
``plot-sweep``, ``sensitivity``, ``calibrate``) opens it with :func:`open_folder`:

- **One writer.** ``DIR/.stockpile.lock`` holds a POSIX record lock for as long as the
  command runs, with the holder's PID and host written in it. A second command refuses
  (exit 2) and names the holder. The operating system drops the lock when its process
  ends, however it ends, so a lock file left by a killed command (its PID dead) is
  simply taken over. A file of that name holding anything but a holder's line
  (:data:`LOCK_TEXT`) is the user's: refused (exit 2), never written or removed.
- **Ownership.** ``DIR/manifest.json`` lists the files the tool wrote there. A command
  overwrites or deletes only those; a file it would overwrite that the manifest does not
  list (the user's own ``report.html``, say) makes it refuse before any work (exit 2),
  unless forced. A page a single-file command wrote there (``report -o DIR/report.html``)
  is the tool's too, known by its mark (:func:`is_page`): a command writing that name
  replaces it (and lists it); one that does not write it leaves it, unlisted, as it
  leaves every other file. Other files are never touched. Nor are the command's own
  inputs (its scenario, ``--record``, ``--compare``, ``--explorer``, ``--spec``) when they sit in the
  folder under a name it writes or the manifest lists: refused (exit 2) before any
  work, forced or not, as the single files are (:func:`refuse_inputs`).
- **One command's output.** The manifest records the command that wrote the folder
  (``command``). Another command refuses (exit 2) to replace that output, naming the
  command, unless forced (a run's report and workbook as much as a sweep's table). A
  manifest of an earlier version, without ``command``, refuses no command. A sweep also
  refuses a finished sweep of another study (:func:`simulator.sweep.refuse_other_study`).
- **All or nothing.** Files are staged in a hidden folder inside ``DIR`` (same device, so
  every move is an atomic rename, and nothing is written next to ``DIR``) and moved in
  only when all are complete. The files of the earlier output that the new one does not
  write are then removed (``run`` names them: :func:`removed_note`), and the manifest
  lists exactly the new output. While the files move, the manifest lists the old and the
  new ones, so even a command killed halfway
  leaves no file the next one would not recognise as the tool's. Before any file moves,
  every target is checked: a folder where a file goes (``summary.csv/``) is refused
  (exit 2, naming it) with the folder as it was. A move that still fails (the system
  refuses one file) puts back the files already moved and the manifest (each replaced
  file keeps a second name, a hard link, until all are in) and names the file (exit 2).
  A staging folder is the tool's only while it holds :data:`STAGE_MARK` (as ``.chunks``
  holds its ``fingerprint``): anything else of a staging folder's name is the user's,
  never removed; new staging folders take fresh names beside it (:func:`is_stage`).

Single pages (``report -o FILE``, ``explore -o FILE``) are not written into a folder a
command is writing (:func:`refuse_if_written`).
"""

from __future__ import annotations

import datetime as dt
import errno
import fcntl
import json
import os
import re
import shutil
import socket
import stat
import tempfile
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from simulator.errors import InputError, Problem, first_and_more, plain, setting
from simulator.interrupt import shielded, stop_if_signalled
from simulator.json_text import read_json
from simulator.version import __version__

MANIFEST = "manifest.json"
LOCK_FILE = ".stockpile.lock"
LOCK_TEXT = re.compile(rb"PID [0-9]+ on [^\n]*\n")
"""What a lock file holds once a command has locked it (its holder); an empty one is being made or was left so."""
STAGE_PREFIX = ".stockpile-stage-"
STAGE_MARK = ".stockpile-stage"
"""The file inside each staging folder that says stockpile made it (as ``.chunks`` holds ``fingerprint``)."""
STAGE_MARK_TEXT = "a staging folder of stockpile, removed when its command ends\n"
PACKAGE = "stockpile-simulator"

NAME_MAX_BYTES = 255
"""The longest name of a file or folder the usual file systems take (Linux's and macOS's NAME_MAX)."""

_held: set[Path] = set()
"""Folders whose lock this process holds (a POSIX lock does not stop its own process)."""


def unwritable(folder: Path, exc: OSError) -> InputError:
    """The error for an output folder that could not be created or written.

    A file where the folder (or one of its parents) should be is named as such, rather
    than as the system's "File exists" or "Not a directory"; a folder whose file system
    takes no new entries, as :func:`create_failed` says.
    """
    for path in [folder, *folder.parents]:
        if _is_file(path):
            reason = "it is a file, not a folder" if path == folder else f"{path} is a file, not a folder"
            break
    else:
        reason = create_failed(exc)
    return InputError(f"cannot write to output folder: {reason}", str(folder))


def create_failed(exc: OSError, what: str | None = None) -> str:
    """Why creating a file or folder failed: the system's words, unless they name the wrong cause.

    Creating an entry in a folder that exists but whose file system takes none (``/proc``,
    ``/sys``) fails with "No such file or directory", though nothing named is missing: the
    reason then says which entry could not be made in which folder. ``what``: that entry in
    words ("a file" for a temporary file's random name); by default its name.
    """
    name = exc.filename
    if exc.errno in _REFUSED and isinstance(name, str | bytes | os.PathLike):
        made = Path(os.fsdecode(name))
        if made.parent.is_dir():  # the folder is there: the entry could not be made in it
            return f"cannot create {what or made.name} in {made.parent}: {_why_refused(exc, made.parent)}"
    return exc.strerror or str(exc)


_REFUSED = (errno.ENOENT, errno.EPERM, errno.EACCES, errno.EROFS)
"""Errors of creating an entry in a folder that exists, which :func:`create_failed` says in its own words."""
SYSTEM_FOLDERS = ("/proc", "/sys")
"""Folders of the kernel's own file systems, which take no new files or folders (on Linux; root included)."""
_NO_NEW_ENTRIES = "that folder's file system takes no new files or folders (a system folder such as /proc or /sys)"


def _why_refused(exc: OSError, folder: Path) -> str:
    """Why an entry could not be made in ``folder``, which exists: a system folder, no permission, read-only.

    ``/proc`` refuses with "No such file or directory" and ``/sys`` with "Operation not permitted"
    (as root too): both are said as the system folder they are, in the same words.
    """
    real = os.path.realpath(folder)
    if exc.errno == errno.ENOENT or any(real == top or real.startswith(top + "/") for top in SYSTEM_FOLDERS):
        return _NO_NEW_ENTRIES
    if exc.errno == errno.EROFS:
        return "its file system is read-only"
    return f"no permission to write in that folder ({exc.strerror})"


WRITE_CHECK_PREFIX = ".write-check-"
"""Name prefix of the temporary file a write check makes (and removes) in the folder it checks."""


def check_file_writable(path: Path) -> None:
    """Fail early (exit 2) when the file ``path`` (a report, ``--junit``) could not be written; leave nothing behind.

    Its folder is made and a temporary file written there, then both removed (:func:`probe_writable`);
    the error names the file given: ``/proc/x.xml: cannot write this file: cannot create x.xml in
    /proc: ...``. Nothing is left behind on a signal either, but only while the command's handlers
    are in place (:func:`simulator.interrupt.interruptible`, as every CLI command that writes calls
    it): the check then holds SIGINT and SIGTERM back until its file and the folders it made are
    gone. Under the Python API no handler is installed, so a Ctrl-C there is Python's own
    KeyboardInterrupt, raised at once: the check's file or folders may stay (best effort).
    """
    try:
        probe_writable(path.parent)
    except OSError as exc:
        raise unwritable_file(path, exc) from None


def probe_writable(folder: Path) -> None:
    """Create ``folder`` and a temporary file in it, then remove both; raise the OSError of a step that fails.

    A signal cannot leave the file or the folders made behind (:func:`simulator.interrupt.shielded`).
    """
    with shielded():
        created = create_folders(folder)
        try:
            with tempfile.NamedTemporaryFile(dir=folder, prefix=WRITE_CHECK_PREFIX):
                pass
        finally:
            remove_created(created)


def unwritable_file(path: Path, exc: OSError) -> InputError:
    """The error for a file that could not be written: the file given named, and why (:func:`unwritable`'s words)."""
    for parent in path.parents:
        if _is_file(parent):
            return InputError(f"cannot write this file: {parent} is a file, not a folder", str(path))
    return InputError(f"cannot write this file: {create_failed(exc, _made(exc, path))}", str(path))


def _made(exc: OSError, path: Path) -> str | None:
    """The entry that could not be made, for :func:`create_failed`: ``path``'s name, or None (the error's own).

    The file's own name where what failed was made beside it (its temporary file), else None:
    a folder on its way failed, which the error names.
    """
    name = exc.filename
    beside = isinstance(name, str | bytes | os.PathLike) and Path(os.fsdecode(name)).parent == path.parent
    return path.name if beside else None


def _is_file(path: Path) -> bool:
    """Whether something other than a folder is at ``path`` (False where it cannot be looked up: a name too long)."""
    try:
        return path.exists() and not path.is_dir()
    except OSError:
        return False


def create_folders(folder: Path) -> list[Path]:
    """Create ``folder`` and its missing parents; return the folders created, innermost last.

    If one cannot be made (a name too long, no permission), those already made are
    removed again before the error is raised.
    """
    created: list[Path] = []
    try:
        for path in [*reversed(folder.parents), folder]:
            if not path.is_dir():
                if os.path.lexists(path):  # mkdir would say only "File exists"
                    what = "a symbolic link to nothing" if not path.exists() else "a file"
                    raise NotADirectoryError(errno.ENOTDIR, f"{path} is {what}, not a folder")
                path.mkdir()
                created.append(path)
    except OSError:
        remove_created(created)
        raise
    return created


def remove_created(created: list[Path]) -> None:
    """Remove the folders :func:`create_folders` made, innermost first, as far as they are empty."""
    for path in reversed(created):
        try:
            path.rmdir()
        except OSError:
            break


class FolderLock:
    """The lock that makes a command the folder's only writer (see the module docstring)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.path = folder / LOCK_FILE
        self.fd: int | None = None

    def acquire(self) -> None:
        """Take the lock, or raise :class:`InputError` naming the command that holds it."""
        key = self.folder.resolve()
        if key in _held:
            raise InputError("this process is already writing this folder", str(self.folder))
        while True:
            try:  # never through a link: its target is not the tool's to write
                fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o644)
            except OSError as exc:
                if exc.errno != errno.ELOOP:
                    raise
                raise InputError(
                    f"{self.path.name} is a symbolic link; stockpile does not write through it: remove it",
                    str(self.folder),
                ) from None
            found = os.fstat(fd)
            if not stat.S_ISREG(found.st_mode) or found.st_nlink > 1:  # a hard link is another name of a user's file
                os.close(fd)
                raise InputError(
                    f"{self.path.name} is not a file of its own (a link or a special file); remove it",
                    str(self.folder),
                )
            held = os.pread(fd, 4096, 0)
            if held and not LOCK_TEXT.fullmatch(held):  # not a lock stockpile wrote: a file of the user's
                os.close(fd)
                raise InputError(
                    [
                        Problem(
                            self.path.name,
                            "exists and is not a lock file stockpile wrote (one holds only 'PID <number> on "
                            "<host>'), so stockpile does not write or remove it; move it or choose another folder",
                        )
                    ],
                    str(self.folder),
                )
            try:
                _lock_soon(fd)
            except OSError as exc:
                busy = _busy_error(fd, self.folder)
                os.close(fd)
                if exc.errno not in (errno.EACCES, errno.EAGAIN):
                    raise
                raise busy from None
            try:
                same = os.fstat(fd).st_ino == os.stat(self.path).st_ino
            except FileNotFoundError:
                same = False
            if same:
                break
            os.close(fd)  # the previous holder removed the file as we opened it: lock the new one
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"PID {os.getpid()} on {socket.gethostname()}\n".encode(), 0)
        self.fd = fd
        _held.add(key)

    def release(self) -> None:
        """Remove the lock file and drop the lock."""
        if self.fd is None:
            return
        self.path.unlink(missing_ok=True)
        os.close(self.fd)
        self.fd = None
        _held.discard(self.folder.resolve())


LOCK_TRIES = 5
"""Times an output folder's lock is tried, :data:`LOCK_RETRY_S` apart, before the folder counts as taken."""
LOCK_RETRY_S = 0.01
"""A page checking the lock (:func:`refuse_if_written`) holds a shared lock on it for microseconds."""


def _lock_soon(fd: int) -> None:
    """Take the exclusive lock on ``fd``, trying again briefly while it is held; raise the last refusal."""
    for attempt in range(LOCK_TRIES):
        try:
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except OSError as exc:
            if exc.errno not in (errno.EACCES, errno.EAGAIN) or attempt == LOCK_TRIES - 1:
                raise
            time.sleep(LOCK_RETRY_S)


def _busy_error(fd: int, folder: Path) -> InputError:
    """The error for ``folder``, which the command named in its lock file (open as ``fd``) is writing."""
    holder = plain(os.pread(fd, 80, 0).decode(errors="replace"), one_line=True).strip() or "a process that is starting"
    return InputError(
        f"another stockpile command ({holder}) is writing this folder; wait for it to finish or choose another folder",
        str(folder),
    )


def refuse_if_written(folder: Path) -> None:
    """Raise :class:`InputError` (exit 2, naming the holder) if a stockpile command is writing ``folder`` now.

    For a single page (``report -o FILE``, ``explore -o FILE``), checked before its runs
    and again just before it is written: a folder command holds the folder's lock for as
    long as it runs. The lock file is only read, never created or removed, so a page
    written into any folder (a shared ``/tmp``, the working folder) leaves nothing there
    and needs no right to write another user's lock file; a lock file a killed command
    left holds no lock and refuses nothing.
    """
    if folder.resolve() in _held:  # this process writes it (and closing a second handle would drop its lock)
        return
    try:
        fd = os.open(folder / LOCK_FILE, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return  # no lock file, so no command writing; or one that is not a lock to read
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return
        try:
            fcntl.lockf(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno not in (errno.EACCES, errno.EAGAIN):
                raise
            raise _busy_error(fd, folder) from None
    finally:
        os.close(fd)


def _plain_name(name: Any) -> bool:
    return isinstance(name, str) and name not in ("", ".", "..") and "/" not in name and "\0" not in name


MANIFEST_IS_FOLDER = "is a folder"
"""The fault of a ``manifest.json`` that is a folder: ``--force`` cannot replace it either."""


def read_manifest(folder: Path) -> dict[str, Any] | None:
    """The folder's manifest, or ``None`` when it has none that this tool wrote (see :func:`_manifest`)."""
    return _manifest(folder)[0]


def _manifest(folder: Path) -> tuple[dict[str, Any] | None, str | None]:
    """The folder's manifest and ``None``, or ``None`` and why there is none this tool wrote (``None, None``: none).

    A manifest counts only when it is a regular file (not a link, not a folder) holding a
    JSON object that names this package and lists plain file names (no folders, no paths):
    nothing outside the folder can be claimed. Otherwise the fault says why: it is a link
    or a folder, cannot be read, is not valid JSON (line and column), is not stockpile's,
    or lists a name that is not a plain file name in the folder (a forged ``../outside.txt``).
    """
    path = folder / MANIFEST
    try:
        found = os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):
        return None, None
    except OSError as exc:
        return None, f"cannot be read ({exc.strerror or exc})"
    if stat.S_ISLNK(found.st_mode):
        return None, "is a symbolic link (stockpile writes its manifest as a file)"
    if stat.S_ISDIR(found.st_mode):
        return None, MANIFEST_IS_FOLDER
    if not stat.S_ISREG(found.st_mode):
        return None, "is not a regular file"
    try:
        data = read_json(path.read_bytes().decode("utf-8"))
    except UnicodeDecodeError:
        return None, "is not UTF-8 text"
    except json.JSONDecodeError as exc:
        return None, f"is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
    except OSError as exc:
        return None, f"cannot be read ({exc.strerror or exc})"
    except ValueError as exc:  # a number too long to convert, say, or lists nested too deeply (NestedTooDeeply)
        return None, f"is not valid JSON ({plain(str(exc), one_line=True)[:80]})"
    if not isinstance(data, dict) or data.get("package") != PACKAGE:
        return None, f"was not written by stockpile (it does not name the package {PACKAGE})"
    files = data.get("files")
    if not isinstance(files, list):
        return None, "lists no files (its 'files' is not a list)"
    bad = next((name for name in files if not _plain_name(name)), None)
    if bad is not None:
        shown = json.dumps(bad)[:80] if isinstance(bad, str) else f"a {type(bad).__name__}"
        return None, f"lists {plain(shown, one_line=True)}, which is not a plain file name in this folder"
    return data, None


class OutputFolder:
    """An output folder opened by :func:`open_folder`: locked, its owned files known."""

    def __init__(self, path: Path, force: bool, command: str | None = None, inputs: Iterable[Path | str] = ()) -> None:
        self.path = path
        self.force = force
        self.command = command
        """The command writing (``run``, ``sweep``...), recorded in the manifest; None records none."""
        self.inputs = tuple(inputs)
        """The files the command reads (its scenario, ``--record``...): never written or removed, forced or not."""
        self.manifest, self.fault = _manifest(path)
        """The manifest this tool wrote, or None and why the ``manifest.json`` there is not one (None: none there).

        The fault is said instead of "not listed in this folder's manifest.json" when a command
        would replace the file. Such a manifest claims nothing, so nothing is deleted by it."""
        self.commits = 0
        """How many staged outputs have been moved in whole (see :meth:`staged`)."""
        self.removed: list[str] = []
        """The earlier output's files removed because no commit wrote them again (sorted; :func:`removed_note`)."""

    @property
    def owned(self) -> frozenset[str]:
        """Files this tool wrote here, by the manifest (the manifest itself included)."""
        if self.manifest is None:
            return frozenset()
        return frozenset([*self.manifest["files"], MANIFEST])

    def refuse_other_command(self) -> None:
        """Raise :class:`InputError` (exit 2) if the folder holds another command's output (module docstring)."""
        if self.force or self.command is None or self.manifest is None or "command" not in self.manifest:
            return  # a manifest of an earlier version names no command
        earlier = self.manifest["command"]
        if earlier == self.command:
            return
        a_name = isinstance(earlier, str) and re.fullmatch(r"[a-z][a-z-]{0,29}", earlier)
        named = f"stockpile {earlier}" if a_name else "another command"  # not a name to print as it is
        raise InputError(
            f"holds the output of {named} (so says its manifest.json), which stockpile {self.command} would "
            f"replace: choose another output folder, or pass {setting('force')} to replace it",
            str(self.path),
        )

    def refuse_inputs_in(self, names: Iterable[str]) -> None:
        """Raise :class:`InputError` (exit 2) if a file the command may write or remove here is one of its inputs.

        Those are ``names``, the manifest and every file it lists (an earlier output's file
        that the new one does not write is removed). The rule is :func:`refuse_inputs`, the
        single files' own; ``--force`` does not override it: it is about files not the
        tool's, never the command's own inputs. Deliberately conservative: a link at one of
        these names (symbolic or hard) to an input elsewhere is refused too, the same file by
        another name, though writing would replace only the name and keep the input.
        """
        for name in sorted({*names, MANIFEST, *self.owned}):
            refuse_inputs(self.path / name, self.inputs, "folder")

    def refuse_foreign(self, names: Iterable[str]) -> None:
        """Raise :class:`InputError` (exit 2) if writing ``names`` would overwrite a file not ours.

        Ours: a file the manifest lists, or a page stockpile wrote by ``report -o FILE`` or
        ``explore -o FILE`` (:func:`is_page`), which no manifest lists (such a command
        writes only its page, leaving nothing else in the folder).
        """
        if self.force:
            return
        foreign = sorted(
            n
            for n in {*names, MANIFEST}
            if os.path.lexists(self.path / n) and n not in self.owned and not is_page(self.path / n)
        )
        if foreign:
            why = "not listed in this folder's manifest.json, so not written by stockpile"
            advice = f"move it, choose another folder, or pass {setting('force')} to overwrite it"
            fault = self.fault if MANIFEST in foreign else None
            if fault == MANIFEST_IS_FOLDER:  # --force would only meet a folder where the manifest goes
                fault_advice = "remove or rename it, or choose another folder (the folder is left as it was)"
            else:
                fault_advice = advice
            raise InputError(
                [
                    Problem(
                        name,
                        f"{fault}, so stockpile cannot tell which files here are its own and touches none; "
                        f"{fault_advice}"
                        if name == MANIFEST and fault is not None
                        else f"exists and is {why}; {advice}",
                    )
                    for name in foreign
                ],
                str(self.path),
            )

    @contextmanager
    def staged(self, info: dict[str, Any] | None = None, replaces: Iterable[str] = ()) -> Iterator[Path]:
        """A staging folder whose files move into the folder when the block succeeds.

        With ``info`` the new files replace the folder's earlier output: files the
        manifest listed that the block did not write are removed, and the new manifest
        is ``info`` plus the list of files. Without it the files are added to the current
        output (figures drawn after a table) and the manifest lists both; of the names in
        ``replaces`` (figures drawn again), those the manifest listed that the block did
        not write are removed.
        """
        stage: Path | None = None
        try:
            with shielded():  # made and remembered in one step, so the finally removes it
                stage = make_stage(self.path)
            yield stage
            stop_if_signalled()  # a signal that came while the files were made: none moves in
            with shielded():
                self._commit(stage, info, frozenset(replaces))
        except OSError as exc:
            raise InputError(f"cannot write outputs: {exc.strerror or exc}", str(self.path)) from None
        finally:
            if stage is not None:
                with shielded():
                    shutil.rmtree(stage, ignore_errors=True)

    def _commit(self, stage: Path, info: dict[str, Any] | None, replaces: frozenset[str]) -> None:
        written = sorted(p.name for p in stage.iterdir() if p.name not in (MANIFEST, STAGE_MARK))
        self.refuse_inputs_in(written)
        self.refuse_foreign(written)
        self._refuse_blocked([*written, MANIFEST])
        owned = self.owned
        base = info if info is not None else (self.manifest or manifest_info())
        if info is not None and self.command is not None:  # after the version, before what the command adds
            base = {"package": base["package"], "version": base["version"], "command": self.command, **base}
        files = sorted({*written, MANIFEST} if info is not None else {*(owned - replaces), *written, MANIFEST})
        kept = stage / f"{STAGE_PREFIX}replaced"  # a second name of each file replaced, until all are in
        kept.mkdir()
        earlier = self.manifest, self.fault
        moved: list[str] = []
        name = MANIFEST
        try:
            for name in [MANIFEST, *written]:
                if os.path.lexists(self.path / name):
                    with suppress(OSError):  # a file system without hard links: no way back for it
                        os.link(self.path / name, kept / name, follow_symlinks=False)
            name = MANIFEST
            if not set(written) <= owned:  # list the incoming files before any arrives
                self._write_manifest(stage, base, sorted({*owned, *files}))
            for name in written:
                os.replace(stage / name, self.path / name)
                moved.append(name)
        except OSError as exc:
            self._put_back(kept, [*moved, MANIFEST])
            self.manifest, self.fault = earlier
            raise InputError(
                [Problem(name, f"cannot be written ({exc.strerror or exc}); the folder is left as it was")],
                str(self.path),
            ) from None
        removed = set(self.removed) - set(written)  # a file removed by one commit and written by a later one stays
        for name in sorted(owned - set(files)):
            path = self.path / name
            if path.is_file() or path.is_symlink():
                path.unlink()
                removed.add(name)
        self.removed = sorted(removed)
        self._write_manifest(stage, base, files)
        self.commits += 1

    def _refuse_blocked(self, names: list[str]) -> None:
        """Raise :class:`InputError` (exit 2) naming each file whose place holds a folder, before any move."""
        blocked = [n for n in names if os.path.isdir(self.path / n) and not os.path.islink(self.path / n)]
        if blocked:
            why = "is a folder where stockpile writes a file; remove or rename it (the folder is left as it was)"
            raise InputError([Problem(name, why) for name in blocked], str(self.path))

    def _put_back(self, kept: Path, names: list[str]) -> None:
        """Undo a commit that failed halfway: each of ``names`` as it was (kept in ``kept``), or gone if new."""
        for name in reversed(names):
            with suppress(OSError):
                if os.path.lexists(kept / name):
                    os.replace(kept / name, self.path / name)
                elif os.path.lexists(self.path / name) and not os.path.isdir(self.path / name):
                    os.unlink(self.path / name)

    def _write_manifest(self, stage: Path, base: dict[str, Any], files: list[str]) -> None:
        manifest = {**base, "files": files}
        (stage / MANIFEST).write_text(json.dumps(manifest, indent=2, default=str) + "\n")
        os.replace(stage / MANIFEST, self.path / MANIFEST)
        self.manifest, self.fault = manifest, None


REMOVED_NAMED = 5
"""The most removed files :func:`removed_note` names; more are counted after the first ones."""


def removed_note(out: OutputFolder) -> str | None:
    """The note that the earlier output's files the command did not write were removed, or None (none were).

    ``results/x/: replaced the earlier output; removed its files this run does not write:
    fan_shortfall.png, uncertainty.csv``; past :data:`REMOVED_NAMED` names, the first ones
    and how many more (a run without ``--uncertainty`` into a folder that held one, say).
    """
    if not out.removed:
        return None
    shown = first_and_more((plain(name, one_line=True) for name in out.removed), REMOVED_NAMED)
    this = {"run": "this run", "sweep": "this sweep", None: "this command"}.get(out.command, f"stockpile {out.command}")
    return f"{out.path}/: replaced the earlier output; removed its files {this} does not write: {shown}"


def manifest_info(**info: Any) -> dict[str, Any]:
    """The body of a new manifest: package, its version, ``info``, time of writing (UTC)."""
    return {
        "package": PACKAGE,
        "version": __version__,
        **info,
        "written_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }


@contextmanager
def open_folder(
    folder: Path,
    may_write: Iterable[str],
    force: bool = False,
    command: str | None = None,
    inputs: Iterable[Path | str] = (),
) -> Iterator[OutputFolder]:
    """Lock ``folder`` (created if new) for writing; refuse before any work if not ours.

    ``may_write`` names every file the command may write: if one of them exists and
    the folder's manifest does not list it, :class:`InputError` (exit 2) is raised,
    unless ``force``. So it is if the manifest names a ``command`` other than
    ``command`` (:meth:`OutputFolder.refuse_other_command`), which the new manifest
    records. If one of the files it may write or remove is one of the command's
    ``inputs`` (its scenario, ``--record``, ``--compare``, ``--explorer``, ``--spec``: the same file by any
    name), it is refused first, forced or not (:meth:`OutputFolder.refuse_inputs_in`).
    Staging folders left by a killed command (marked: :func:`is_stage`) are removed. Folders this call
    created are removed again if the command leaves them empty.
    """
    with _locked(folder) as lock:
        try:
            _remove_stages(folder)
            out = OutputFolder(folder, force, command, inputs)
            out.refuse_inputs_in(may_write)
            out.refuse_other_command()
            out.refuse_foreign(may_write)
            yield out
        finally:
            with shielded():
                if lock.fd is not None:  # ours: a stage a signal left behind is removed too
                    _remove_stages(folder)


@contextmanager
def _locked(folder: Path) -> Iterator[FolderLock]:
    """``folder`` created if new and locked; unlocked, and the folders it created removed if empty, at the end."""
    created: list[Path] = []
    lock = FolderLock(folder)
    try:
        with shielded():  # created and locked in one step, so that the finally undoes both
            try:
                created = create_folders(folder)
                lock.acquire()
            except OSError as exc:
                raise unwritable(folder, exc) from None
        yield lock
    finally:
        with shielded():
            lock.release()
            remove_created(created)


def discard(path: Path) -> None:
    """Delete the folder ``path``: moved at once into a new staging folder beside it, then removed.

    A signal cannot leave half of it (a sweep's checkpoints without their marker, say): it
    waits for the move, and a staging folder left by a signal while it is removed is
    removed by the command's :func:`open_folder` as it ends, or by the next one. A
    missing ``path`` is nothing to do.
    """
    shutil.rmtree(set_aside(path), ignore_errors=True)


def set_aside(path: Path) -> Path:
    """Move the folder ``path`` at once into a new staging folder beside it; return the staging folder.

    It is deleted as :func:`discard` deletes it, when the command's :func:`open_folder`
    ends (or by the next command), unless :func:`put_back` returns it first.
    """
    with shielded():
        stage = make_stage(path.parent)
        with suppress(FileNotFoundError):
            os.rename(path, stage / path.name)
    return stage


def put_back(stage: Path, path: Path) -> None:
    """Return a folder :func:`set_aside` moved to ``stage`` to ``path`` (which must not exist)."""
    with shielded():
        with suppress(FileNotFoundError):
            os.rename(stage / path.name, path)
        shutil.rmtree(stage, ignore_errors=True)


def make_stage(parent: Path) -> Path:
    """A new staging folder in ``parent`` (a fresh name), marked as stockpile's by :data:`STAGE_MARK` in it."""
    stage = Path(tempfile.mkdtemp(dir=parent, prefix=STAGE_PREFIX))
    try:
        (stage / STAGE_MARK).write_text(STAGE_MARK_TEXT, encoding="utf-8")
    except OSError:
        shutil.rmtree(stage, ignore_errors=True)
        raise
    return stage


def is_stage(path: Path) -> bool:
    """Whether ``path`` is a staging folder stockpile made: a folder (not a link) holding its :data:`STAGE_MARK`.

    Anything else of a staging folder's name (a user's ``.stockpile-stage-mine``) is not
    stockpile's: it is never removed, and new staging folders take fresh names beside it.
    """
    mark = path / STAGE_MARK
    try:
        if path.is_symlink() or not path.is_dir() or mark.is_symlink() or not mark.is_file():
            return False
        return mark.read_text(encoding="utf-8") == STAGE_MARK_TEXT
    except (OSError, ValueError):
        return False


def _remove_stages(folder: Path) -> None:
    """Remove the staging folders stockpile made in ``folder`` (only while holding its lock; see :func:`is_stage`).

    An EMPTY folder of a staging folder's name goes too, marked or not (one a command killed
    between making it and marking it left, or an older version's): removing it loses nothing.
    """
    with shielded():
        for stale in folder.glob(f"{STAGE_PREFIX}*"):
            if is_stage(stale):
                shutil.rmtree(stale, ignore_errors=True)
            elif not stale.is_symlink():
                with suppress(OSError):  # not empty, not a folder: the user's, kept
                    os.rmdir(stale)


def write_file(
    path: Path,
    text: str,
    inputs: Iterable[Path | str] = (),
    what: str = "",
    page: bool = False,
    mark: Mark | None = None,
) -> None:
    """Write ``text`` to the single file ``path`` (a report, a page, a JUnit file) whole or not at all.

    The text goes to a new temporary file beside ``path`` (a fresh name: never through a
    link left there) and is renamed into place. Refused with :class:`InputError` (exit 2),
    nothing written, when ``path`` is:

    - one of the command's ``inputs`` (the scenario being read, say);
    - not a regular file (a folder, a FIFO, a socket, a device such as ``/dev/null``);
    - for a ``page``, in a folder another stockpile command is writing (:func:`refuse_if_written`).

    The file named is the user's choice: an existing regular file there is replaced, as by
    ``cp``, unlike files in an output folder (:meth:`OutputFolder.refuse_foreign`); but a
    file with a ``mark`` (a page, :data:`PAGE`, or the check's JUnit report) replaces only a
    file stockpile wrote, which begins as stockpile writes it (:meth:`Mark.found_in`), never a
    scenario, another HTML or XML file, nor a file that merely quotes the mark. A ``page``
    (a report, an explorer) has the mark :data:`PAGE`.

    A link at ``path`` (to anything but an input) is replaced, its target left alone, unless
    ``path`` is a ``page``: stockpile writes no links, so a link there is the user's and is
    refused like a page without the mark (a JUnit report replaces a link, as docs/ci.md
    says). A regular file replaced keeps its permissions. A text that cannot be encoded as
    UTF-8 (a lone surrogate) is refused too. ``what`` names the file in messages
    ("the report": "cannot write the report: ...").
    """
    path = Path(path)
    mode = refuse_to_replace(path, inputs, page, mark)
    what = f" {what}" if what else ""
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError as exc:
        bad = text[exc.start : exc.end].encode("unicode_escape").decode("ascii")
        raise InputError(
            f"cannot write{what}: the text holds {bad}, which is not a character UTF-8 can hold", str(path)
        ) from None
    temporary: Path | None = None
    created: list[Path] = []
    try:
        created = create_folders(path.parent)
        fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        temporary = Path(name)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            os.fchmod(handle.fileno(), mode if mode is not None else 0o666 & ~_UMASK)
        stop_if_signalled()  # a signal that came while the text was made stops the command before it is in place
        os.replace(temporary, path)
    except BaseException as exc:  # a failure or an interruption: no stray temporary file, nor a folder made for it
        if temporary is not None:
            temporary.unlink(missing_ok=True)
        remove_created(created)
        if isinstance(exc, OSError):
            raise InputError(
                f"cannot write{what or ' this file'}: {create_failed(exc, _made(exc, path))}", str(path)
            ) from None
        raise


_UMASK = os.umask(0o022)
os.umask(_UMASK)
"""The process's file-creation mask, read once on import (reading it means setting it)."""


@dataclass(frozen=True)
class Mark:
    """How a single file stockpile writes is recognised, so that only such a file is replaced.

    Every such file begins with ``start`` (the exact bytes stockpile writes first) and, when
    ``text`` is given, holds it inside its ``section`` (after the first ``section[0]``, before
    any ``section[1]``), all within its first :data:`MARK_WITHIN_BYTES` bytes. A
    file that merely quotes the mark (a test, a Markdown note) does not begin so and is
    never replaced. ``kind`` says what the file is, in a refusal ("exists and is not a page
    stockpile wrote").
    """

    start: bytes
    kind: str
    text: bytes = b""
    section: tuple[bytes, bytes] = (b"", b"")

    def found_in(self, top: bytes) -> bool:
        """Whether ``top`` (a file's first bytes) is that of a file stockpile wrote."""
        if not top.startswith(self.start):
            return False
        if not self.text:
            return True
        opened, closed = self.section
        begin = top.find(opened)
        if begin < 0:
            return False
        inside = top[begin + len(opened) :]
        return self.text in inside.split(closed, 1)[0]  # before the section closes (if it does within the bytes read)


PAGE_MARK = b'<meta name="generator" content="stockpile'
"""What every HTML page stockpile writes holds in its ``<head>`` (the report's and the explorer's)."""
MARK_WITHIN_BYTES = 4096
"""Bytes from the start of a file in which a :class:`Mark` (:data:`PAGE_MARK`) is looked for."""
PAGE_HEAD = (
    b'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
    b'<meta name="viewport" content="width=device-width, initial-scale=1">\n' + PAGE_MARK
)
"""How every HTML page stockpile writes opens, byte for byte (the report's and the explorer's templates)."""
PAGE = Mark(b"<!DOCTYPE html>", "a page stockpile wrote", PAGE_MARK, (b"<head>", b"</head>"))
"""The mark of a report or an explorer page (``page=True``): ``<!DOCTYPE html>``, :data:`PAGE_MARK` in ``<head>``."""


def refuse_to_replace(
    path: Path, inputs: Iterable[Path | str], page: bool = False, mark: Mark | None = None
) -> int | None:
    """Raise :class:`InputError` if :func:`write_file` must not replace ``path`` (see there).

    Returns the permission bits of the regular file there (kept by the new file), else None.
    Commands call it before their work too, so a refusal costs no simulation. A ``page`` is
    also refused in a folder another stockpile command is writing (:func:`refuse_if_written`),
    and has the :data:`PAGE` ``mark``: a regular file there without the ``mark`` is refused,
    and so is a link (stockpile writes none).
    """
    mark = mark or (PAGE if page else None)
    if any(len(os.fsencode(part)) > NAME_MAX_BYTES for part in path.parts):  # no file can be named so: before any work
        raise InputError(f"cannot write: {os.strerror(errno.ENAMETOOLONG)}", str(path))
    if page:
        refuse_if_written(path.parent)
    try:
        found = os.lstat(path)
    except OSError:
        return None  # nothing there (or nothing reachable: the write itself will say why)
    refuse_inputs(path, inputs)
    if not (stat.S_ISREG(found.st_mode) or stat.S_ISLNK(found.st_mode)):
        raise InputError("exists and is not a regular file; stockpile writes only regular files", str(path))
    if mark is PAGE and stat.S_ISLNK(found.st_mode):  # stockpile writes no links: the user made this one
        raise InputError(
            f"is a link to {os.readlink(path)}, not {mark.kind}: remove the link or choose another name", str(path)
        )
    if mark is not None and stat.S_ISREG(found.st_mode) and not _marked(path, mark):
        raise InputError(
            f"exists and is not {mark.kind} (a scenario, another file): move it or choose another name", str(path)
        )
    return stat.S_IMODE(found.st_mode) if stat.S_ISREG(found.st_mode) else None


def is_page(path: Path) -> bool:
    """Whether ``path`` is a page stockpile wrote: a regular file (no link), ``*.html``, opening with :data:`PAGE_HEAD`.

    So a folder command knows as its own the page a single-file command (``report -o
    F/report.html``) wrote into its folder without listing it in a manifest. Stricter than
    the mark by which that command replaces its own pages (:data:`PAGE`, anywhere in
    ``<head>``): a user's HTML file, one quoting the mark in a comment or in its body, a
    link are not pages stockpile wrote; only a file opening as every page it writes does is.
    """
    if path.suffix != ".html":
        return False
    try:
        if not stat.S_ISREG(os.lstat(path).st_mode):
            return False
        with open(path, "rb") as handle:
            return handle.read(len(PAGE_HEAD)) == PAGE_HEAD
    except OSError:
        return False


def _marked(path: Path, mark: Mark) -> bool:
    """Whether the regular file ``path`` is one stockpile wrote (``mark`` at its top: :meth:`Mark.found_in`)."""
    try:
        with open(path, "rb") as handle:
            return mark.found_in(handle.read(MARK_WITHIN_BYTES))
    except OSError:
        return False


def refuse_inputs(path: Path, inputs: Iterable[Path | str], instead: str = "file") -> None:
    """Raise :class:`InputError` if ``path`` is one of the command's ``inputs`` (the same file by any name).

    ``instead``: where the advice says to write the output ("file"; "folder" for a file of an
    output folder, :meth:`OutputFolder.refuse_inputs_in`).
    """
    for given in inputs:
        with suppress(OSError):
            if os.path.samefile(path, given):
                raise InputError(f"is the input {given}; write the output to another {instead}", str(path))


APPENDABLE_SUFFIXES = (".md", ".markdown")
"""The names (any case) of the files a Markdown summary may be appended to (:func:`refuse_to_append`)."""


def refuse_to_append(path: Path, inputs: Iterable[Path | str], step_summary: str | None = None) -> None:
    """Raise :class:`InputError` if a Markdown summary must not be appended to ``path``.

    Appending keeps what is there, so the file need not be stockpile's; but only a Markdown
    file may be added to: one whose name ends in ``.md`` or ``.markdown`` (new or not), or the
    file ``step_summary`` names (``$GITHUB_STEP_SUMMARY``: GitHub creates it under a name of
    its own). The name is that of the file reached (through a link). Refused too: one of the
    ``inputs``, an existing file that is not a regular file (a folder, a FIFO, a device), and
    a link to a file in a folder that does not exist (the append could only fail, after the work).
    """
    real = Path(os.path.realpath(path))
    github = bool(step_summary) and os.path.realpath(str(step_summary)) == str(real)
    if not github and real.suffix.lower() not in APPENDABLE_SUFFIXES:
        shown = f" (a link to {real})" if real.name != Path(path).name else ""
        raise InputError(
            f"appends only to a Markdown file (a name ending in .md) or to the file "
            f"$GITHUB_STEP_SUMMARY names, never to another file{shown}: choose a .md file",
            str(path),
        )
    try:
        found = os.stat(real)
    except OSError:
        if os.path.islink(path) and not real.parent.is_dir():  # the append would fail after all the work
            raise InputError(
                f"is a link to {real}, in a folder that does not exist: create the folder or choose another file",
                str(path),
            ) from None
        return  # nothing there yet (or nothing reachable: the write itself will say why)
    refuse_inputs(path, inputs)
    if not stat.S_ISREG(found.st_mode):
        raise InputError("exists and is not a regular file; stockpile appends only to regular files", str(path))
