"""Reading the largest spreadsheets an import accepts, and the hostile ones it refuses.

    python bench/imports.py                 # three runs of each file, medians
    python bench/imports.py --repeat 5

It writes, under ``var/bench/imports/``:

* ``roster.xlsx`` and ``roster.csv``: 10,000 rows (the most an import takes) under the roster's
  real columns (``people.roster_io.IMPORT_COLUMNS``), with random Vietnamese-looking text of
  about the lengths the columns allow, so the CSV comes close to the 5 MB upload limit;
* ``dimension.xlsx``: two rows in a sheet that declares ``A1:XFD1048576`` (1,048,576 rows of
  16,384 cells);
* ``rows-100000.xlsx``: 100,000 rows (refused at the first row past 10,000);
* ``garbage.csv``: 1.6 MB of random printable text (refused, problems listed up to the cap);
* ``bomb.xlsx``: a sheet padded to 40 MB of spaces, compressed about a thousand times.

Each file is read by the importers' reader (``core.importing.read_sheets`` with the roster's
columns: the XLSX streamed, the limits checked while reading, the rows built) in a child
process of its own, which reports the wall time, the peak traced by ``tracemalloc`` (a
separate run, as tracing slows the reading) and the child's peak resident set size
(``VmHWM``; a fresh process imports Django and the apps first). The floor is measured in the
same run on the same file: openpyxl's read-only mode iterating every value (with
``reset_dimensions()``, without the importer) for XLSX, the ``csv`` module reading the decoded
text for CSV. Writing the rows to the database is not part of this benchmark.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATA = ROOT / "var" / "bench" / "imports"

_LETTERS = "aăâbcdđeêghiklmnoôơpqrstuưvxyáàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ"


def _words(rng: random.Random, length: int) -> str:
    text: list[str] = []
    while sum(len(word) + 1 for word in text) < length:
        text.append("".join(rng.choice(_LETTERS) for _ in range(rng.randint(2, 7))))
    return " ".join(text)[:length].capitalize()


def roster_rows(count: int, *, notes: int) -> tuple[list[str], list[list[object]]]:
    from lantoa.people.roster_io import IMPORT_COLUMNS

    rng = random.Random(2026)
    header = ["STT", *(column.vietnamese for column in IMPORT_COLUMNS), "Ghi chú"]
    rows = []
    for number in range(1, count + 1):
        rows.append(
            [
                number,
                _words(rng, 40),
                rng.choice(["Nam", "Nữ"]),
                rng.randint(1950, 2005),
                f"VN10-{rng.randint(1, 9999):04d}",
                f"09{rng.randint(10_000_000, 99_999_999)}",
                f"nguoi{number}@example.org",
                f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/20{rng.randint(10, 24)}",
                "",
                f"{rng.randint(1, 999)}-QĐ/HU",
                _words(rng, 60),
                _words(rng, notes),
            ]
        )
    return header, rows


def write_xlsx(path: Path, header: list[str], rows: list[list[object]]) -> None:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Tuyên truyền viên")
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.save(path)


def write_csv(path: Path, header: list[str], rows: list[list[object]]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        writer.writerows(rows)


def write_hostile(header: list[str]) -> None:
    from lantoa.core.tests.workbooks import sheet_xml, workbook

    rows = [["x"] * len(header), ["y"] * len(header)]
    (DATA / "dimension.xlsx").write_bytes(
        workbook({"Tuyên truyền viên": sheet_xml([header, *rows], dimension="A1:XFD1048576")})
    )
    many = [[n, f"Người {n}", "Nam", 1980, "VN10", "", "", "01/01/2020"] for n in range(100_000)]
    write_xlsx(DATA / "rows-100000.xlsx", header, many)  # type: ignore[arg-type]
    rng = random.Random(7)
    garbage = "".join(rng.choice("abc,;\t\"'\n0123456789/ ") for _ in range(1_600_000))
    (DATA / "garbage.csv").write_text(",".join(header) + "\n" + garbage, encoding="utf-8")
    padded = sheet_xml([header, *rows]).replace("<sheetData>", " " * (40 * 1024 * 1024) + "<sheetData>")
    (DATA / "bomb.xlsx").write_bytes(workbook({"Tuyên truyền viên": padded}, compression=zipfile.ZIP_DEFLATED))


# --- In the child process ----------------------------------------------------------------------


def read_with_importer(content: bytes) -> str:
    from lantoa.core.errors import ImportRejected
    from lantoa.core.importing import read_sheets
    from lantoa.people.roster_io import IMPORT_COLUMNS

    try:
        tables = read_sheets(content, columns=IMPORT_COLUMNS, max_rows=10_000)
    except ImportRejected as rejected:
        first = rejected.extra["errors"][0] if rejected.extra["errors"] else ""
        return f"refused: {rejected.extra['total']} problem(s), listed {len(rejected.extra['errors'])}: {first[:70]}"
    return f"read {sum(len(table.rows) for _name, table in tables):,} rows"


def read_floor(content: bytes) -> str:
    if content.startswith(b"PK"):
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        count = 0
        for sheet in book.worksheets:
            sheet.reset_dimensions()  # type: ignore[union-attr]
            for _row in sheet.iter_rows(values_only=True):
                count += 1
        book.close()
        return f"{count:,} rows"
    text = content.decode("utf-8-sig")
    return f"{sum(1 for _row in csv.reader(io.StringIO(text))):,} rows"


def _high_water_kb() -> int:
    """The process's peak resident set size. ru_maxrss keeps the peak of the forked parent
    across exec; VmHWM starts again with the new program."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def child(kind: str, path: str, trace: bool) -> None:
    from bench.run import setup_django

    setup_django(DATA / "unused.sqlite3", keep=True)  # settings only: nothing here touches the database
    content = Path(path).read_bytes()
    read = read_with_importer if kind == "importer" else read_floor
    if trace:
        tracemalloc.start()
    start = time.perf_counter()
    outcome = read(content)
    elapsed = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1] if trace else 0
    rss_kb = _high_water_kb()
    print(json.dumps({"seconds": elapsed, "peak": peak, "rss_kb": rss_kb, "outcome": outcome}))


