"""The printed forms as data (issue 20): ``data/forms/<edition>/<form>.yaml``.

A form's file holds its printed ``texts`` — verbatim, Russian and (where the edition has a
Kazakh text) Kazakh, each with its line of the source, optionally an English gloss — and its
``layout``: the blocks of the document in printed order, each naming a text of the form, a value
of the conclusion or report that fills it, or a word of the library's own (``data/forms/ui.yaml``).
``compose`` walks the layout and gives a ``document.Document``; the renderers know blocks, never
forms. A form of a new edition is a new file here (and its name under ``forms`` of the edition in
``data/procedure.yaml``); a form reused by a later edition is found in the directory of the
latest edition that lists it and has a file for it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from .._yaml import load_model
from ..errors import DataFileError, Problem, ReportInputError, UnknownLanguageError
from ..outputs import mask_iin_text
from ..resources import data_path
from .document import (
    Block,
    Cell,
    Column,
    ColumnKind,
    Document,
    Formula,
    Gloss,
    Para,
    ParaStyle,
    Run,
    Section,
    Signatures,
    Table,
)
from .document import Field as FieldBlock

__all__ = [
    "Chosen",
    "FormFile",
    "Rows",
    "Text",
    "compose",
    "form_file",
    "form_spec",
    "ui_texts",
]

_FROZEN = ConfigDict(extra="forbid", frozen=True)
Lines = int | tuple[int, ...]


# --- the printed texts ------------------------------------------------------------------------


class Text(BaseModel):
    """A printed text: Russian (``line`` of the Russian source), Kazakh (``line_kk``) where the
    edition has a Kazakh text, an English gloss (``en``, the library's, never printed in a
    Russian or Kazakh form unless a gloss is asked for)."""

    model_config = _FROZEN
    line: Lines
    ru: str = Field(min_length=1)
    line_kk: Lines | None = None
    kk: str | None = Field(default=None, min_length=1)
    en: str | None = None

    def get(self, lang: str) -> str:
        if lang != "kk":
            return self.ru
        if self.kk is None:
            raise _no_kazakh(self.line)
        return self.kk

    @property
    def first_line(self) -> int:
        return self.line if isinstance(self.line, int) else self.line[0]


class Item(Text):
    key: str


class Texts(BaseModel):
    """The headers of a printed table."""

    model_config = _FROZEN
    line: Lines
    ru: tuple[str, ...] = Field(min_length=1)
    line_kk: Lines | None = None
    kk: tuple[str, ...] | None = None
    en: tuple[str, ...] | None = None

    def get(self, lang: str) -> tuple[str, ...]:
        if lang != "kk":
            return self.ru
        if self.kk is None:
            raise _no_kazakh(self.line)
        return self.kk

    @model_validator(mode="after")
    def _same_length(self) -> Texts:
        for other in (self.kk, self.en):
            if other is not None and len(other) != len(self.ru):
                raise ValueError(f"{len(self.ru)} Russian headers but {len(other)} in another language")
        return self


class Choices(BaseModel):
    """The options of «(нужное подчеркнуть)»: key → printed word; the chosen one underlined."""

    model_config = _FROZEN
    line: Lines
    ru: dict[str, str]
    line_kk: Lines | None = None
    kk: dict[str, str] | None = None
    en: dict[str, str] | None = None
    separator: str = ", "

    def get(self, lang: str) -> dict[str, str]:
        if lang != "kk":
            return self.ru
        if self.kk is None:
            raise _no_kazakh(self.line)
        return self.kk


def _no_kazakh(line: Lines) -> UnknownLanguageError:
    return UnknownLanguageError(f"the printed text of line {line} has no Kazakh version")


TextNode = Text | Texts | Choices | tuple[Item, ...]


# --- the layout ---------------------------------------------------------------------------------


class Src(BaseModel):
    """Where a piece of text comes from: a printed ``text`` of the form, a ``value`` of the
    document (a list value gives one line each, ``numbered`` 1., 2. …), or a ``ui`` phrase of the
    library filled with the document's values. ``underline``: the value naming the word of the
    printed text to underline («без возражений/с возражениями (нужное подчеркнуть)»)."""

    model_config = _FROZEN
    text: str | None = None
    value: str | None = None
    ui: str | None = None
    suffix: str = ""
    underline: str | None = None
    numbered: bool = False
    bold: bool = False

    @model_validator(mode="after")
    def _one(self) -> Src:
        if sum(x is not None for x in (self.text, self.value, self.ui)) != 1:
            raise ValueError("give exactly one of text, value, ui")
        return self


class TotalSpec(BaseModel):
    model_config = _FROZEN
    text: str  # the printed «ИТОГО, …» text
    value: str  # the document's value printed after it
    colon: bool = False  # add «:» where the printed text has none before the number


class TableSpec(BaseModel):
    """A table: ``headers`` (a printed text of the form) or ``columns`` (a transcribed report
    form under data/, e.g. ``reports/annex4.yaml``), the ``value`` holding its rows, the
    ``kinds`` of its columns, and a ``total`` line (a report's total row comes with its rows:
    ``Rows.total_row``)."""

    model_config = _FROZEN
    value: str
    headers: str | None = None
    columns: str | None = None
    kinds: tuple[ColumnKind, ...] | None = None
    widths: tuple[int, ...] | None = None
    total: TotalSpec | None = None

    @model_validator(mode="after")
    def _headers(self) -> TableSpec:
        if (self.headers is None) == (self.columns is None):
            raise ValueError("give exactly one of headers, columns")
        if self.kinds is not None and self.widths is not None and len(self.kinds) != len(self.widths):
            raise ValueError("kinds and widths differ in length")
        return self


class FieldsSpec(BaseModel):
    """The numbered items: a printed list of items (``texts``), each filled with the document's
    value of its key; ``choices``: item key → the printed options it underlines from."""

    model_config = _FROZEN
    texts: str
    choices: dict[str, str] = Field(default_factory=dict)
    #: number the labels 1., 2. … (the printed list is numbered, its texts are not)
    numbered: bool = False


_KINDS = ("caption", "title", "number", "line", "heading", "note", "fields", "table",
          "paragraphs", "signatures")


class BlockSpec(BaseModel):
    """One block of the layout (exactly one kind); ``when``: printed only if that value of the
    document is present (not empty)."""

    model_config = _FROZEN
    caption: Src | None = None
    title: Src | None = None
    number: Src | None = None
    line: Src | None = None
    heading: Src | None = None
    note: Src | None = None
    fields: FieldsSpec | None = None
    table: TableSpec | None = None
    paragraphs: Src | None = None
    signatures: tuple[tuple[Src, ...], ...] | None = None
    when: str | None = None

    @model_validator(mode="after")
    def _one(self) -> BlockSpec:
        set_ = [k for k in _KINDS if getattr(self, k) is not None]
        if len(set_) != 1:
            raise ValueError(f"a block has exactly one of {', '.join(_KINDS)}; got {set_ or 'none'}")
        return self

    @property
    def kind(self) -> str:
        return next(k for k in _KINDS if getattr(self, k) is not None)


class FormFile(BaseModel):
    """``data/forms/<edition>/<form>.yaml``."""

    model_config = _FROZEN
    schema_version: Literal[1]
    form: str
    #: the texts it is transcribed from (``shared/...``), by language
    sources: dict[str, str]
    languages: tuple[Literal["ru", "kk"], ...] = Field(min_length=1)
    #: why a language is missing (said, not left empty; reading E15)
    languages_note: str | None = None
    sheet: str
    landscape: bool = False
    #: the form prints personal data (ИИН): say under it that they are masked
    personal_data: bool = True
    #: print a workbook so many pages wide, repeating the first ``repeat_columns`` columns
    #: (a 44-column report fitted to one A4 page prints 2 pt high; three pages: 6 pt)
    pages_wide: int = Field(default=1, ge=1, le=10)
    repeat_columns: int = Field(default=0, ge=0)
    widths: tuple[int, ...] = ()
    texts: dict[str, TextNode] = Field(default_factory=dict)
    layout: tuple[BlockSpec, ...] = Field(min_length=1)

    def text(self, key: str) -> Text:
        t = self.texts[key]
        if not isinstance(t, Text):
            raise TypeError(f"{self.form}: text {key!r} is not a single text")
        return t

    def headers(self, key: str) -> Texts:
        t = self.texts[key]
        if not isinstance(t, Texts):
            raise TypeError(f"{self.form}: text {key!r} is not a list of headers")
        return t

    def choices(self, key: str) -> Choices:
        t = self.texts[key]
        if not isinstance(t, Choices):
            raise TypeError(f"{self.form}: text {key!r} is not a list of options")
        return t

    def items(self, key: str) -> tuple[Item, ...]:
        t = self.texts[key]
        if not isinstance(t, tuple):
            raise TypeError(f"{self.form}: text {key!r} is not a list of items")
        return t

    @model_validator(mode="after")
    def _refs(self) -> FormFile:
        """Every text the layout names exists (a typo is an error on loading, not a gap)."""
        named: list[str] = []
        for b in self.layout:
            srcs: list[Src] = [s for s in (b.caption, b.title, b.number, b.line, b.heading,
                                           b.note, b.paragraphs) if s is not None]
            srcs += [s for col in b.signatures or () for s in col]
            named += [s.text for s in srcs if s.text is not None]
            if b.fields is not None:
                named += [b.fields.texts, *b.fields.choices.values()]
            if b.table is not None:
                named += [t.text for t in (b.table.total,) if t is not None]
                named += [b.table.headers] if b.table.headers else []
        missing = sorted({n for n in named if n not in self.texts})
        if missing:
            raise ValueError(f"the layout names texts that are not in texts: {', '.join(missing)}")
        return self


class UiFile(BaseModel):
    model_config = _FROZEN
    schema_version: Literal[1]
    note: str
    ru: dict[str, str]
    kk: dict[str, str]
    en: dict[str, str] = Field(default_factory=dict)
    #: the headers of the library's own tables (the annex of error rows), by language
    tables: dict[str, dict[Literal["ru", "kk"], tuple[str, ...]]] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _same_keys(self) -> UiFile:
        if set(self.ru) != set(self.kk):
            raise ValueError(f"ru and kk phrases differ: {sorted(set(self.ru) ^ set(self.kk))}")
        return self


def ui_table(name: str, lang: str) -> tuple[str, ...]:
    """The headers of the library's table ``name`` in ``lang`` (data/forms/ui.yaml)."""
    return ui_texts().tables[name]["kk" if lang == "kk" else "ru"]


