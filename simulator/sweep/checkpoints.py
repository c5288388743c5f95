"""Finished chunks of a sweep on disk, each checked before it is trusted.

Layer: studies (sweeps).

``DIR/.chunks/`` holds, per finished chunk ``N``: ``chunk-N.parquet`` (its rows of the
sweep table), ``curves-N.npz`` with ``--curves``, and last the receipt ``chunk-N.json``
(the chunk's identity, the SHA-256 of each of its files and the ``leg``: which process of the sweep
saved it, for ``sweep.json``'s ``legs``). The Parquet and ``.npz``
files also carry the identity inside them: the sweep's fingerprint, the chunk index and
its run range. A chunk counts as finished only if its receipt is there, its files hash
to the receipt's sums, the identities match this sweep and chunk, and its rows are
exactly the chunk's (point, run, seed); any other chunk (truncated, corrupted, copied
from another chunk or sweep) is deleted and computed again, never merged. Beside them,
``fingerprint`` names the sweep and ``made-by.json`` the version and code of stockpile
that ran it, the ``options`` of the command that started it and its ``legs`` so far, each
process that ran it (for the message that refuses to discard them, :func:`refuse_to_discard`,
and for ``sweep.json``).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import numpy as np

from simulator.errors import InputError, Problem, first_and_more, plain, setting
from simulator.json_text import read_json
from simulator.names import plural
from simulator.output_folder import discard, put_back, read_manifest, set_aside

if TYPE_CHECKING:  # pandas and Parquet are imported where a chunk is saved or read
    import pandas as pd

    from simulator.sweep.runner import ChunkResult, Sweep

CHUNK_DIR = ".chunks"
MARKER = "fingerprint"
MADE_BY = "made-by.json"
"""The version and code of stockpile that made the checkpoints (for messages: older ones have none)."""
IDENTITY_KEY = b"stockpile.chunk"
IDENTITY_ARRAY = "__chunk__"
ROW_KEYS = ["point", "run", "seed"]
RECEIPT = re.compile(r"chunk-(\d{6,})\.json")
OWN_FILE = re.compile(r"chunk-\d{6,}\.(parquet|json)|curves-\d{6,}\.npz|\.tmp-.*")
"""The names of the files a sweep writes in ``DIR/.chunks`` besides :data:`MARKER` and :data:`MADE_BY`."""


def foreign_entries(chunks_folder: Path) -> list[str]:
    """What ``DIR/.chunks`` holds that a sweep does not write there: folders, and files of other names (sorted).

    The sweep deletes its checkpoint folder once the table is final: anything else in it
    (a user's notes) would be deleted with it.
    """
    return sorted(
        p.name
        for p in chunks_folder.iterdir()
        if not p.is_file() or not (p.name in (MARKER, MADE_BY) or OWN_FILE.fullmatch(p.name))
    )


def _refuse_foreign(chunks_folder: Path, folder: Path) -> None:
    """Raise :class:`InputError` (exit 2) naming each entry of ``chunks_folder`` a sweep does not write there."""
    strange = foreign_entries(chunks_folder)
    if strange:
        raise InputError(
            [
                Problem(
                    f"{CHUNK_DIR}/{name}",
                    ("is not a file" if not (chunks_folder / name).is_file() else "is not a checkpoint file")
                    + "; the sweep keeps only its checkpoint files there (and deletes them when it ends): "
                    "move it elsewhere and run the same command again",
                )
                for name in strange
            ],
            str(folder),
        )


class ChunkDamaged(Exception):
    """A chunk that fails one of its checks."""

    def __init__(self, index: int, problem: str) -> None:
        super().__init__(f"chunk {index}: {problem}")
        self.index = index


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def count_finished(folder: Path) -> int:
    """Chunks with a receipt in the checkpoint folder ``folder`` (for messages)."""
    if not folder.is_dir():
        return 0
    return sum(1 for path in folder.iterdir() if RECEIPT.fullmatch(path.name))


def finished_of(folder: Path, fingerprint: str) -> tuple[int, int]:
    """Chunks of the sweep ``fingerprint`` in the checkpoint folder ``folder``, and their runs.

    Cheap, for a message: a chunk counts if its receipt reads as that sweep's chunk of
    that index and every file it lists is there; the files are not read (their checksums
    are checked when that sweep resumes).
    """
    chunks = runs = 0
    for path in folder.iterdir():
        if not (match := RECEIPT.fullmatch(path.name)):
            continue
        try:
            receipt = read_json(path.read_bytes())
            sums, n_runs = receipt["sha256"], receipt["runs"]
            ours = receipt["fingerprint"] == fingerprint and receipt["chunk"] == int(match.group(1))
            present = all((folder / name).is_file() for name in sums) and f"chunk-{match.group(1)}.parquet" in sums
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            continue
        if ours and present and isinstance(n_runs, int) and n_runs > 0:
            chunks, runs = chunks + 1, runs + n_runs
    return chunks, runs


def _stored_made_by(chunks_folder: Path) -> dict[str, Any] | None:
    """What ``made-by.json`` of the sweep being resumed records (None where it cannot be read as an object)."""
    try:
        stored = read_json((chunks_folder / MADE_BY).read_bytes())
    except (OSError, ValueError):
        return None
    return stored if isinstance(stored, dict) else None


def _earlier_legs(chunks_folder: Path, stored: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The legs of the sweep being resumed, from ``stored`` (its ``made-by.json``, None: unreadable).

    Where ``made-by.json`` cannot be read, its chunks' receipts still name the legs that saved them
    (``leg``, an index): each leg up to the highest named is kept as :data:`UNKNOWN_LEG`, so that this
    process's leg is numbered after them rather than taking an earlier leg's number (and its chunks).
    """
    if stored is None:
        named = [_receipt_leg(path) for path in chunks_folder.glob("chunk-*.json")]
        return [dict(UNKNOWN_LEG) for _ in range(max((n + 1 for n in named if n is not None), default=0))]
    legs = stored.get("legs")
    return [leg for leg in legs if isinstance(leg, dict)] if isinstance(legs, list) else []


UNKNOWN_LEG: dict[str, Any] = {"backend": None, "workers_requested": None, "workers": None}
"""A leg that saved chunks of a resumed sweep whose ``made-by.json`` could not be read: how it ran is not known."""


def _receipt_leg(path: Path) -> int | None:
    """The leg a chunk's receipt names (None: none, or the receipt cannot be read)."""
    try:
        leg = read_json(path.read_bytes()).get("leg")
    except (OSError, ValueError, AttributeError):
        return None
    return leg if isinstance(leg, int) and not isinstance(leg, bool) and leg >= 0 else None


OPTION_WIDTH = 60
"""The most characters of one option's value a refusal shows (a long grid is cut short)."""


def options_apart(theirs: Any, ours: dict[str, Any]) -> list[str]:
    """Each option of :meth:`~simulator.sweep.runner.Sweep.options` that differs, as ``name old -> new``.

    ``theirs``: the options ``made-by.json`` records (anything else, from an older stockpile: none differ).

    >>> options_apart({"runs": 6, "chunk_runs": 10, "seed": 1}, {"runs": 6, "chunk_runs": 20, "seed": 1})
    ['chunk_runs 10 -> 20']
    """
    if not isinstance(theirs, dict):
        return []

    def shown(value: Any) -> str:
        text = plain(json.dumps(value, default=str), one_line=True)
        return text if len(text) <= OPTION_WIDTH else text[: OPTION_WIDTH - 3] + "..."

    return [
        f"{plain(str(name), one_line=True)} {shown(theirs.get(name))} -> {shown(ours.get(name))}"
        for name in [*ours, *(name for name in theirs if name not in ours)]
        if theirs.get(name) != ours.get(name)
    ]


def refuse_to_discard(folder: Path, sweep: Sweep) -> None:
    """Raise :class:`InputError` (exit 2) if ``DIR/.chunks`` holds finished chunks of another sweep.

    This sweep would discard them (:class:`Checkpoints`): refused unless forced. Run first,
    before any other refusal of the folder, so that a ``--force`` given for another reason
    never discards them unannounced.
    """
    chunks_folder = folder / CHUNK_DIR
    marker = chunks_folder / MARKER
    if chunks_folder.is_symlink() or not marker.is_file():
        return
    other = marker.read_text()
    if other == sweep.fingerprint():
        return
    chunks, runs = finished_of(chunks_folder, other)
    if not chunks:
        return
    try:
        theirs = read_json((chunks_folder / MADE_BY).read_bytes())
        version, code = (plain(theirs[key], one_line=True)[:40] for key in ("version", "code"))  # one short line
    except (OSError, ValueError, KeyError, TypeError):  # made by an older stockpile, or damaged
        whose, resume = "another sweep", "run the command that started it again (with the same stockpile)"
    else:
        ours = sweep.made_by()
        if code == ours["code"]:
            apart = options_apart(theirs.get("options"), sweep.options())
            whose = f"another sweep ({'; '.join(apart)})" if apart else "another sweep"
            resume = "run the command that started it again"
            if "options" in theirs:
                resume += f" (its options are in {CHUNK_DIR}/{MADE_BY})"
        else:
            whose = (
                f"a sweep run by other stockpile code ({version}, code {code}; this is "
                f"{ours['version']}, code {ours['code']})"
            )
            resume = "run it again with that code"
    held, them = f"{plural(chunks, 'finished chunk')} ({plural(runs, 'run', ',')})", "it" if chunks == 1 else "them"
    raise InputError(
        f"{CHUNK_DIR}: holds {held} of {whose}, which this sweep "
        f"would discard: to resume that sweep, {resume}; to discard {them} and run this sweep, "
        f"pass {setting('force')}",
        str(folder),
    )


def _not_ours(chunks_folder: Path, folder: Path, a_folder: bool) -> str:
    """Why a ``.chunks`` without a fingerprint is refused, and what to do (``a_folder``: it is a folder).

    One that a sweep's output folder holds is most likely what an earlier sweep kept for a
    file of the user's (:meth:`Checkpoints.remove`, whose note said to move the file out and
    delete ``.chunks``): the message names the file and says that step again. Either way the
    sweep deletes nothing in it: the files are not its own.
    """
    if not a_folder:
        return f"{CHUNK_DIR}: exists and was not made by stockpile; move it or choose another folder"
    held = foreign_entries(chunks_folder) or sorted(p.name for p in chunks_folder.iterdir())
    names = first_and_more((plain(name, one_line=True) for name in held), 5)
    manifest = read_manifest(folder)
    if manifest is not None and manifest.get("command") == "sweep":
        them = "it" if len(held) == 1 else "them"
        return (
            f"{CHUNK_DIR}: kept by an earlier sweep into this folder for {names}, which it did not write (the sweep "
            f"deletes nothing it did not write): move {them} out of {CHUNK_DIR} and delete {CHUNK_DIR}, then run "
            "the same command again"
        )
    return f"{CHUNK_DIR}: exists and was not made by stockpile (it holds {names}); move it or choose another folder"


class Checkpoints:
    """The finished chunks of one sweep under ``DIR/.chunks`` (see the module docstring).

    Finished chunks of another sweep (another fingerprint) are refused before, by
    :func:`refuse_to_discard`, unless ``force``: here they are set aside and deleted when
    the command ends, unless the sweep is refused (:meth:`abandon`).
    A checkpoint folder of another sweep with no finished chunk (none with a receipt
    that reads as one of its chunks) is set aside without asking. A non-empty
    ``.chunks`` that this tool did not make (no fingerprint file) is the user's: the
    sweep refuses (exit 2), even when forced, since it would delete it.
    """

    def __init__(
        self, folder: Path, sweep: Sweep, force: bool = False, note: Callable[[str], None] | None = None
    ) -> None:
        """``note(text)`` is told when ``force`` discards another sweep's finished chunks."""
        self.folder = folder / CHUNK_DIR
        self.sweep = sweep
        self._saved: dict[int, pd.DataFrame] = {}  # the rows of the chunks this process saved
        self.damaged: list[int] = []
        """Chunks :meth:`done` found on disk and deleted because a check failed (computed again)."""
        self.fingerprint = sweep.fingerprint()
        self._note = note
        marker = self.folder / MARKER
        self._made = not os.path.lexists(self.folder)
        """This sweep made the checkpoint folder: there was none before."""
        self._earlier: Path | None = None
        """Where the checkpoints of another sweep were set aside (None: there were none)."""
        self.legs: list[dict[str, Any]] = []
        """Each process that ran this sweep so far in order (:meth:`start_leg`); earlier ones: :func:`_earlier_legs`."""
        self._legs_found = 0
        """The legs of :attr:`legs` that ran before this process (:meth:`abandon` keeps those alone)."""
        self._options = sweep.options()
        """The starting command's options: this command's, or on a resume those ``made-by.json`` recorded."""
        if not self._made:
            ours = self.folder.is_dir() and not self.folder.is_symlink()
            if not ours or (not marker.is_file() and any(self.folder.iterdir())):
                raise InputError(_not_ours(self.folder, folder, ours), str(folder))
            _refuse_foreign(self.folder, folder)  # kept or set aside, the folder is deleted when the sweep ends
            resumed = marker.is_file() and marker.read_text() == self.fingerprint
            if resumed:
                stored = _stored_made_by(self.folder)
                self.legs = _earlier_legs(self.folder, stored)
                if stored is not None and isinstance(stored.get("options"), dict):
                    self._options = stored["options"]
            self._legs_found = len(self.legs)
            if not resumed:
                if force and note is not None and marker.is_file():  # unforced, run_sweep refused already
                    chunks, runs = finished_of(self.folder, marker.read_text())
                    if chunks:
                        held = f"{plural(chunks, 'finished chunk')} ({plural(runs, 'run', ',')})"
                        note(f"{CHUNK_DIR}: {held} of another sweep {'is' if chunks == 1 else 'are'} discarded")
                self._earlier = set_aside(self.folder)
        self.folder.mkdir(exist_ok=True)
        marker.write_text(self.fingerprint)
        self._write_made_by()
        for leftover in self.folder.glob(".tmp-*"):
            leftover.unlink()

    def _write_made_by(self) -> None:
        """``made-by.json``: the version and code, the starting command's options and the legs so far.

        On a resume the options stay those recorded (another working directory may give the scenario file
        another path); where ``made-by.json`` could not be read they are this command's, which matches the
        starting one in all the sweep's fingerprint holds.
        """
        made_by = {**self.sweep.made_by(), "options": self._options, "legs": self.legs}
        text = json.dumps(made_by, indent=1).encode()
        self._write(MADE_BY, lambda handle: handle.write(text))

    def start_leg(self, placement: dict[str, Any]) -> None:
        """Record that this process now runs the sweep's remaining chunks, where ``placement`` says.

        ``placement``: :meth:`simulator.sweep.runner.Placement.record` (``backend``, ``workers_requested``,
        ``workers``).

        Each chunk this process saves names the leg in its receipt (``leg``, its index in :attr:`legs`),
        so that :meth:`leg_chunks` counts what each leg computed.
        """
        self.legs.append(dict(placement))
        self._write_made_by()

    def leg_chunks(self) -> list[dict[str, Any]]:
        """:attr:`legs`, each with ``chunks``: the sweep's finished chunks whose receipt names it.

        Read from the receipts on disk (a chunk computed again counts for the leg that computed it last).
        """
        counts = [0] * len(self.legs)
        for index, _ in self.sweep.chunks():
            leg = _receipt_leg(self.folder / self._names(index)[2])
            if leg is not None and leg < len(counts):
                counts[leg] += 1
        return [{**leg, "chunks": count} for leg, count in zip(self.legs, counts, strict=True)]

    # --- names and identities --------------------------------------------------------

    @staticmethod
    def _names(index: int) -> tuple[str, str, str]:
        return f"chunk-{index:06d}.parquet", f"curves-{index:06d}.npz", f"chunk-{index:06d}.json"

    def _identity(self, index: int) -> dict[str, Any]:
        first = index * self.sweep.chunk_runs
        return {
            "fingerprint": self.fingerprint,
            "chunk": index,
            "first_run": first,
            "runs": len(self.sweep.runs[first : first + self.sweep.chunk_runs]),
        }

    def _expected_rows(self, index: int) -> np.ndarray:
        first = index * self.sweep.chunk_runs
        return np.array(self.sweep.runs[first : first + self.sweep.chunk_runs], dtype=np.int64).reshape(-1, 3)

    def _rows_match(self, index: int, table: pd.DataFrame) -> bool:
        if not set(ROW_KEYS) <= set(table.columns):
            return False
        return np.array_equal(table[ROW_KEYS].to_numpy(), self._expected_rows(index))

    # --- writing ---------------------------------------------------------------------

    def _write(self, name: str, writer: Callable[[IO[bytes]], Any]) -> str:
        """Write ``name`` through a temporary file and an atomic rename; return its SHA-256."""
        tmp = self.folder / f".tmp-{name}"
        try:
            with tmp.open("wb") as handle:
                writer(handle)
            digest = _sha256(tmp.read_bytes())
            os.replace(tmp, self.folder / name)
        finally:
            tmp.unlink(missing_ok=True)
        return digest

    def save(self, result: ChunkResult) -> None:
        """Write a finished chunk: its table, its curves, and last its receipt."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        index = result.index
        if result.fingerprint != self.fingerprint or not self._rows_match(index, result.table):
            raise ChunkDamaged(index, "came back with rows that are not its runs")
        table_name, curves_name, receipt_name = self._names(index)
        identity = self._identity(index)
        arrow = pa.Table.from_pandas(result.table, preserve_index=False)
        arrow = arrow.replace_schema_metadata({**(arrow.schema.metadata or {}), IDENTITY_KEY: json.dumps(identity)})
        sums = {table_name: self._write(table_name, lambda handle: pq.write_table(arrow, handle))}
        if result.curves is not None:
            arrays = {**result.curves, IDENTITY_ARRAY: np.array(json.dumps(identity))}
            sums[curves_name] = self._write(curves_name, lambda handle: np.savez(handle, **arrays))
        receipt = json.dumps({**identity, "sha256": sums, "leg": len(self.legs) - 1}, indent=1).encode()
        self._write(receipt_name, lambda handle: handle.write(receipt))
        self._saved[index] = result.table

    # --- reading ---------------------------------------------------------------------

    def _checked_bytes(self, index: int, name: str) -> bytes:
        """The bytes of one file of a chunk, after its receipt and checksum are checked."""
        receipt_name = self._names(index)[2]
        try:
            receipt = read_json((self.folder / receipt_name).read_bytes())
            identity = {key: receipt.get(key) for key in ("fingerprint", "chunk", "first_run", "runs")}
            expected_sum = receipt["sha256"][name]
            data = (self.folder / name).read_bytes()
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            raise ChunkDamaged(index, f"{receipt_name} or {name} unreadable ({exc})") from None
        if identity != self._identity(index):
            raise ChunkDamaged(index, "its receipt belongs to another chunk or sweep")
        if _sha256(data) != expected_sum:
            raise ChunkDamaged(index, f"{name} does not match its checksum")
        return data

    def load(self, index: int) -> pd.DataFrame:
        """The rows of a finished chunk, checked (:class:`ChunkDamaged` otherwise)."""
        import pandas as pd
        import pyarrow as pa
        import pyarrow.parquet as pq

        data = self._checked_bytes(index, self._names(index)[0])
        try:
            metadata = pq.read_schema(io.BytesIO(data)).metadata or {}
            identity = read_json(metadata.get(IDENTITY_KEY, b"null"))
            table = pd.read_parquet(io.BytesIO(data))
        except (OSError, ValueError, pa.ArrowException) as exc:
            raise ChunkDamaged(index, f"unreadable table ({exc})") from None
        if identity != self._identity(index) or not self._rows_match(index, table):
            raise ChunkDamaged(index, "its table belongs to another chunk or sweep")
        return table

    def rows(self, index: int) -> pd.DataFrame:
        """The rows of a finished chunk: those this process saved (checked then), else :meth:`load`."""
        return self._saved[index] if index in self._saved else self.load(index)

    def curves(self, index: int) -> dict[str, np.ndarray]:
        """The per-run curves of a finished chunk, checked (:class:`ChunkDamaged` otherwise)."""
        data = self._checked_bytes(index, self._names(index)[1])
        try:
            with np.load(io.BytesIO(data)) as stored:
                arrays = {name: stored[name] for name in stored.files}
            identity = read_json(str(arrays.pop(IDENTITY_ARRAY)))
        except (OSError, ValueError, KeyError) as exc:
            raise ChunkDamaged(index, f"unreadable curves ({exc})") from None
        if identity != self._identity(index):
            raise ChunkDamaged(index, "its curves belong to another chunk or sweep")
        return arrays

    def done(self) -> set[int]:
        """Indices of the finished chunks that pass every check; the others are deleted (and in :attr:`damaged`)."""
        good = set()
        self.damaged = []
        for path in sorted(self.folder.iterdir()):
            if not (match := RECEIPT.fullmatch(path.name)):
                continue
            index = int(match.group(1))
            try:
                self.load(index)
                if self.sweep.curves:
                    self._checked_bytes(index, self._names(index)[1])
            except ChunkDamaged:
                self.discard(index)
                self.damaged.append(index)
            else:
                good.add(index)
        return good

    def discard(self, index: int) -> None:
        """Delete a chunk (receipt first), so that it is computed again."""
        self._saved.pop(index, None)
        for name in reversed(self._names(index)):
            (self.folder / name).unlink(missing_ok=True)

    def remove(self) -> None:
        """Delete the checkpoints once the final table is written (see :func:`discard`).

        Anything else found in the folder (put there while the sweep ran: one found at the
        start is refused) is kept with the folder, and ``note`` says so: only the sweep's
        own files are deleted, its fingerprint last.
        """
        self._saved.clear()
        if not self.folder.is_dir() or not (kept := foreign_entries(self.folder)):
            discard(self.folder)
            return
        own = sorted(p.name for p in self.folder.iterdir() if p.name not in kept and p.name != MARKER)
        for name in [*sorted(own, key=lambda name: not RECEIPT.fullmatch(name)), MARKER]:  # receipts first
            (self.folder / name).unlink(missing_ok=True)
        if self._note is not None:
            self._note(
                f"{CHUNK_DIR}: kept for {', '.join(kept)}, which the sweep did not write (its checkpoints are "
                f"deleted); move {'it' if len(kept) == 1 else 'them'} out and delete {CHUNK_DIR} before another sweep "
                "into this folder"
            )

    def abandon(self) -> None:
        """Leave the checkpoints as they were before this sweep, which was refused (a grid point found bad).

        Its chunks could never make a table: the same sweep fails at the same point, and
        any fix makes another sweep. A checkpoint folder it made is deleted; one of another
        sweep is put back; a resumed one loses only the chunks saved here, and ``made-by.json`` this process's leg.
        """
        if self._made or self._earlier is not None:
            discard(self.folder)
            if self._earlier is not None:
                put_back(self._earlier, self.folder)
        else:
            for index in list(self._saved):
                self.discard(index)
            self.legs = self.legs[: self._legs_found]  # made-by.json as this sweep found it
            self._write_made_by()
        self._saved.clear()
