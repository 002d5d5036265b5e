"""The demo's official report: the Propaganda Commission's report to the inspection team on
studying the XIII Congress resolution in Lào Cai, 1 March 2021 – 31 July 2022, in the Party
format, its figures generated from the demo's records (688 conferences, 577 online bridge
points, over 118,000 attendances, the outreach network…), issued on 5 August 2022.

Called by :mod:`lantoa.demo.build` once the records exist; the officer's texts below are
written for the demo (they describe the work in general terms and state no figure: every figure
in the report is generated)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from lantoa.core.indicators import get_indicator
from lantoa.org.models import Unit
from lantoa.reports.models import Report
from lantoa.reports.report_services import (
    Letterhead,
    report_create,
    report_issue,
    report_save,
    template_copy,
    template_default,
    template_update,
)

COMMISSION_CODE = "VN10-BTG"
START, END = dt.date(2021, 3, 1), dt.date(2022, 7, 31)
ISSUED_ON = dt.date(2022, 8, 5)
SUBTITLE = (
    "Kết quả công tác tuyên truyền, học tập, quán triệt Nghị quyết Đại hội XIII của Đảng "
    "từ tháng 3/2021 đến tháng 7/2022"
)
CONTESTS = ["staged_contest_committees", "best_reporter_entries"]
TEXTS = {
    "mo-dau": (
        "Thực hiện Kế hoạch của Tỉnh ủy về tổ chức nghiên cứu, học tập, quán triệt và tuyên truyền Nghị "
        "quyết Đại hội đại biểu toàn quốc lần thứ XIII của Đảng, Ban Tuyên giáo Tỉnh ủy báo cáo kết quả thực "
        "hiện như sau:"
    ),
    "hoc-tap": (
        "Ban Tuyên giáo Tỉnh ủy đã tham mưu Ban Thường vụ Tỉnh ủy tổ chức hội nghị trực tiếp kết hợp trực "
        "tuyến đến các điểm cầu cấp huyện, cấp xã và tổ chức cơ sở đảng; các cấp ủy chủ động xây dựng kế "
        "hoạch, bố trí báo cáo viên và tài liệu, bảo đảm đúng thời gian, đúng thành phần."
    ),
    "tuyen-truyen": (
        "Tài liệu hỏi - đáp về Nghị quyết Đại hội XIII được biên soạn, in và cấp phát đến các chi bộ; các cơ "
        "quan báo chí của tỉnh mở chuyên trang, chuyên mục tuyên truyền."
    ),
    "uu-diem": (
        "Việc học tập, quán triệt được các cấp ủy quan tâm lãnh đạo, chỉ đạo; hình thức trực tuyến giúp mở "
        "rộng đối tượng tham dự và tiết kiệm chi phí."
    ),
    "han-che": (
        "Ở một số điểm cầu vùng cao, đường truyền còn chập chờn; việc viết bài thu hoạch ở một số chi bộ còn hình thức."
    ),
    "phuong-huong": (
        "Tiếp tục tuyên truyền, đưa nghị quyết vào cuộc sống; kiểm tra, giám sát việc xây dựng và thực hiện "
        "chương trình hành động của các cấp ủy."
    ),
}


def build_report(province: Unit, *, by: Any = None) -> Report:
    """The commission's copy of the shared template (with the judged contests when that module is
    installed), the report drafted, its texts written and the report issued."""
    commission = Unit.objects.get(code=COMMISSION_CODE)
    template = template_copy(by=by, template=template_default(), unit=commission, name="Báo cáo gửi Đoàn kiểm tra")
    outline = list(template.outline)
    contests = [code for code in CONTESTS if get_indicator(code) is not None]
    if contests:
        at = next(i for i, section in enumerate(outline) if section["key"] == "mang-luoi")
        outline[at:at] = [
            {"key": "hoi-thi", "kind": "text", "title": "3. Tổ chức các hội thi"},
            {"key": "so-lieu-hoi-thi", "kind": "narrative", "indicators": contests, "lead": "Toàn tỉnh có"},
        ]
        outline = [
            {**section, "title": "4. Kiện toàn đội ngũ làm công tác tuyên truyền, dân vận"}
            if section["key"] == "mang-luoi"
            else section
            for section in outline
        ]
    template, _changed = template_update(
        by=by,
        template=template,
        name=template.name,
        format="party",
        title="BÁO CÁO",
        subtitle=SUBTITLE,
        outline=outline,
        recipients=(
            "Đoàn kiểm tra của Ban Bí thư (b/c),\nBan Tuyên giáo Trung ương (b/c),\nThường trực Tỉnh ủy (b/c),\n"
            "Lưu Văn phòng Ban."
        ),
    )
    report = report_create(
        by=by,
        unit=province,
        template=template,
        start=START,
        end=END,
        structure="historical",
        letterhead=Letterhead(
            superior="Tỉnh ủy Lào Cai",
            issuer="Ban Tuyên giáo",
            issuer_abbreviation="BTGTU",
            place="Lào Cai",
            signer_on_behalf="K/T TRƯỞNG BAN",
            signer_position="PHÓ TRƯỞNG BAN",
            signer_name="Nguyễn Văn Minh",
        ),
    )
    report, _changed = report_save(by=by, report=report, texts=TEXTS)
    record_terms(province, by=by)
    report, _issued = report_issue(by=by, report=report, day=ISSUED_ON)
    return report


def record_terms(province: Unit, *, by: Any = None) -> None:
    """The province's last two terms, which its reports are numbered in. The demo dates each term
    from the first day of its congress's month — October 2020 for the XVI congress, autumn 2025
    (1 October here) for the first congress of the province merged on 1 July 2025; an office
    records its own congress's day."""
    from lantoa.reports.terms import term_add

    term_add(by=by, unit=province, name="2020-2025", congress="XVI", starts_on=dt.date(2020, 10, 1))
    term_add(by=by, unit=province, name="2025-2030", congress="I", starts_on=dt.date(2025, 10, 1))