@cache
def ui_texts() -> UiFile:
    """The library's own words around the printed texts (``data/forms/ui.yaml``)."""
    model, _ = load_model(UiFile, data_path("forms/ui.yaml"))
    return model


def ui(lang: str) -> dict[str, str]:
    u = ui_texts()
    return u.kk if lang == "kk" else u.ru


def form_file(form: str, edition: str | None = None) -> Path:
    """The data file of ``form`` as the edition ``edition`` prints it: ``forms/<e>/<form>.yaml``
    of the latest edition ``e`` up to ``edition`` (all of them if None) that lists the form
    (data/procedure.yaml) and has such a file. An edition that changes a label of a form it
    shares with an earlier one brings its own file; the earlier edition keeps its own."""
    from .editions import editions_of_form

    editions = editions_of_form(form)
    if edition is not None and edition in editions:
        editions = editions[: editions.index(edition) + 1]
    for e in reversed(editions):
        try:
            return data_path(f"forms/{e}/{form}.yaml")
        except FileNotFoundError:
            continue
    raise FileNotFoundError(
        f"no data/forms/<edition>/{form}.yaml for form {form!r} (editions {', '.join(editions)})")


@cache
def form_spec(form: str, edition: str | None = None) -> FormFile:
    """The loaded data file of ``form`` as ``edition`` prints it (checked: unknown keys,
    missing texts are errors)."""
    path = form_file(form, edition)
    model, _ = load_model(FormFile, path)
    if model.form != form:
        raise ReportInputError(f"{path}: says form {model.form!r}, expected {form!r}")
    return model


