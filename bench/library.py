"""Library search benchmark: full-text search over documents with long Vietnamese texts.

    python bench/library.py                          # SQLite (a fresh file under var/bench/)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lantoa_bench_library python bench/library.py
    python bench/library.py --documents 1000         # a smaller run

What it builds: ``--documents`` documents (default 10,000), each with one version and one file
whose extracted text is ``--chars`` characters (default 150,000, about 50 pages) of generated
Vietnamese: real words and syllables with their diacritics, drawn with a Zipf-like frequency
from a fixed vocabulary (seeded, so every run builds the same library). Numbers and symbols
follow the official forms (``36-NQ/TW``, ``1373/QĐ-UBND``). Rows are written in bulk, and the
search columns and index rows are computed by ``lantoa.library.search.index_row`` and stored
by ``search.write_index`` — exactly what ``index_document`` does for one document.

Then it times ``search.search_documents`` (the selector behind the list page and the API: the
count, the first page of 20 with ranking, and the snippets) for 60 varied queries, and prints
each query's median next to the floor measured in the same run: fetching 20 documents (with
their kind) by primary key.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import os
import random
import statistics
import sys
import time
from multiprocessing import Pool
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import reset_postgres, setup_django, timed  # noqa: E402

# Real Vietnamese words of Party documents, most frequent first (a Zipf-like draw follows).
_WORDS = """
và của các là trong có được cho với những để một này về đã theo không người từ đến khi công tác
Đảng nhân dân cán bộ đảng viên phát triển kinh tế xã hội xây dựng chính trị thực hiện nghị
quyết tổ chức lãnh đạo chỉ đạo nhiệm vụ giải pháp nâng cao chất lượng hiệu quả cơ sở địa phương
trung ương tỉnh ủy huyện ủy chi bộ đảng bộ ban thường vụ tuyên truyền giáo dục học tập quán
triệt triển khai kiểm tra giám sát đánh giá kết quả quốc phòng an ninh đối ngoại văn hóa con
người đất nước dân tộc tôn giáo miền núi biên giới vùng sâu vùng xa đồng bào nông thôn mới giảm
nghèo bền vững việc làm thu nhập chuyển đổi số khoa học công nghệ đổi mới sáng tạo doanh nghiệp
đầu tư hạ tầng giao thông biển đảo chủ quyền môi trường tài nguyên biến đổi khí hậu phòng chống
thiên tai tham nhũng lãng phí tiêu cực cải cách hành chính chính quyền mặt trận đoàn thể thanh
niên phụ nữ cựu chiến binh nông dân công đoàn hội thẩm định phê duyệt quy hoạch kế hoạch báo
cáo tổng kết sơ kết hướng dẫn quy định chỉ thị kết luận thông báo quyết định tư tưởng đạo đức
phong cách Hồ Chí Minh học tập và làm theo gương mẫu nêu gương trách nhiệm người đứng đầu tập
thể cá nhân khen thưởng kỷ luật vi phạm xử lý đoàn kết thống nhất dân chủ tập trung phê bình tự
phê bình sinh hoạt định kỳ ngân sách nguồn lực huy động xã hội hóa y tế chăm sóc sức khỏe bảo
hiểm an sinh du lịch nông nghiệp công nghiệp dịch vụ thương mại xuất khẩu sản xuất hàng hóa
rừng đất đai khoáng sản nước sạch điện lưới trường học giáo viên học sinh Lào Cai Bát Xát Sa Pa
Bảo Yên Bắc Hà Mường Khương Si Ma Cai Văn Bàn Bảo Thắng Mông Dao Tày Nùng Giáy Hà Nhì Phù Lá
thôn bản xã phường thị trấn năm tháng giai đoạn nhiệm kỳ đại hội lần thứ khóa tầm nhìn mục tiêu
chỉ tiêu tiếp tục đẩy mạnh tăng cường đổi mới hoàn thiện củng cố kiện toàn bảo đảm
"""
VOCABULARY = _WORDS.split()

TOPICS = [
    "tăng cường công tác xây dựng, chỉnh đốn Đảng",
    "chiến lược phát triển bền vững kinh tế biển Việt Nam",
    "đẩy mạnh học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
    "chuyển đổi số quốc gia",
    "phát triển khoa học, công nghệ, đổi mới sáng tạo",
    "công tác dân tộc trong tình hình mới",
    "xây dựng nông thôn mới và giảm nghèo bền vững",
    "phòng, chống tham nhũng, lãng phí, tiêu cực",
    "công tác tuyên truyền miệng ở cơ sở",
    "bảo vệ chủ quyền biển, đảo",
    "phát triển du lịch vùng cao",
    "củng cố quốc phòng, an ninh vùng biên giới",
    "chăm sóc sức khỏe nhân dân",
    "bảo vệ và phát triển rừng",
    "nâng cao chất lượng sinh hoạt chi bộ",
]
KINDS = [
    ("resolution", "NQ"),
    ("conclusion", "KL"),
    ("directive", "CT"),
    ("regulation", "QĐi"),
    ("guidance", "HD"),
    ("plan", "KH"),
    ("report", "BC"),
    ("decision", "QĐ"),
]
ISSUERS = [
    ("TW", "Ban Chấp hành Trung ương"),
    ("TW", "Bộ Chính trị"),
    ("TW", "Ban Bí thư"),
    ("TU", "Tỉnh ủy Lào Cai"),
    ("HU", "Huyện ủy Bát Xát"),
    ("HU", "Huyện ủy Bảo Yên"),
    ("UBND", "Ủy ban nhân dân tỉnh Lào Cai"),
]
KIND_NAMES = {
    "resolution": "Nghị quyết",
    "conclusion": "Kết luận",
    "directive": "Chỉ thị",
    "regulation": "Quy định",
    "guidance": "Hướng dẫn",
    "plan": "Kế hoạch",
    "report": "Báo cáo",
    "decision": "Quyết định",
}

_WEIGHTS = [1 / (rank + 8) for rank in range(len(VOCABULARY))]


def document_spec(n: int) -> dict[str, Any]:
    """Document ``n`` of the library (deterministic)."""
    r = random.Random(n * 7919 + 13)
    kind, symbol = KINDS[n % len(KINDS)]
    suffix, issuer = ISSUERS[r.randrange(len(ISSUERS))]
    year = 2000 + n % 26
    serial = n // 26 + 1
    number = f"{serial}/{symbol}-{suffix}" if suffix == "UBND" else f"{serial:02d}-{symbol}/{suffix}"
    # A few famous numbers, so the benchmark can ask for them.
    number = {0: "36-NQ/TW", 1: "01-KL/TW", 2: "1373/QĐ-UBND", 3: "05-CT/TW"}.get(n, number)
    topic = TOPICS[r.randrange(len(TOPICS))]
    title = f"{KIND_NAMES[kind]} về {topic}"
    summary = f"{KIND_NAMES[kind]} số {number} của {issuer} về {topic}."
    return {
        "n": n,
        "kind": kind,
        "number": number,
        "issuer": issuer,
        "issued_on": dt.date(year, 1 + n % 12, 1 + n % 28),
        "title": title,
        "summary": summary,
        "tags": [topic.split(",")[0][:40]],
    }


def document_text(n: int, chars: int) -> str:
    """About ``chars`` characters of Vietnamese sentences for document ``n``."""
    r = random.Random(n)
    parts: list[str] = []
    size = 0
    while size < chars:
        words = r.choices(VOCABULARY, weights=_WEIGHTS, k=r.randint(8, 24))
        sentence = " ".join(words)
        sentence = sentence[0].upper() + sentence[1:] + r.choice([".", ".", ".", ";", ","])
        if r.random() < 0.02:
            sentence += f" Theo Nghị quyết số {r.randint(1, 60):02d}-NQ/TW."
        parts.append(sentence)
        size += len(sentence) + 1
    return " ".join(parts)


def build_one(args: tuple[int, int]) -> tuple[dict[str, Any], str, Any]:
    """Generate document ``n`` and its index row (run in worker processes)."""
    from lantoa.library.search import index_row

    n, chars = args
    spec = document_spec(n)
    text = document_text(n, chars)
    row = index_row(
        document_id=0,
        number=spec["number"],
        title=spec["title"],
        summary=spec["summary"],
        tags=spec["tags"],
        issuer=spec["issuer"],
        texts=[text],
    )
    return spec, text, row


def build_library(count: int, chars: int, owner: Any, batch: int = 100) -> float:
    """Write ``count`` documents with one version and one file each; returns seconds."""
    from django.db import transaction

    from lantoa.library.models import Document, DocumentFile, DocumentKind, DocumentVersion
    from lantoa.library.search import write_index

    kinds = {k.code: k for k in DocumentKind.objects.all()}
    started = time.perf_counter()
    pending: list[tuple[dict[str, Any], str, Any]] = []

    def flush() -> None:
        with transaction.atomic():
            documents = Document.objects.bulk_create(
                [
                    Document(
                        kind=kinds[spec["kind"]],
                        number=spec["number"],
                        issuer=spec["issuer"],
                        owner_unit=owner,
                        issued_on=spec["issued_on"],
                        title=spec["title"],
                        summary=spec["summary"],
                        tags=spec["tags"],
                        visibility=Document.Visibility.INTERNAL,
                        slug=f"bench-{spec['n']}",
                    )
                    for spec, _text, _row in pending
                ]
            )
            versions = DocumentVersion.objects.bulk_create(
                [DocumentVersion(document=document, number=1) for document in documents]
            )
            DocumentFile.objects.bulk_create(
                [
                    DocumentFile(
                        version=version,
                        role=DocumentFile.Role.TEXT,
                        file=f"bench/{spec['n']}.pdf",
                        original_name=f"{spec['n']}.pdf",
                        content_type="application/pdf",
                        size=len(text.encode()),
                        sha256=f"{spec['n']:064d}",
                        extraction=DocumentFile.Extraction.DONE,
                        extraction_progress=100,
                        extracted_text=text,
                    )
                    for version, (spec, text, _row) in zip(versions, pending, strict=True)
                ]
            )
            write_index(
                [
                    dataclasses.replace(row, document_id=document.pk)
                    for document, (_spec, _text, row) in zip(documents, pending, strict=True)
                ]
            )
        pending.clear()

    with Pool(max(1, (os.cpu_count() or 2))) as pool:
        for done, item in enumerate(pool.imap(build_one, ((n, chars) for n in range(count)), chunksize=8), 1):
            pending.append(item)
            if len(pending) >= batch:
                flush()
            if done % 1000 == 0:
                print(f"  {done:,} documents ({time.perf_counter() - started:.0f} s)", flush=True)
        if pending:
            flush()
    return time.perf_counter() - started


# The GIN index of migration 0004, dropped for the bulk load and built once afterwards.
PG_INDEX = "library_document_search_body"

QUERIES = [
    # words, with and without diacritics
    "nghị quyết",
    "nghi quyet",
    "biển đảo",
    "bien dao",
    "chuyển đổi số",
    "chuyen doi so",
    "đảng viên",
    "dang vien",
    "Hồ Chí Minh",
    "ho chi minh",
    "phòng chống tham nhũng",
    "phong chong tham nhung",
    "tuyên truyền miệng",
    "du lịch vùng cao",
    "khoáng sản",
    "khoang san",
    "Mường Khương",
    "muong khuong",
    "biến đổi khí hậu",
    "nông thôn mới",
    "Hà Nhì Phù Lá",
    "giáo viên học sinh",
    "sinh hoạt chi bộ",
    "chủ quyền",
    "ĐẢNG",
    "dang",
    "nghi quy",
    "phat trien ben vung",
    "tài nguyên môi trường",
    "kỷ luật vi phạm",
    # phrases
    '"học tập và làm theo"',
    '"chuyển đổi số"',
    '"kinh tế biển"',
    '"nông thôn mới"',
    '"đảng viên"',
    # numbers and symbols
    "36-NQ/TW",
    "36 nq tw",
    "NQ 36",
    "01-KL/TW",
    "01 KL TW",
    "KL 01",
    "kl/tw 01",
    "1373/QĐ-UBND",
    "1373 qd ubnd",
    "05-CT/TW",
    "12-NQ/TW",
    "100/QĐ-UBND",
    "HD/TU",
    # a word with a number
    "nghị quyết 36",
    "nghi quyet 36 bien",
    # rare or absent words
    "hải đăng",
    "xyzzy",
    "tổng bí thư",
    "Sa Pa du lịch",
    "Bảo Yên rừng",
    # title-ish queries
    "kinh tế biển Việt Nam",
    "công tác dân tộc",
    "chất lượng sinh hoạt",
    "củng cố quốc phòng",
    "sức khỏe nhân dân",
]
FILTERED = [
    {"q": "nghi quyet", "kind": "resolution"},
    {"q": "bien dao", "year": 2020},
    {"q": "dang vien", "issuer": "tinh uy"},
    {"q": "", "kind": "conclusion"},
    {"q": "", "year": 2024},
]


def run(args: argparse.Namespace) -> None:
    from django.core.management import call_command
    from django.db import connection

    from lantoa.accounts.tests.factories import make_user
    from lantoa.library.search import FTS_TABLE
    from lantoa.org.tests.factories import make_unit

    if args.reuse and _built(args.documents):
        print(f"database: {connection.vendor}; machine: {os.cpu_count()} cores; reusing the library already built")
        from django.contrib.auth import get_user_model

        admin = get_user_model().objects.get(username="bench-admin")
        time_searches(args, admin)
        return
    if connection.vendor == "postgresql":
        reset_postgres()
    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor}; machine: {os.cpu_count()} cores")
    province = make_unit(kind="provincial_committee", name="Đảng bộ tỉnh Lào Cai", code="BENCH")
    admin = make_user(role="administrator", unit=province, username="bench-admin")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # bulk load, then build the index once
            cursor.execute(f"DROP INDEX {PG_INDEX}")
    seconds = build_library(args.documents, args.chars, province)
    print(f"{args.documents:,} documents of ~{args.chars:,} characters written and indexed in {seconds:.0f} s")
    started = time.perf_counter()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET maintenance_work_mem = '1GB'")
            cursor.execute(f"CREATE INDEX {PG_INDEX} ON library_document_search USING gin (body)")
            cursor.execute("ANALYZE")
        else:
            cursor.execute(f"INSERT INTO {FTS_TABLE} ({FTS_TABLE}) VALUES ('optimize')")  # noqa: S608
            cursor.execute("ANALYZE")
    print(f"index built/optimised in {time.perf_counter() - started:.0f} s")
    if connection.vendor == "sqlite":
        size = Path(connection.settings_dict["NAME"]).stat().st_size
        print(f"database file: {size / 1e9:.2f} GB")
    else:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_database_size(current_database()), pg_relation_size(%s)", [PG_INDEX])
            db_size, index_size = cursor.fetchone()
        print(f"database: {db_size / 1e9:.2f} GB; GIN index: {index_size / 1e6:.0f} MB")
    time_searches(args, admin)


def _built(documents: int) -> bool:
    """Is the library of ``documents`` documents already in the database (``--reuse``)?"""
    from django.db.utils import DatabaseError

    from lantoa.library.models import Document

    try:
        return Document.objects.filter(slug__startswith="bench-").count() == documents
    except DatabaseError:
        return False


def time_searches(args: argparse.Namespace, admin: Any) -> None:
    """Time the search page for every query; print medians, p95 and the floor."""
    from lantoa.library.models import Document
    from lantoa.library.search import search_documents

    repeat = args.repeat
    ids = list(Document.objects.order_by("pk").values_list("pk", flat=True)[:20])
    floor, _ = timed(lambda: list(Document.objects.filter(pk__in=ids).select_related("kind")), repeat)

    results: list[tuple[str, float, int]] = []
    for query in QUERIES:
        ms, page = timed(lambda query=query: search_documents(admin, q=query), repeat)
        results.append((query, ms, page.count))  # type: ignore[attr-defined]
    for filters in FILTERED:
        ms, page = timed(lambda filters=filters: search_documents(admin, **filters), repeat)
        label = " ".join(f"{k}={v}" for k, v in filters.items() if v)
        results.append((f"[{label}]", ms, page.count))  # type: ignore[attr-defined]
    count_only = []
    for query in QUERIES[:10]:
        ms, _ = timed(lambda query=query: search_documents(admin, q=query, limit=0), repeat)
        count_only.append(ms)

    first = search_documents(admin, q="36-NQ/TW").items[0].document.number
    print(f"check: '36-NQ/TW' → first hit {first}")
    print()
    print(f"{'query':<34} {'median ms':>10} {'hits':>7} {'× floor':>8}")
    for label, ms, hits in results:
        print(f"{label[:34]:<34} {ms:>10.1f} {hits:>7,} {ms / floor if floor else 0:>8.1f}")
    timings = sorted(ms for _label, ms, _hits in results)
    p95 = timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))]
    print()
    print(f"queries: {len(timings)}; documents: {args.documents:,}; repeat: {repeat} (median per query)")
    print(
        f"search page (count + 20 ranked hits + snippets): median {statistics.median(timings):.1f} ms, "
        f"p95 {p95:.1f} ms, max {timings[-1]:.1f} ms"
    )
    print(f"count only (first 10 queries): median {statistics.median(count_only):.1f} ms")
    print(f"floor (20 documents with their kind by primary key): {floor:.2f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--chars", type=int, default=150_000, help="characters of text per document")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--sqlite", default=str(ROOT / "var" / "bench" / "library.sqlite3"))
    parser.add_argument(
        "--reuse", action="store_true", help="time the searches on the library a previous run built (same --documents)"
    )
    args = parser.parse_args()
    setup_django(Path(args.sqlite), keep=args.reuse)
    run(args)


if __name__ == "__main__":
    main()
