"""The demo's question bank: the Propaganda Commission's bank on the Party's history and the
XIII Congress resolution, written for the demo (simple, factual questions), in three chapters,
with a few multiple-select questions. The questions of chapter 3 cite the study handbook of
the library's demo as their source. And the 2021 contest on it (:func:`build_contest`): three
weekly rounds, a few hundred contestants across the province's communes and their attempts.
Written through the services, like everything else."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from lantoa.contests import public_cache
from lantoa.contests.models import (
    OPTION_KEYS,
    ContestantGroup,
    ContestStatus,
    Kind,
    PredictionKind,
    QuestionBank,
    Scoring,
)
from lantoa.contests.services import (
    BankData,
    ContestData,
    QuestionData,
    Registration,
    RoundData,
    TagCache,
    attempt_start,
    attempt_submit,
    bank_create,
    contest_create,
    contest_update,
    contestant_register,
    question_create,
    round_create,
)
from lantoa.contests.services.eligible import INVITATION_ALPHABET
from lantoa.core.masking import phone_digits
from lantoa.core.text import fold
from lantoa.org.models import Unit

BANK_NAME = "Lịch sử Đảng và Nghị quyết Đại hội XIII"
BANK_DESCRIPTION = (
    "Câu hỏi trắc nghiệm cho các cuộc thi tìm hiểu lịch sử Đảng Cộng sản Việt Nam và Nghị quyết "
    "Đại hội đại biểu toàn quốc lần thứ XIII của Đảng. Chương 1: sự ra đời của Đảng và Cách mạng "
    "Tháng Tám; Chương 2: kháng chiến, thống nhất đất nước và đổi mới; Chương 3: Đại hội XIII."
)
C1, C2, C3 = "Chương 1", "Chương 2", "Chương 3"
S, M, TF = Kind.SINGLE, Kind.MULTIPLE, Kind.TRUE_FALSE
PARTIAL, WHOLE = Scoring.PARTIAL, Scoring.ALL_OR_NOTHING


@dataclass(frozen=True)
class Q:
    ref: str
    tag: str
    kind: str
    stem: str
    options: tuple[str, ...]
    correct: str  # letters, e.g. "B" or "AC"
    difficulty: int = 1
    scoring: str = WHOLE
    explanation: str = ""


QUESTIONS: tuple[Q, ...] = (
    Q("LSD-01", C1, S, "Đảng Cộng sản Việt Nam được thành lập vào năm nào?", ("1925", "1930", "1945", "1951"), "B",
      explanation="Hội nghị hợp nhất các tổ chức cộng sản họp đầu năm 1930."),
    Q("LSD-02", C1, S, "Hội nghị thành lập Đảng đầu năm 1930 được tổ chức ở đâu?",
      ("Hương Cảng (Trung Quốc)", "Quảng Châu (Trung Quốc)", "Pác Bó (Cao Bằng)", "Hà Nội"), "A", 2),
    Q("LSD-03", C1, S, "Ai chủ trì Hội nghị thành lập Đảng?",
      ("Lãnh tụ Nguyễn Ái Quốc", "Đồng chí Trần Phú", "Đồng chí Lê Hồng Phong", "Đồng chí Hà Huy Tập"), "A"),
    Q("LSD-04", C1, S, "Ngày nào hằng năm được lấy làm ngày kỷ niệm thành lập Đảng?",
      ("3/2", "19/5", "2/9", "19/8"), "A"),
    Q("LSD-05", C1, S, "Tổng Bí thư đầu tiên của Đảng là ai?",
      ("Đồng chí Trần Phú", "Đồng chí Lê Duẩn", "Đồng chí Trường Chinh", "Đồng chí Nguyễn Văn Cừ"), "A", 2),
    Q("LSD-06", C1, S, "Luận cương chính trị tháng 10/1930 của Đảng do ai soạn thảo?",
      ("Đồng chí Trần Phú", "Đồng chí Lê Hồng Phong", "Đồng chí Nguyễn Văn Cừ", "Đồng chí Lê Duẩn"), "A", 2),
    Q("LSD-07", C1, S, "Tháng 10/1930, Hội nghị Ban Chấp hành Trung ương lần thứ nhất đổi tên Đảng thành gì?",
      ("Đảng Cộng sản Đông Dương", "Đảng Lao động Việt Nam", "An Nam Cộng sản Đảng", "Đông Dương Cộng sản Liên đoàn"),
      "A", 2),
    Q("LSD-08", C1, S, "Mặt trận Việt Nam độc lập đồng minh (Việt Minh) được thành lập năm nào?",
      ("1936", "1939", "1941", "1945"), "C"),
    Q("LSD-09", C1, S, "Cách mạng Tháng Tám thành công vào năm nào?", ("1930", "1940", "1945", "1954"), "C"),
    Q("LSD-10", C1, S,
      "Chủ tịch Hồ Chí Minh đọc Tuyên ngôn độc lập khai sinh nước Việt Nam Dân chủ Cộng hòa vào ngày nào?",
      ("19/8/1945", "2/9/1945", "23/9/1945", "19/12/1946"), "B"),
    Q("LSD-11", C1, TF, "Phong trào Xô viết Nghệ – Tĩnh diễn ra trong cao trào cách mạng 1930–1931.", (), "A"),
    Q("LSD-12", C1, TF, "Đại hội đại biểu toàn quốc lần thứ nhất của Đảng họp năm 1935 tại Ma Cao (Trung Quốc).", (),
      "A", 2),
    Q("LSD-13", C1, M, "Đại biểu của những tổ chức nào dự Hội nghị thành lập Đảng đầu năm 1930?",
      ("Đông Dương Cộng sản Đảng", "An Nam Cộng sản Đảng", "Việt Nam Quốc dân Đảng", "Tân Việt Cách mạng Đảng"),
      "AB", 3, PARTIAL, "Đông Dương Cộng sản Liên đoàn gia nhập Đảng ngày 24/2/1930, sau Hội nghị."),
    Q("LSD-14", C1, M, "Những văn kiện nào được thông qua tại Hội nghị thành lập Đảng?",
      (
          "Chánh cương vắn tắt của Đảng",
          "Sách lược vắn tắt của Đảng",
          "Luận cương chính trị",
          "Đề cương về văn hóa Việt Nam",
      ),
      "AB", 3, PARTIAL, "Luận cương chính trị có từ tháng 10/1930; Đề cương về văn hóa Việt Nam từ năm 1943."),
    Q("LSD-15", C2, S, "Đại hội đại biểu toàn quốc lần thứ II của Đảng (tháng 2/1951) họp ở tỉnh nào?",
      ("Tuyên Quang", "Thái Nguyên", "Cao Bằng", "Hà Nội"), "A", 2),
    Q("LSD-16", C2, S, "Đại hội II của Đảng quyết định đưa Đảng ra hoạt động công khai với tên gọi nào?",
      ("Đảng Lao động Việt Nam", "Đảng Cộng sản Đông Dương", "Đảng Cộng sản Việt Nam", "Đảng Nhân dân cách mạng"),
      "A", 2),
    Q("LSD-17", C2, S, "Chiến thắng Điện Biên Phủ diễn ra vào năm nào?", ("1945", "1950", "1954", "1975"), "C"),
    Q("LSD-18", C2, S, "Đại hội đại biểu toàn quốc lần thứ III của Đảng họp năm nào, ở đâu?",
      ("Năm 1960, tại Hà Nội", "Năm 1951, tại Tuyên Quang", "Năm 1976, tại Hà Nội", "Năm 1935, tại Ma Cao"), "A", 2),
    Q("LSD-19", C2, S, "Chiến dịch Hồ Chí Minh toàn thắng, giải phóng hoàn toàn miền Nam vào ngày nào?",
      ("30/4/1975", "7/5/1954", "2/9/1975", "21/7/1954"), "A"),
    Q("LSD-20", C2, TF, "Đại hội III của Đảng (năm 1960) quyết định đổi tên Đảng thành Đảng Cộng sản Việt Nam.", (),
      "B", 2, explanation="Đảng lấy lại tên Đảng Cộng sản Việt Nam tại Đại hội IV (năm 1976)."),
    Q("LSD-21", C2, S, "Đại hội nào của Đảng khởi xướng công cuộc đổi mới toàn diện đất nước?",
      ("Đại hội IV", "Đại hội V", "Đại hội VI", "Đại hội VII"), "C"),
    Q("LSD-22", C2, S,
      "Cương lĩnh xây dựng đất nước trong thời kỳ quá độ lên chủ nghĩa xã hội được thông qua lần đầu tại Đại hội nào?",
      ("Đại hội VI (1986)", "Đại hội VII (1991)", "Đại hội IX (2001)", "Đại hội XI (2011)"), "B", 3,
      explanation="Cương lĩnh được bổ sung, phát triển năm 2011 tại Đại hội XI."),
    Q("LSD-23", C2, TF, "Chủ tịch Hồ Chí Minh đọc Tuyên ngôn độc lập tại Quảng trường Ba Đình ngày 19/12/1946.", (),
      "B", explanation="Tuyên ngôn độc lập được đọc ngày 2/9/1945; ngày 19/12/1946 là ngày toàn quốc kháng chiến."),
    Q("LSD-24", C2, M, "Những đại hội nào của Đảng được tổ chức trước năm 1954?",
      ("Đại hội I", "Đại hội II", "Đại hội III", "Đại hội IV"), "AB", 2, PARTIAL,
      "Đại hội I họp năm 1935, Đại hội II năm 1951; Đại hội III năm 1960, Đại hội IV năm 1976."),
    Q("LSD-25", C2, S, "Đại hội VI của Đảng chủ trương đổi mới toàn diện, trước hết là đổi mới gì?",
      (
          "Đổi mới tư duy, trước hết là tư duy kinh tế",
          "Đổi mới hệ thống chính trị",
          "Đổi mới văn hóa",
          "Đổi mới quốc phòng",
      ),
      "A", 3),
    Q("LSD-26", C3, S, "Đại hội đại biểu toàn quốc lần thứ XIII của Đảng diễn ra vào thời gian nào?",
      ("Từ 25/1 đến 1/2/2021", "Từ 20 đến 28/1/2016", "Từ 12 đến 19/1/2011", "Từ 2 đến 7/2/2022"), "A"),
    Q("LSD-27", C3, S, "Bao nhiêu đại biểu chính thức dự Đại hội XIII của Đảng?", ("1.377", "1.510", "1.587", "1.600"),
      "C", 2, explanation="Đại hội XI có 1.377 đại biểu, Đại hội XII có 1.510 đại biểu."),
    Q("LSD-28", C3, M, "Những cụm từ nào có trong chủ đề của Đại hội XIII?",
      ("Khơi dậy khát vọng phát triển đất nước",
       "Phát huy ý chí, sức mạnh đại đoàn kết toàn dân tộc kết hợp với sức mạnh thời đại",
       "Lấy khai thác tài nguyên làm động lực tăng trưởng chủ yếu",
       "Hội nhập kinh tế khu vực là nhiệm vụ trung tâm"), "AB", 2, PARTIAL),
    Q("LSD-29", C3, S, "Đại hội XIII được tổ chức tại đâu?",
      ("Trung tâm Hội nghị Quốc gia (Hà Nội)", "Hội trường Ba Đình", "Nhà Quốc hội", "Cung Văn hóa Hữu nghị Việt – Xô"),
      "A"),
    Q("LSD-30", C3, S,
      "Mục tiêu đến năm 2025 (50 năm giải phóng miền Nam, thống nhất đất nước) Đại hội XIII đề ra là gì?",
      ("Là nước đang phát triển, có công nghiệp theo hướng hiện đại, vượt qua mức thu nhập trung bình thấp",
       "Trở thành nước phát triển, thu nhập cao",
       "Là nước công nghiệp hiện đại, thu nhập trung bình cao",
       "Là nước đang phát triển, thu nhập thấp"), "A", 3),
    Q("LSD-31", C3, S, "Mục tiêu đến năm 2030 (100 năm thành lập Đảng) Đại hội XIII đề ra là gì?",
      ("Là nước đang phát triển, có công nghiệp hiện đại, thu nhập trung bình cao",
       "Trở thành nước phát triển, thu nhập cao",
       "Vượt qua mức thu nhập trung bình thấp",
       "Hoàn thành công nghiệp hóa ở nông thôn"), "A", 3),
    Q("LSD-32", C3, S,
      "Theo Đại hội XIII, đến năm 2045 (100 năm thành lập nước) nước ta phấn đấu trở thành nước như thế nào?",
      ("Nước phát triển, thu nhập cao", "Nước đang phát triển, thu nhập trung bình", "Nước công nghiệp mới",
       "Nước có thu nhập trung bình thấp"), "A", 2),
    Q("LSD-33", C3, M, "Đại hội XIII xác định những đột phá chiến lược nào?",
      ("Hoàn thiện đồng bộ thể chế phát triển", "Phát triển nguồn nhân lực, nhất là nguồn nhân lực chất lượng cao",
       "Xây dựng hệ thống kết cấu hạ tầng đồng bộ, hiện đại", "Tăng dân số cơ học ở các đô thị lớn"),
      "ABC", 2, PARTIAL),
    Q("LSD-34", C3, S,
      "Đại hội XIII xác định bao nhiêu nhiệm vụ trọng tâm trong nhiệm kỳ?", ("3", "6", "10", "12"), "B", 2,
      explanation="Đại hội XIII xác định 6 nhiệm vụ trọng tâm và 3 đột phá chiến lược."),
    Q("LSD-35", C3, TF,
      "Văn kiện Đại hội XIII khẳng định phải luôn quán triệt sâu sắc quan điểm “dân là gốc”.", (), "A"),
    Q("LSD-36", C3, M,
      "Trong phương châm “dân biết, dân bàn, dân làm, dân kiểm tra…”, Đại hội XIII bổ sung những nội dung nào?",
      ("Dân giám sát", "Dân thụ hưởng", "Dân quyết định", "Dân tự quản"), "AB", 3, PARTIAL),
    Q("LSD-37", C3, TF,
      "Đại hội XIII bầu Ban Chấp hành Trung ương khóa XIII gồm 200 đồng chí "
      "(180 ủy viên chính thức, 20 ủy viên dự khuyết).",
      (), "A", 3),
    Q("LSD-38", C3, S, "Nhiệm kỳ của Ban Chấp hành Trung ương khóa XIII là giai đoạn nào?",
      ("2016–2021", "2021–2026", "2020–2025", "2026–2031"), "B"),
    Q("LSD-39", C3, S, "Đại hội XIII bầu đồng chí nào làm Tổng Bí thư?",
      ("Đồng chí Nguyễn Phú Trọng", "Đồng chí Nông Đức Mạnh", "Đồng chí Lê Khả Phiêu", "Đồng chí Đỗ Mười"), "A"),
    Q("LSD-40", C3, M, "Những văn kiện nào được Đại hội XIII thông qua?",
      ("Báo cáo chính trị của Ban Chấp hành Trung ương khóa XII",
       "Chiến lược phát triển kinh tế – xã hội 10 năm 2021–2030",
       "Báo cáo tổng kết công tác xây dựng Đảng và thi hành Điều lệ Đảng",
       "Cương lĩnh xây dựng đất nước năm 1991"), "ABC", 3, WHOLE,
      "Cương lĩnh năm 1991 được thông qua tại Đại hội VII."),
)  # fmt: skip


def build_bank(commission: Unit, *, handbook: Any = None) -> QuestionBank:
    """The commission's bank with every question of :data:`QUESTIONS`."""
    bank = bank_create(
        by=None,
        data=BankData(unit=commission, name=BANK_NAME, description=BANK_DESCRIPTION, client_key="demo-bank"),
    ).obj
    tags = TagCache(bank)
    for q in QUESTIONS:
        data = QuestionData(
            stem=q.stem,
            options=list(q.options),
            correct=list(q.correct),
            kind=q.kind,
            scoring=q.scoring,
            explanation=q.explanation,
            tags=[q.tag],
            difficulty=q.difficulty,
            source_document=handbook if q.tag == C3 else None,
            ref=q.ref,
        )
        question_create(by=None, bank=bank, data=data, tag_cache=tags)
    return bank