# --- composing a document -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Chosen:
    """The value of an item printed as options with the chosen one underlined."""

    key: str


@dataclass(frozen=True, slots=True)
class Rows:
    """The rows of a table, typed cells, and a total row (formulas where the form sums)."""

    rows: tuple[tuple[Cell, ...], ...]
    total_row: tuple[Cell | Formula, ...] | None = None


Value = str | int | Decimal | dt.date | Chosen | Rows | Sequence[str] | None
Values = Mapping[str, Value]


def check_lang(form: str, lang: str, edition: str | None = None) -> str:
    spec = form_spec(form, edition)
    if lang not in spec.languages:
        why = f" ({spec.languages_note})" if spec.languages_note else ""
        raise UnknownLanguageError(
            f"language {lang!r}: form {form} is printed in {', '.join(spec.languages)}{why}")
    return lang


def compose(
    form: str,
    values: Values,
    *,
    lang: str = "ru",
    show_iin: bool = False,
    gloss: str | None = None,
    annexes: Sequence[Section] = (),
    edition: str | None = None,
) -> Document:
    """The document of ``form`` filled with ``values`` in ``lang``. Every text a value brings
    (free text of the input) has its ИИН masked unless ``show_iin``; ``gloss="en"`` puts the
    English gloss of each printed text beside it (never in it). ``edition``: the edition in
    force on the document's date, whose text of the form is printed (the latest if None)."""
    spec = form_spec(form, edition)
    check_lang(form, lang, edition)
    if gloss not in (None, "en"):
        raise UnknownLanguageError(f"gloss {gloss!r}: the only gloss is 'en'")
    c = _Composer(spec, values, lang, show_iin, gloss, form_file(form, edition))
    blocks: list[Block] = []
    for b in spec.layout:
        if b.when is not None and not c.value(b.when):
            continue
        blocks.extend(c.block(b))
    blocks.extend(annexes)
    if not show_iin and spec.personal_data:
        en = ui_texts().en.get("iin_masked") if gloss == "en" else None
        blocks.append(Para((Run(ui(lang)["iin_masked"]),), "note", Gloss(en) if en else None))
    title = next((p.text for p in blocks if isinstance(p, Para) and p.style == "title"), form)
    return Document(form=form, lang=lang, title=title, blocks=tuple(blocks), sheet=spec.sheet,
                    landscape=spec.landscape, widths=spec.widths, pages_wide=spec.pages_wide,
                    repeat_columns=spec.repeat_columns)