def measure(kind: str, path: Path, repeat: int) -> dict[str, object]:
    def once(trace: bool) -> dict:
        command = [sys.executable, __file__, "--child", kind, str(path)] + (["--trace"] if trace else [])
        done = subprocess.run(command, capture_output=True, text=True, timeout=900, check=True)
        return json.loads(done.stdout.strip().splitlines()[-1])

    runs = [once(False) for _ in range(repeat)]
    traced = once(True)
    return {
        "seconds": statistics.median(run["seconds"] for run in runs),
        "rss_mb": statistics.median(run["rss_kb"] for run in runs) / 1024,
        "peak_mb": traced["peak"] / 1024 / 1024,
        "outcome": runs[0]["outcome"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--child", nargs=2, metavar=("KIND", "PATH"), help=argparse.SUPPRESS)
    parser.add_argument("--trace", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], args.child[1], args.trace)
        return
    from bench.run import setup_django

    setup_django(DATA / "unused.sqlite3", keep=True)
    DATA.mkdir(parents=True, exist_ok=True)
    # Notes long enough to bring each file just under the 5 MB upload limit.
    header, rows = roster_rows(10_000, notes=225)
    write_xlsx(DATA / "roster.xlsx", header, rows)
    header, rows = roster_rows(10_000, notes=85)
    write_csv(DATA / "roster.csv", header, rows)
    write_hostile(header)
    print(f"machine: {os.cpu_count()} cores; median of {args.repeat} runs, each file in a fresh process")
    print(f"{'file':<18}{'bytes':>11}  {'reader':<9}{'time':>9}{'peak traced':>13}{'max RSS':>10}  outcome")
    files = ["roster.xlsx", "roster.csv", "dimension.xlsx", "rows-100000.xlsx", "garbage.csv", "bomb.xlsx"]
    with_floor = {"roster.xlsx", "roster.csv", "rows-100000.xlsx"}
    for name in files:
        path = DATA / name
        for kind in ("importer", "floor") if name in with_floor else ("importer",):
            figures = measure(kind, path, args.repeat)
            print(
                f"{name:<18}{path.stat().st_size:>11,}  {kind:<9}{figures['seconds']:>8.2f}s"
                f"{figures['peak_mb']:>11.1f}MB{figures['rss_mb']:>8.0f}MB  {figures['outcome']}"
            )


if __name__ == "__main__":
    main()