# --- The 2021 contest: three weekly rounds of 19 questions and a prediction ----------------------
CONTEST_TITLE = "Cuộc thi trực tuyến tìm hiểu Nghị quyết Đại hội XIII của Đảng"
CONTEST_DESCRIPTION = (
    "Ba tuần thi, mỗi tuần 20 câu: 19 câu trắc nghiệm rút ngẫu nhiên từ ngân hàng câu hỏi và 1 câu "
    "hỏi dự đoán. Mỗi tuần 7 giải cá nhân và 7 giải tập thể."
)
ROUND_STARTS = (dt.date(2021, 5, 3), dt.date(2021, 5, 10), dt.date(2021, 5, 17))
DRAW = ({"tag": C1, "count": 7}, {"tag": C2, "count": 5}, {"tag": C3, "count": 7})
CONTESTANTS = 300
FAMILY = ("Nguyễn", "Lò", "Giàng", "Hoàng", "Lý", "Vàng", "Sùng", "Đặng", "Trần", "Phạm", "Lù", "Thào")
MIDDLE = ("Văn", "Thị", "A", "Seo", "Minh", "Thu", "Đức", "Ngọc")
GIVEN = ("An", "Bình", "Chư", "Dung", "Hoa", "Lan", "Mai", "Páo", "Sử", "Tùng", "Vân", "Xuân", "Dế", "Lử")


