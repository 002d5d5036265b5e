"""Questions from and to Moodle XML, as Moodle's own question bank exports them.

What is kept:

* ``<question type="category">``: the category's path (without ``$course$``, ``$system$``…
  and ``top``) becomes a tag of the questions that follow it, e.g. ``Lịch sử Đảng/Chương 1``;
  a question's own ``<tags>`` are kept as tags too;
* ``type="multichoice"``: ``<single>true</single>`` is single choice, ``false`` multiple
  select; an answer is correct when its ``fraction`` is above 0; a multiple-select question
  whose correct answers split the marks (50 + 50, 33.3 × 3…) gives partial credit, one whose
  single correct answer carries 100 % is all or nothing;
* ``type="multichoiceset"`` (the "All-or-Nothing Multiple Choice" plugin): multiple select,
  all or nothing;
* ``type="truefalse"``: true or false (Đúng / Sai);
* the question text and answers, written in HTML, as plain text (tags removed, entities
  unescaped, paragraphs and line breaks kept); the general feedback as the explanation; the
  ``idnumber`` as the question's code (importing the same export again revises or leaves the
  questions it already has, like the spreadsheet import).

What is not imported, each named with its type and its name in the result: every other type
(short answer, essay, matching, numerical, calculated, cloze/multianswer, description,
drag-and-drop…), and questions with embedded files (``<file encoding="base64">``, an image,
``@@PLUGINFILE@@``): Lantoa's questions are text only.

What refuses the whole file (nothing is written, every problem listed): a file that is not
UTF-8 XML, larger than :data:`MAX_BYTES`, with more than :data:`MAX_QUESTIONS` questions, with a
document type or entity declaration (how entity-expansion attacks start; Moodle never writes
one), XML that does not parse or whose root is not ``<quiz>``, and a supported question that
Lantoa cannot hold as it is (no correct answer, too many answers, a text too long…).

The file is parsed with the standard library's expat parser after the declarations are
refused, so no entity is ever expanded and no external resource is fetched.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import IO, Any
from xml.sax.saxutils import escape

from django.db import transaction
from django.utils.translation import gettext as _

from lantoa.contests.bank_io.common import ImportResult, Planned, Skipped, apply_planned, existing_by_ref, plan_action
from lantoa.contests.models import MAX_OPTIONS, REF_MAX, TAG_MAX, Kind, Question, QuestionBank, Scoring
from lantoa.contests.services import TRUE_FALSE_OPTIONS, QuestionData, question_check
from lantoa.core.errors import ImportRejected
from lantoa.core.spreadsheets import MAX_PROBLEMS
from lantoa.core.text import clean_text

MB = 1024 * 1024
MAX_BYTES = 5 * MB
MAX_QUESTIONS = 5_000
SUPPORTED = ("multichoice", "multichoiceset", "truefalse")
_DECLARATION = re.compile(r"<!\s*(DOCTYPE|ENTITY|ELEMENT|ATTLIST|NOTATION)", re.IGNORECASE)
_PLUGINFILE = "@@PLUGINFILE@@"
_HIGHEST = 99.99  # a fraction at or above this is the whole mark (Moodle writes 100 or 99.99999)


# --- HTML to plain text -----------------------------------------------------------------------

_BLOCKS = {
    "p",
    "div",
    "br",
    "li",
    "tr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "pre",
    "table",
    "ul",
    "ol",
    "hr",
}
_SKIPPED = {"script", "style", "head", "title"}
_BLOCK = "\x01"  # where a block (paragraph, list item…) starts or ends
_BLOCK_RUN = re.compile("\n?(?:[ \t]*\x01[ \t]*)+")


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0
        self.images = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED:
            self.skipping += 1
        elif tag in ("img", "video", "audio", "object", "embed", "iframe"):
            self.images += 1
        elif tag == "br":
            self.parts.append("\n")
        elif tag in _BLOCKS:
            self.parts.append(_BLOCK)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BLOCKS:
            self.parts.append(_BLOCK)

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data.replace("\n", " "))


def html_to_text(html: str) -> tuple[str, bool]:
    """Plain text of ``html`` (tags removed, entities unescaped, each paragraph or block on its
    own line, each ``<br>`` a line break), and whether it held a picture or other media."""
    parser = _Text()
    parser.feed(html.replace(_BLOCK, ""))
    parser.close()
    text = _BLOCK_RUN.sub("\n", "".join(parser.parts))
    return clean_text(text, multiline=True), parser.images > 0


# --- Reading --------------------------------------------------------------------------------


@dataclass
class Problem:
    position: int
    name: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        if self.position:
            text = _('question %(n)s ("%(name)s"): %(message)s') % {
                "n": self.position,
                "name": self.name,
                "message": self.message,
            }
        else:
            text = self.message
        return {"sheet": "", "row": self.position, "column": self.name, "message": self.message, "text": text}


def _reject(problems: list[Problem]) -> ImportRejected:
    listed = problems[:MAX_PROBLEMS]
    return ImportRejected(
        _("The file has %(count)s problem(s); nothing was imported.") % {"count": len(problems)},
        extra={
            "errors": [p.as_dict()["text"] for p in listed],
            "details": [p.as_dict() for p in listed],
            "total": len(problems),
            "more": len(problems) - len(listed),
        },
    )


def _refuse(message: str) -> ImportRejected:
    return _reject([Problem(0, "", message)])


def parse(content: bytes) -> ET.Element:
    """The ``<quiz>`` element of ``content``, or ImportRejected with one clear problem."""
    if len(content) > MAX_BYTES:
        raise _refuse(_("the file is larger than %(mb)s MB") % {"mb": MAX_BYTES // MB})
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _refuse(_("the file is not UTF-8 text; export it from Moodle again as Moodle XML")) from exc
    if _DECLARATION.search(text):
        raise _refuse(_("the file declares a document type or entities, which Moodle never writes; it is refused"))
    # The declaration's encoding is read from the bytes; the text is already decoded.
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text, count=1)
    try:
        root = ET.fromstring(text)  # noqa: S314 - every DTD and entity declaration is refused above
    except ET.ParseError as exc:
        raise _refuse(_("the file is not well-formed XML (%(detail)s)") % {"detail": str(exc)[:200]}) from exc
    if root.tag != "quiz":
        raise _refuse(_("the file is not a Moodle XML question export (its root element is not <quiz>)"))
    return root


def _text_of(element: ET.Element | None) -> str:
    """The ``<text>`` of a Moodle element (question name, category…), as written."""
    if element is None:
        return ""
    child = element.find("text")
    return (child.text or "") if child is not None else (element.text or "")


def _formatted(element: ET.Element | None) -> tuple[str, str]:
    """(plain text, problem) of a Moodle text element with a ``format``."""
    if element is None:
        return "", ""
    raw = _text_of(element)
    if element.find("file") is not None or _PLUGINFILE in raw:
        return "", _("it has embedded files (pictures or attachments), which Lantoa does not keep")
    if element.get("format", "html") in ("html", "moodle_auto_format", "markdown") and "<" in raw:
        text, media = html_to_text(raw)
        if media:
            return "", _("it shows a picture or other media, which Lantoa does not keep")
        return text, ""
    return clean_text(raw.replace("&nbsp;", " "), multiline=True), ""


def category_tag(path: str) -> str:
    """The tag a category path gives: ``$course$/top/Lịch sử Đảng/Chương 1`` → ``Lịch sử
    Đảng/Chương 1`` ("//" is a slash inside a name); the last parts that fit a tag."""
    parts = [part.replace("\x00", "/") for part in path.replace("//", "\x00").split("/")]
    kept = [clean_text(part) for part in parts if clean_text(part) and not re.fullmatch(r"\$\w+\$", part.strip())]
    if kept and kept[0].casefold() == "top":
        kept = kept[1:]
    while kept and len("/".join(kept)) > TAG_MAX:
        kept = kept[1:]
    return "/".join(kept)


def _fraction(answer: ET.Element) -> float | None:
    try:
        value = float(answer.get("fraction", "0"))
    except ValueError:
        return None
    return value if -100.0 <= value <= 100.0 else None


@dataclass
class _Read:
    position: int
    name: str
    type: str
    data: QuestionData | None = None
    problems: list[str] = field(default_factory=list)
    skip: str = ""


def _question(element: ET.Element, position: int, category: str) -> _Read:
    kind_name = element.get("type", "")
    name = clean_text(_text_of(element.find("name")))[:120] or _("(no name)")
    read = _Read(position=position, name=name, type=kind_name)
    if kind_name not in SUPPORTED:
        read.skip = _("Lantoa has no question of this type (%(type)s)") % {"type": kind_name or "?"}
        return read
    stem, problem = _formatted(element.find("questiontext"))
    explanation, feedback_problem = _formatted(element.find("generalfeedback"))
    answers = element.findall("answer")
    texts: list[str] = []
    fractions: list[float] = []
    for answer in answers:
        text, answer_problem = _formatted(answer)
        problem = problem or answer_problem
        fraction = _fraction(answer)
        if fraction is None:
            read.problems.append(_('an answer has the fraction "%(value)s"') % {"value": answer.get("fraction", "")})
            fraction = 0.0
        texts.append(text)
        fractions.append(fraction)
    if problem or feedback_problem:
        read.skip = problem or feedback_problem
        return read
    tags = [category] if category else []
    tags += [clean_text(_text_of(tag)) for tag in element.findall("tags/tag")]
    ref = clean_text(_text_of(element.find("idnumber")))[:REF_MAX]
    if kind_name == "truefalse":
        truth = {fold_bool(text): fraction for text, fraction in zip(texts, fractions, strict=True)}
        if set(truth) != {True, False}:
            read.problems.append(_("a true-or-false question needs the answers true and false"))
            return read
        options = list(TRUE_FALSE_OPTIONS)
        correct = ["A"] if truth[True] > truth[False] else ["B"]
        kind, scoring = Kind.TRUE_FALSE, Scoring.ALL_OR_NOTHING
    else:
        options = texts
        correct = [chr(ord("A") + n) for n, fraction in enumerate(fractions) if fraction > 0 and n < MAX_OPTIONS]
        positive = [fraction for fraction in fractions if fraction > 0]
        single = clean_text(element.findtext("single") or "").lower()
        if kind_name == "multichoiceset":
            kind, scoring = Kind.MULTIPLE, Scoring.ALL_OR_NOTHING
        elif single in ("true", "1"):
            kind, scoring = Kind.SINGLE, Scoring.ALL_OR_NOTHING
            if len(positive) > 1:
                read.problems.append(
                    _("this single-choice question gives marks to %(count)s answers; Lantoa's have one correct answer")
                    % {"count": len(positive)}
                )
        else:
            kind = Kind.MULTIPLE
            # Marks split between the correct answers, or taken away for wrong ones: partial credit.
            split = any(f < _HIGHEST for f in positive) or any(f < 0 for f in fractions)
            scoring = Scoring.PARTIAL if split else Scoring.ALL_OR_NOTHING
        if len(answers) > MAX_OPTIONS:
            read.problems.append(
                _("it has %(count)s answers; Lantoa keeps at most %(max)s")
                % {"count": len(answers), "max": MAX_OPTIONS}
            )
    read.data = QuestionData(
        stem=stem,
        options=options,
        correct=correct,
        kind=kind,
        scoring=scoring,
        explanation=explanation,
        tags=tags,
        ref=ref,
    )
    return read


def fold_bool(text: str) -> bool | None:
    folded = clean_text(text).casefold()
    if folded in ("true", "đúng", "1"):
        return True
    if folded in ("false", "sai", "0"):
        return False
    return None


def read_questions(content: bytes) -> list[_Read]:
    root = parse(content)
    elements = root.findall("question")
    if len(elements) > MAX_QUESTIONS:
        raise _refuse(_("the file has more than %(max)s questions") % {"max": MAX_QUESTIONS})
    category = ""
    found: list[_Read] = []
    position = 0
    for element in elements:
        if element.get("type") == "category":
            category = category_tag(_text_of(element.find("category")))
            continue
        position += 1
        found.append(_question(element, position, category))
    if not found:
        raise _refuse(_("the file has no questions"))
    return found


def questions_import_moodle(*, by: Any, bank: QuestionBank, file: IO[bytes] | bytes) -> ImportResult:
    """Every supported question of a Moodle XML export into ``bank``, or nothing
    (ImportRejected lists every problem). Unsupported questions are listed in the result."""
    content = file if isinstance(file, bytes) else file.read(MAX_BYTES + 1)
    found = read_questions(content)
    problems: list[Problem] = []
    skipped: list[Skipped] = []
    refs: dict[str, int] = {}
    checked: list[tuple[_Read, Planned]] = []
    for read in found:
        if read.skip:
            skipped.append(Skipped(read.position, read.name, read.type, read.skip))
            continue
        problems += [Problem(read.position, read.name, message) for message in read.problems]
        if read.data is None or read.problems:
            continue
        clean = question_check(read.data)
        problems += [Problem(read.position, read.name, message) for message in clean.problems.values()]
        if clean.problems:
            continue
        if clean.ref:
            if clean.ref in refs:
                message = _("the idnumber %(ref)s is also used by question %(n)s") % {
                    "ref": clean.ref,
                    "n": refs[clean.ref],
                }
                problems.append(Problem(read.position, read.name, message))
                continue
            refs[clean.ref] = read.position
        checked.append((read, Planned(data=read.data, clean=clean, where=read.position)))
    existing = existing_by_ref(bank, list(refs))
    for read, item in checked:
        item.existing = existing.get(item.clean.ref)
        if item.existing is not None and item.existing.retired_at is not None:
            problems.append(
                Problem(read.position, read.name, _("the question with this idnumber is retired in the bank"))
            )
            continue
        plan_action(item)
    if problems:
        raise _reject(problems)
    planned = [item for _read, item in checked]

    def apply(items: list[Planned]) -> ImportResult:
        return apply_planned(by=by, bank=bank, planned=items, result=ImportResult(skipped=skipped))

    with transaction.atomic():
        return apply(planned)


# --- Writing --------------------------------------------------------------------------------


def _fraction_text(value: float) -> str:
    text = f"{value:.5f}".rstrip("0").rstrip(".")
    return text or "0"


def _cdata(text: str) -> str:
    """Plain text as the HTML Moodle shows: escaped, one paragraph, ``<br>`` between lines."""
    html = "<p>" + "<br>".join(escape(line) for line in text.split("\n")) + "</p>" if text else ""
    return "<![CDATA[" + html.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def export_moodle(questions: list[Question]) -> bytes:
    """The questions (their current versions) as Moodle XML. Each question's first tag is its
    category and all its tags are written as Moodle tags; single choice and partial-credit
    multiple select are ``multichoice``, all-or-nothing multiple select is ``multichoiceset``
    (the plugin of that name), true or false with the options Đúng / Sai is ``truefalse``."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', "<quiz>"]
    category: str | None = None
    for question in sorted(questions, key=lambda q: (_first_tag(q), q.pk)):
        version = question.current
        if version is None:
            continue
        tags = sorted(t.name for t in question.tags.all())
        first = _first_tag(question)
        if first != category:
            category = first
            path = "$course$/top" + ("/" + first if first else "")
            lines += [
                '  <question type="category">',
                f"    <category><text>{escape(path)}</text></category>",
                "  </question>",
            ]
        options = [o["text"] for o in version.options]
        if version.kind == Kind.TRUE_FALSE and tuple(options) == TRUE_FALSE_OPTIONS:
            qtype = "truefalse"
        elif version.kind == Kind.MULTIPLE and version.scoring == Scoring.ALL_OR_NOTHING:
            qtype = "multichoiceset"
        else:
            qtype = "multichoice"
        name = question.ref or version.stem.split("\n")[0][:80]
        lines += [
            f'  <question type="{qtype}">',
            f"    <name><text>{escape(name)}</text></name>",
            f'    <questiontext format="html"><text>{_cdata(version.stem)}</text></questiontext>',
            f'    <generalfeedback format="html"><text>{_cdata(version.explanation)}</text></generalfeedback>',
            "    <defaultgrade>1</defaultgrade>",
            f"    <idnumber>{escape(question.ref)}</idnumber>",
        ]
        correct = set(version.correct)
        if qtype == "truefalse":
            for key, word in (("A", "true"), ("B", "false")):
                lines.append(
                    f'    <answer fraction="{100 if key in correct else 0}" format="moodle_auto_format">'
                    f"<text>{word}</text></answer>"
                )
        else:
            lines.append(f"    <single>{'true' if version.kind != Kind.MULTIPLE else 'false'}</single>")
            lines.append("    <shuffleanswers>true</shuffleanswers>")
            lines.append("    <answernumbering>ABCD</answernumbering>")
            wrong = len(options) - len(correct)
            for option in version.options:
                if qtype == "multichoiceset" or version.kind != Kind.MULTIPLE:
                    fraction = 100.0 if option["key"] in correct else 0.0
                elif option["key"] in correct:
                    fraction = 100.0 / len(correct)
                else:
                    fraction = -100.0 / wrong if wrong else 0.0
                lines.append(
                    f'    <answer fraction="{_fraction_text(fraction)}" format="html">'
                    f"<text>{_cdata(option['text'])}</text></answer>"
                )
        if tags:
            lines.append("    <tags>" + "".join(f"<tag><text>{escape(t)}</text></tag>" for t in tags) + "</tags>")
        lines.append("  </question>")
    lines.append("</quiz>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def _first_tag(question: Question) -> str:
    names = sorted(t.name for t in question.tags.all())
    return names[0] if names else ""
