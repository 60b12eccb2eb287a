"""The printed texts of the 2026 forms, by language, from ``data/forms/2026.yaml`` (one place for
every label; issue 20). Each text carries its line of the Russian and of the Kazakh text of the
Rules; ``tests/test_forms_data.py`` checks them there."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from .._yaml import load_model
from ..errors import UnknownLanguageError
from ..resources import data_path

Lang = Literal["ru", "kk"]
LANGS: tuple[str, ...] = ("ru", "kk")
_FROZEN = ConfigDict(extra="forbid", frozen=True)


class Text(BaseModel):
    model_config = _FROZEN
    line: int = Field(gt=0)
    ru: str = Field(min_length=1)
    line_kk: int = Field(gt=0)
    kk: str = Field(min_length=1)

    def get(self, lang: str) -> str:
        return self.kk if lang == "kk" else self.ru


class Item(Text):
    key: str


class Texts(BaseModel):
    model_config = _FROZEN
    line: int
    ru: list[str]
    line_kk: int
    kk: list[str]

    def get(self, lang: str) -> tuple[str, ...]:
        return tuple(self.kk if lang == "kk" else self.ru)


class KindTexts(BaseModel):
    model_config = _FROZEN
    line: int
    ru: dict[str, str]
    line_kk: int
    kk: dict[str, str]

    def get(self, lang: str) -> dict[str, str]:
        return dict(self.kk if lang == "kk" else self.ru)


class FormTexts(BaseModel):
    model_config = _FROZEN
    annex: Text
    title: Text
    items: list[Item] = Field(default_factory=list)
    columns: list[Item] = Field(default_factory=list)
    results: Text | None = None
    result_headers: Texts | None = None
    total: Text | None = None
    clauses: Text | None = None
    clause_headers: Texts | None = None
    clause_total: Text | None = None
    conclusions: Text | None = None
    sign_fund: Text | None = None
    sign_provider: Text | None = None
    sign_name: Text | None = None
    ack: Text | None = None
    objections: Text | None = None
    note: Text | None = None
    kinds: KindTexts | None = None


class UiTexts(BaseModel):
    model_config = _FROZEN
    number_line: str
    held: str
    contract_sum: str
    detected: str
    empty_column: str
    date: str
    ack_without: str
    ack_with: str
    iin_masked: str


class Ui(BaseModel):
    model_config = _FROZEN
    note: str
    ru: UiTexts
    kk: UiTexts


class FormsFile(BaseModel):
    model_config = _FROZEN
    schema_version: Literal[1]
    edition: str
    source: str
    source_kk: str
    forms: dict[str, FormTexts]
    ui: Ui


def forms_file(form: str) -> Path:
    """The data file of a form's texts: ``forms/<edition>.yaml`` of the latest edition that
    lists the form (data/procedure.yaml) and has such a file — an edition that reuses the
    forms of an earlier one reuses its texts (no edition is written in code)."""
    from .editions import editions_of_form

    editions = editions_of_form(form)
    for edition in reversed(editions):
        try:
            return data_path(f"forms/{edition}.yaml")
        except FileNotFoundError:
            continue
    raise FileNotFoundError(
        f"no data/forms/<edition>.yaml for form {form!r} (editions {', '.join(editions)})")


@lru_cache(maxsize=1)
def _load() -> FormsFile:
    model, _ = load_model(FormsFile, forms_file("2026-annex3"))
    return model


def check_lang(lang: str) -> Lang:
    if lang not in LANGS:
        raise UnknownLanguageError(f"language {lang!r}: the 2026 forms exist in {', '.join(LANGS)}")
    return "kk" if lang == "kk" else "ru"


def form_texts(form: str) -> FormTexts:
    """The texts of ``form`` ("2026-annex2" … "2026-annex5")."""
    return _load().forms[form]


def ui(lang: str) -> UiTexts:
    """The library's own words around the printed texts, in ``lang``."""
    u = _load().ui
    return u.kk if check_lang(lang) == "kk" else u.ru


# --- the 2022 forms (Прил. 2, 5 of order ҚР ДСМ-105): Russian only, from the seed text ------


class Text2022(BaseModel):
    model_config = _FROZEN
    lines: list[int] = Field(min_length=1)
    ru: str = Field(min_length=1)


class Item2022(Text2022):
    key: str


class Texts2022(BaseModel):
    model_config = _FROZEN
    lines: list[int] = Field(min_length=1)
    ru: list[str] = Field(min_length=1)


class Kinds2022(BaseModel):
    model_config = _FROZEN
    lines: list[int] = Field(min_length=1)
    ru: dict[str, str]


class Annex2Texts2022(BaseModel):
    model_config = _FROZEN
    title: Text2022
    items: list[Item2022]
    kinds: Kinds2022
    results: Text2022
    result_headers: Texts2022
    total: Text2022
    star_note: Text2022
    clauses: Text2022
    clause_headers: Texts2022
    clause_total: Text2022
    conclusions: Text2022
    follow_up: Text2022
    follow_up_clause_headers: Texts2022
    follow_up_conclusions: Text2022
    abbreviations: Text2022
    sign_fund: Text2022
    sign_provider: Text2022
    sign_name: Text2022

    def label(self, key: str) -> str:
        return next(i.ru for i in self.items if i.key == key)


class Annex5Texts2022(BaseModel):
    model_config = _FROZEN
    title: Text2022
    items: list[Item2022]
    sign_name: Text2022


class Forms2022(BaseModel):
    model_config = _FROZEN
    annex2: Annex2Texts2022
    annex5: Annex5Texts2022


class FormsFile2022(BaseModel):
    model_config = _FROZEN
    schema_version: Literal[1]
    edition: str
    source: str
    forms: Forms2022


@lru_cache(maxsize=1)
def forms_2022() -> Forms2022:
    """The texts of Прил. 2 and 5 of the 2022 edition (data/forms/2022-10-16.yaml)."""
    model, _ = load_model(FormsFile2022, forms_file("annex2"))
    return model.forms