@dataclass(frozen=True)
class ContestDemo:
    contest: Any
    contestants: int
    attempts: int


def build_contest(commission: Unit, bank: QuestionBank, *, province: Unit, seed: int = 2021) -> ContestDemo:
    """The commission's 2021 contest (Lào Cai's format: 3 weekly rounds of 19 + 1 questions, 7 + 7
    prizes) with :data:`CONTESTANTS` generated contestants of the province's communes of 2021 and
    their attempts, all through the services (the draw is random; the answers follow each
    contestant's own skill). The contest is closed at the end, as it is today."""
    from lantoa.org.selectors import units_within

    rng = random.Random(seed)
    units = list(
        units_within([province.pk], as_of=ROUND_STARTS[0]).filter(kind__code="commune_committee").order_by("code")
    ) or [province]
    contest = contest_create(
        by=None,
        data=ContestData(
            unit=commission,
            title=CONTEST_TITLE,
            description=CONTEST_DESCRIPTION,
            status=ContestStatus.PUBLISHED,
            prizes_individual=7,
            prizes_collective=7,
            consent_text="Thông tin của người dự thi chỉ dùng để công bố kết quả và trao giải của cuộc thi.",
            client_key="demo-contest-2021",
        ),
    ).obj
    rounds = []
    for number, start in enumerate(ROUND_STARTS, 1):
        opens = timezone.make_aware(dt.datetime.combine(start, dt.time(8, 0)))
        rounds.append(
            round_create(
                by=None,
                contest=contest,
                data=RoundData(
                    bank=bank,
                    number=number,
                    title=f"Tuần thi thứ {number}",
                    opens_at=opens,
                    closes_at=opens + dt.timedelta(days=7) - dt.timedelta(hours=1),
                    questions_per_attempt=19,
                    draw_rules=[dict(rule) for rule in DRAW],
                    time_limit_seconds=15 * 60,
                    attempts_allowed=2,
                    prediction_kind=PredictionKind.ENTRIES if number % 2 else PredictionKind.PERFECT_SCORES,
                    prediction_prompt=(
                        "Tuần thi này sẽ có bao nhiêu lượt dự thi?"
                        if number % 2
                        else "Tuần thi này sẽ có bao nhiêu người trả lời đúng tất cả các câu hỏi?"
                    ),
                ),
            )
        )
    correct = {
        version_id: set(item.correct)
        for version_id, item in public_cache.cached_bank(bank.pk).items.items()  # the keys, as the server holds them
    }
    attempts = 0
    for n in range(CONTESTANTS):
        name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
        registered = contestant_register(
            contest=contest,
            data=Registration(
                name=name,
                consent=True,
                unit=units[n % len(units)] if n % 7 else rng.choice(units),
                group=rng.choice(ContestantGroup.values),
            ),
            now=rounds[0].opens_at,
        )
        skill = rng.uniform(0.55, 0.98)
        for round_ in rounds:
            if rng.random() > 0.7:
                continue
            for _try in range(1 if rng.random() < 0.8 else 2):
                started_at = round_.opens_at + dt.timedelta(minutes=rng.randrange(0, 6 * 24 * 60))
                started = attempt_start(contestant=registered.contestant, round_=round_, now=started_at)
                answers = []
                for version_id, order in started.attempt.questions:
                    right = [OPTION_KEYS[i] for i, key in enumerate(order) if key in correct[version_id]]
                    answers.append(right if rng.random() < skill else [OPTION_KEYS[rng.randrange(len(order))]])
                attempt_submit(
                    attempt=started.attempt,
                    answers=answers,
                    prediction=rng.randrange(500, 3000),
                    round_=round_,
                    now=started_at + dt.timedelta(seconds=rng.randrange(90, 14 * 60)),
                )
                attempts += 1
    contest_update(by=None, contest=contest, changes={"status": ContestStatus.CLOSED})
    return ContestDemo(contest, CONTESTANTS, attempts)


