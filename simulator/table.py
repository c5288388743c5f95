"""Column tables a run writes, without pandas: CSV text and, on demand, a DataFrame.

Layer: ground (imports nothing from the project).

``stockpile run`` writes its tables straight from these columns, so a run that draws
no figure never imports pandas (about 0.25 s of a one-second command). The CSV text is
byte for byte what ``DataFrame.to_csv(index=False)`` writes for the same columns:

- floats in their shortest round-trip form (``0.1``, ``1e-05``, ``-0.0``), NaN empty;
- whole numbers as digits; a nullable whole-number column (pandas ``Int64``) empty
  where missing;
- ``True``/``False``; text as it is, quoted only where CSV needs it (``csv.QUOTE_MINIMAL``);
- one line feed ends each line.

Column types follow what pandas infers from a list of row dicts, for the values runs
produce: all bools, all whole numbers, numbers with ``None`` (float, NaN), else objects.
"""

from __future__ import annotations

import csv
import io
import numbers
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np


def column_array(values: Sequence[Any]) -> np.ndarray:
    """One column of row values as an array of the dtype pandas would infer.

    >>> [column_array(v).dtype.name for v in ([1, 2], [1, 2.5], [1.0, None], [True], ["a", None], [None], [])]
    ['int64', 'float64', 'float64', 'bool', 'object', 'object', 'object']
    """
    present = [v for v in values if v is not None]
    if not present:
        return np.array(list(values), dtype=object)
    if all(isinstance(v, (bool, np.bool_)) for v in values):
        return np.array(values, dtype=bool)
    if all(isinstance(v, numbers.Integral) and not isinstance(v, (bool, np.bool_)) for v in values):
        return np.array(values, dtype=np.int64)
    if all(isinstance(v, numbers.Real) and not isinstance(v, (bool, np.bool_)) for v in present):
        return np.array([np.nan if v is None else v for v in values], dtype=np.float64)
    return np.array(list(values), dtype=object)


def _cells(values: np.ndarray, nullable_int: bool) -> Iterable[str]:
    """The CSV cells of one column, as ``DataFrame.to_csv`` writes them."""
    if nullable_int:
        return ["" if v != v else str(int(v)) for v in values.tolist()]
    if values.dtype.kind == "f":  # Python's repr is NumPy's str of a float64, and faster
        cells = list(map(repr, values.tolist()))
        for k in np.flatnonzero(np.isnan(values)).tolist():
            cells[k] = ""
        return cells
    if values.dtype.kind in "iub":
        return values.astype(str).tolist()
    return ["" if _missing(v) else str(v) for v in values.tolist()]


def _missing(value: Any) -> bool:
    """None or a float NaN: an empty cell."""
    return value is None or (isinstance(value, float) and value != value)


@dataclass(frozen=True)
class Table:
    """Named columns of equal length, in order (see the module docstring).

    ``nullable_int``: float columns (NaN where missing) that hold whole numbers; a
    DataFrame gets them as pandas ``Int64``.
    """

    columns: Mapping[str, np.ndarray]
    nullable_int: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def from_rows(cls, rows: Sequence[Mapping[str, Any]], columns: Sequence[str] | None = None) -> Table:
        """A table of row dicts; ``columns`` fixes the names and order.

        A value a row does not have is NaN, as in pandas: a column of ``None`` and absent
        values is a float column, one of ``None`` only an object column.
        """
        names = list(columns) if columns is not None else list(dict.fromkeys(k for row in rows for k in row))
        return cls({name: column_array([row.get(name, np.nan) for row in rows]) for name in names})

    def __len__(self) -> int:
        return len(next(iter(self.columns.values()))) if self.columns else 0

    def rows(self) -> list[dict[str, Any]]:
        """Plain Python rows; missing values (NaN, ``None``) are ``None``, whole numbers ``int``."""
        cols = {name: values.tolist() for name, values in self.columns.items()}
        out = []
        for k in range(len(self)):
            row = {}
            for name, values in cols.items():
                value = values[k]
                if _missing(value):
                    value = None
                elif name in self.nullable_int:
                    value = int(value)
                row[name] = value
            out.append(row)
        return out

    def csv_text(self) -> str:
        """The table as CSV, byte for byte ``self.frame().to_csv(index=False)``."""
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(list(self.columns))
        cells = [_cells(values, name in self.nullable_int) for name, values in self.columns.items()]
        writer.writerows(zip(*cells, strict=True))
        return buffer.getvalue()

    def write_csv(self, path: Path) -> None:
        """Write :meth:`csv_text` to ``path``."""
        path.write_text(self.csv_text(), encoding="utf-8")

    def frame(self) -> Any:
        """A new pandas DataFrame of the columns (imports pandas)."""
        import pandas as pd

        frame = pd.DataFrame(dict(self.columns), columns=list(self.columns))
        for name in self.nullable_int:
            frame[name] = frame[name].astype("Int64")
        return frame