def _fmt(v: Value, lang: str) -> str:
    from .numbers import format_date, format_money

    if v is None:
        return ""
    if isinstance(v, Decimal):
        return format_money(v, lang)
    if isinstance(v, dt.date):
        return format_date(v)
    return str(v)


_STYLE: dict[str, ParaStyle] = {"caption": "caption", "title": "title", "number": "number",
                                "line": "body", "heading": "heading", "note": "note",
                                "paragraphs": "body"}


class _Composer:
    def __init__(self, spec: FormFile, values: Values, lang: str, show_iin: bool,
                 gloss: str | None, path: Path) -> None:
        self.spec, self.values, self.lang = spec, values, lang
        self.show_iin, self.gloss, self.path = show_iin, gloss, path

    # text of the document (masked) and printed text (as printed)
    def safe(self, s: str) -> str:
        return s if self.show_iin else mask_iin_text(s)

    def value(self, key: str) -> Value:
        if key not in self.values:
            raise _missing_value(self.path, key, self.values)
        return self.values[key]

    def str_value(self, key: str) -> str:
        return self.safe(_fmt(self.value(key), self.lang))

    def gloss_of(self, t: Text | Texts | Choices | None) -> Gloss | None:
        if self.gloss != "en" or t is None or t.en is None:
            return None
        if isinstance(t.en, str):
            return Gloss(t.en)
        if isinstance(t, Choices):
            return Gloss(t.separator.join(t.en[k] for k in t.ru if k in t.en))
        return Gloss(" | ".join(t.en))

    def src(self, s: Src) -> tuple[list[tuple[Run, ...]], Gloss | None]:
        """The lines a piece of text gives (a list value gives several)."""
        if s.text is not None:
            t = self.spec.text(s.text)
            words = t.get(self.lang) + s.suffix
            if s.underline is not None:
                chosen = self.value(s.underline)
                return [_underlined(words, str(chosen) if chosen else None)], self.gloss_of(t)
            return [(Run(words, bold=s.bold),)], self.gloss_of(t)
        if s.ui is not None:
            phrase = ui(self.lang)[s.ui]
            given = _Formatted(self.values, self.lang, self.path)
            filled = phrase.format_map(given)
            en = ui_texts().en.get(s.ui) if self.gloss == "en" else None
            gloss = Gloss(self.safe(en.format_map(given))) if en else None
            return [(Run(self.safe(filled) + s.suffix, bold=s.bold),)], gloss
        assert s.value is not None
        v = self.value(s.value)
        if isinstance(v, list | tuple):
            return [(Run(self.safe(f"{i}. {x}" if s.numbered else str(x)), bold=s.bold),)
                    for i, x in enumerate(v, 1)], None
        return [(Run(self.str_value(s.value) + s.suffix, bold=s.bold),)], None

    def paras(self, s: Src, style: ParaStyle) -> list[Para]:
        lines, g = self.src(s)
        return [Para(runs, style, g if i == 0 else None) for i, runs in enumerate(lines)]

    def block(self, b: BlockSpec) -> list[Block]:
        kind = b.kind
        if kind in _STYLE:
            s = getattr(b, kind)
            return list(self.paras(s, _STYLE[kind]))
        if b.fields is not None:
            return list(self.fields(b.fields))
        if b.table is not None:
            return [self.table(b.table)]
        assert b.signatures is not None
        return [Signatures(tuple(tuple(p for s in col for p in self.paras(s, "body"))
                                 for col in b.signatures))]

    def fields(self, f: FieldsSpec) -> list[FieldBlock]:
        out: list[FieldBlock] = []
        for n, item in enumerate(self.spec.items(f.texts), 1):
            label = f"{n}. {item.get(self.lang)}" if f.numbered else item.get(self.lang)
            v = self.value(item.key)
            if item.key in f.choices:
                options = self.spec.choices(f.choices[item.key])
                words = options.get(self.lang)
                chosen = v.key if isinstance(v, Chosen) else None
                runs: list[Run] = []
                for k, word in words.items():
                    if runs:
                        runs.append(Run(options.separator))
                    runs.append(Run(word, bold=k == chosen, underline=k == chosen))
                out.append(FieldBlock(label, (tuple(runs),), True, self.gloss_of(item),
                                      self.gloss_of(options)))
            elif isinstance(v, list | tuple):
                out.append(FieldBlock(label, tuple((Run(self.safe(str(x)), bold=True),) for x in v),
                                      False, self.gloss_of(item)))
            else:
                out.append(FieldBlock(label, ((Run(self.str_value(item.key), bold=True),),), True,
                                      self.gloss_of(item)))
        return out

    def table(self, t: TableSpec) -> Table:
        data = self.value(t.value)
        if not isinstance(data, Rows):
            raise TypeError(f"form {self.spec.form}: value {t.value!r} is not table rows")
        rows = tuple(tuple(self.safe(c) if isinstance(c, str) else c for c in r) for r in data.rows)
        ids: tuple[str, ...] = ()
        numbered = False
        if t.headers is not None:
            node = self.spec.texts[t.headers]
            en: tuple[str, ...] | None
            if isinstance(node, tuple):  # a list of keyed columns (the register)
                heads = tuple(i.get(self.lang) for i in node)
                en = tuple(i.en or "" for i in node) if self.gloss == "en" else None
            else:
                h = self.spec.headers(t.headers)
                heads = h.get(self.lang)
                en = h.en if self.gloss == "en" else None
            text: tuple[ColumnKind, ...] = ("text",)
            kinds = t.kinds or text * len(heads)
            widths = t.widths or tuple(self.spec.widths[j] if j < len(self.spec.widths) else 16
                                       for j in range(len(heads)))
            columns = tuple(Column(x, kinds[j], width=widths[j],
                                   gloss=Gloss(en[j]) if en and en[j] else None)
                            for j, x in enumerate(heads))
        else:
            assert t.columns is not None
            from .forms import column_kind, load_form_file

            rf = load_form_file(t.columns)
            # widths: a name or note wraps in 28 characters; a sum of tenge up to
            # 9 999 999 999,99 fits in 17 (a narrower column prints «###»)
            width = {"text": 28, "money": 17}
            columns = tuple(Column(c.header, column_kind(c), c.groups, c.number,
                                   width.get(column_kind(c), 12)) for c in rf.columns)
            ids = tuple(c.id for c in rf.columns)
            numbered = True
        total_line = None
        total_gloss = None
        if t.total is not None:
            printed = self.spec.text(t.total.text)
            label = printed.get(self.lang)
            if t.total.colon and not label.endswith(":"):
                label += ":"
            total_line = f"{label} {self.str_value(t.total.value)}"
            total_gloss = self.gloss_of(printed)
        return Table(columns, rows, total_line, data.total_row, ids, numbered, total_gloss)


def _underlined(text: str, word: str | None) -> tuple[Run, ...]:
    if not word or word not in text:
        return (Run(text),)
    i = text.index(word)
    parts = (Run(text[:i]), Run(word, underline=True), Run(text[i + len(word):]))
    return tuple(p for p in parts if p.text)


class _Formatted(dict[str, str]):
    """The values as text for ``str.format_map`` of a ui phrase."""

    def __init__(self, values: Values, lang: str, path: Path) -> None:
        super().__init__()
        self._values, self._lang, self._path = values, lang, path

    def __missing__(self, key: str) -> str:
        if key not in self._values:
            raise _missing_value(self._path, key, self._values, "a ui phrase it prints")
        return _fmt(self._values[key], self._lang)


def _missing_value(path: Path, key: str, values: Values, where: str = "the layout") -> DataFileError:
    """A form's file naming a value the document does not give (a typo, or a form whose content
    is new: its values belong in ``reports/fill.py``)."""
    return DataFileError(path, [Problem(str(path), "layout", (
        f"{where} names value {key!r}, which this document does not have; it has "
        f"{', '.join(sorted(values))}"))])