# --- Results: tens of thousands of generated attempts, the rounds closed and published ------------
EXTRA_CONTESTANTS = 12_000
HARD_REF = "LSD-12"  # the demo's "miskeyed" question: the stronger contestants miss it more often
PARTY_MEMBERS_2021 = (60, 420)  # generated yearly party-member figures per commune, for the rates


@dataclass(frozen=True)
class ResultsDemo:
    contestants: int
    attempts: int
    seconds: float


def _file_party_members_2021(units: list[Unit], seed: int) -> None:
    """Invented party-member figures for 2021 for the communes that take part, so the units'
    participation rates have a denominator. Their source says they are generated."""
    from lantoa.core.services import data_value_record, period_ensure

    period = period_ensure(kind="year", start=dt.date(2021, 1, 1), end=dt.date(2021, 12, 31))
    for unit in units:
        if not unit.is_open_on(period.end):
            continue
        rng = random.Random(f"{seed}:party-members:{unit.code}")
        data_value_record(
            by=None,
            indicator="party_members",
            unit=unit,
            period=period,
            value=rng.randint(*PARTY_MEMBERS_2021),
            source="demo: generated",
        )


def build_results(
    contest: Any, bank: QuestionBank, *, province: Unit, extra: int = EXTRA_CONTESTANTS, seed: int = 2021
) -> ResultsDemo:
    """``extra`` more contestants of the province's communes of 2021 and their attempts at the
    contest's rounds (about 2.7 each), written with bulk inserts from a seeded generator (the
    same on every build; the draw follows the rounds' rules and each answer each contestant's
    skill and the question's difficulty), then each round closed — ranked, prizes given, units
    ranked — and its results published. The hot path that these rows skip has its own tests and
    the 300 contestants of :func:`build_contest`."""
    import hashlib
    import time

    from lantoa.contests.models import Attempt, Contestant, Question, Round
    from lantoa.contests.services import round_close, round_publish_results
    from lantoa.core.rows import insert_rows
    from lantoa.org.selectors import units_within

    began = time.monotonic()
    rng = random.Random(f"{seed}:results")
    units = list(
        units_within([province.pk], as_of=ROUND_STARTS[0]).filter(kind__code="commune_committee").order_by("code")
    ) or [province]
    _file_party_members_2021(units, seed)
    keen = [rng.uniform(0.2, 1.0) for _ in units]  # how keenly each commune takes part
    rounds = list(Round.objects.filter(contest=contest).order_by("number"))
    items = public_cache.cached_bank(bank.pk).items
    by_tag = public_cache.cached_bank(bank.pk).by_tag
    difficulty = dict(Question.objects.filter(bank=bank).values_list("current_id", "difficulty"))
    miskeyed = Question.objects.filter(bank=bank, ref=HARD_REF).values_list("current_id", flat=True).first()
    now = timezone.make_aware(dt.datetime(2021, 5, 1, 7, 0))
    used_codes = set(Contestant.objects.values_list("referral_code", flat=True))
    people = []
    for n in range(extra):
        code = "".join(rng.choice(INVITATION_ALPHABET) for _ in range(8))
        while code in used_codes:
            code = "".join(rng.choice(INVITATION_ALPHABET) for _ in range(8))
        used_codes.add(code)
        unit = rng.choices(units, weights=keen)[0]
        adult = rng.random() > 0.04  # a few pupils: only their initials are ever published
        name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
        people.append(
            Contestant(
                contest_id=contest.pk,
                name=name,
                unit_id=unit.pk,
                group=ContestantGroup.STUDENT if not adult else rng.choice(ContestantGroup.values),
                birth_year=rng.randint(1960, 2000) if adult else rng.randint(2005, 2008),
                guardian_consent=not adult,
                consented_at=now,
                referral_code=code,
                name_key=fold(name),
                key_hash=hashlib.sha256(f"{seed}:demo-contestant:{n}".encode()).hexdigest(),
                created_at=now,
            )
        )
    if len(people) > 5:  # one person registered twice (the organisers' duplicates page shows them)
        twin, again = people[4], people[5]
        twin.phone = again.phone = "0912 111 222"
        twin.phone_key = again.phone_key = phone_digits(twin.phone)
        again.name, again.name_key, again.unit_id = twin.name, twin.name_key, twin.unit_id
    Contestant.objects.bulk_create(people, batch_size=2000)
    people = list(Contestant.objects.filter(contest=contest, key_hash__in=[p.key_hash for p in people]).order_by("pk"))
    # Some came through the referral link of one of the first 25 (the referral ranking's demo).
    referred = [p for n, p in enumerate(people) if n >= 25 and n % 7 == 3]
    for person in referred:
        person.referred_by_id = people[rng.randrange(25)].pk
    Contestant.objects.bulk_update(referred, ["referred_by"], batch_size=2000)
    attempts: list[Attempt] = []
    total = 0
    for person in people:
        skill = rng.betavariate(5, 2)  # most know the material well, a few do not
        for round_ in rounds:
            if rng.random() > 0.8:
                continue
            for number in range(1, 1 + (1 if rng.random() < 0.85 else 2)):
                attempts.append(
                    _generated_attempt(rng, round_, person, number, skill, items, by_tag, difficulty, miskeyed)
                )
                if len(attempts) >= 5000:
                    insert_rows(attempts)
                    total += len(attempts)
                    attempts = []
    insert_rows(attempts)
    total += len(attempts)
    for round_ in rounds:
        closed = round_close(by=None, round_=round_, now=round_.closes_at + dt.timedelta(days=1))
        round_publish_results(by=None, round_=closed.round)
    build_claims(rounds[0])
    return ResultsDemo(len(people), total, time.monotonic() - began)


DEMO_ACCOUNTS = ["0301000123456", "1020304050607", "7100205566778"]


def build_claims(round_: Any) -> int:
    """Claims of the first round's winners in each state: paid long ago and erased since, paid
    last week, claimed (by bank transfer and to collect in person), and not claimed."""
    from lantoa.contests.models import PayoutMethod, Round, RoundResult
    from lantoa.contests.services.claims import ClaimData, claim_mark_paid, claim_submit, claims_erase

    round_ = Round.objects.select_related("contest").get(pk=round_.pk)
    winners = list(RoundResult.objects.filter(round=round_, prize=True).select_related("contestant")[:4])
    claims = []
    for n, result in enumerate(winners):
        person = result.contestant
        bank = n < len(DEMO_ACCOUNTS)
        data = ClaimData(
            method=PayoutMethod.BANK if bank else PayoutMethod.IN_PERSON,
            payee_name=person.name,
            bank_account=DEMO_ACCOUNTS[n] if bank else "",
            bank_name="Agribank chi nhánh Lào Cai" if bank else "",
            phone=f"0912 {345 + n:03d} {600 + n:03d}",
        )
        claims.append(
            claim_submit(contestant=person, round_=round_, data=data, now=round_.closes_at + dt.timedelta(days=2))
        )
    if claims:
        claim_mark_paid(by=None, claim=claims[0], now=round_.closes_at + dt.timedelta(days=20))
        claims_erase(now=timezone.now())
    if len(claims) > 1:
        claim_mark_paid(by=None, claim=claims[1], now=timezone.now() - dt.timedelta(days=7))
    return len(claims)


def _generated_attempt(
    rng: random.Random,
    round_: Any,
    person: Any,
    number: int,
    skill: float,
    items: dict[int, Any],
    by_tag: dict[str, tuple[int, ...]],
    difficulty: dict[int, int],
    miskeyed: int | None,
) -> Any:
    import uuid
    from decimal import Decimal
    from fractions import Fraction

    from lantoa.contests import grading
    from lantoa.contests.models import Attempt

    questions: list[list[Any]] = []
    for rule in round_.draw_rules:
        for vid in rng.sample(by_tag[rule["tag"]], rule["count"]):
            keys = [key for key, _text in items[vid].options]
            rng.shuffle(keys)
            questions.append([vid, "".join(keys)])
    answers = []
    total = Fraction(0)
    correct = 0
    for vid, order in questions:
        item = items[vid]
        chance = skill - 0.12 * (difficulty.get(vid, 2) - 1)
        if vid == miskeyed:
            chance = 0.9 - skill  # the stronger, the likelier to miss it: a key worth checking
        if rng.random() < chance:
            chosen = "".join(sorted(item.correct))
        else:
            chosen = rng.choice([key for key in order if key not in item.correct] or [order[0]])
        answers.append(chosen)
        mark = grading.score(public_cache.as_graded(item), chosen)
        total += mark
        correct += mark == 1
    window = int((round_.closes_at - round_.opens_at).total_seconds()) - round_.time_limit_seconds
    started = round_.opens_at + dt.timedelta(seconds=rng.randrange(0, window))
    duration = rng.randrange(120_000, round_.time_limit_seconds * 1000)
    submitted = started + dt.timedelta(milliseconds=duration)
    return Attempt(
        id=uuid.UUID(int=rng.getrandbits(128), version=4),
        round_id=round_.pk,
        contestant_id=person.pk,
        unit_id=person.unit_id,
        number=number,
        started_at=started,
        deadline=started + dt.timedelta(seconds=round_.time_limit_seconds),
        questions=questions,
        prediction=rng.randrange(5_000, 60_000) if round_.number % 2 else rng.randrange(100, 4_000),
        submitted_at=submitted,
        submitted_on=timezone.localdate(submitted),
        answers=answers,
        score=(Decimal(total.numerator) / Decimal(total.denominator)).quantize(Decimal("0.01")),
        correct_count=correct,
        duration_ms=duration,
        client_key="",
    )
