"""The titles of the error kinds in Russian, English and (where the sources give the wording)
Kazakh, from ``data/messages.yaml`` (issue 19, item 7).

Kazakh is never guessed: an entry without ``kk`` carries ``kk_note`` saying so, and
:func:`error_title` then gives the Russian title with that note."""

from __future__ import annotations

from functools import cache
from typing import Literal

from pydantic import BaseModel, ConfigDict, model_validator

from .._yaml import load_model
from ..errors import DataFileError, Problem
from ..resources import data_path
from .model import ErrorKind

Lang = Literal["ru", "kk", "en"]
LANGS: tuple[str, ...] = ("ru", "kk", "en")


class Message(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    ru: str
    en: str
    #: the Kazakh title, only when its wording is in the sources' Kazakh text
    kk: str | None = None
    #: why there is no Kazakh title (required when ``kk`` is null)
    kk_note: str | None = None

    @model_validator(mode="after")
    def _kk_or_note(self) -> Message:
        if self.kk is None and not self.kk_note:
            raise ValueError("kk is null: give kk_note saying the sources lack the wording")
        return self


class MessagesFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    kk_missing_note: str
    messages: dict[ErrorKind, Message]


@cache
def messages_file() -> MessagesFile:
    """``data/messages.yaml``, validated; a kind missing from the file is a DataFileError."""
    path = data_path("messages.yaml")
    model, _ = load_model(MessagesFile, path)
    missing = [k.value for k in ErrorKind if k not in model.messages]
    if missing:
        raise DataFileError(
            str(path),
            [Problem(str(path), "messages", f"no entry for error kind(s): {', '.join(missing)}")],
        )
    return model


def messages() -> dict[ErrorKind, Message]:
    """Every ErrorKind's titles."""
    return messages_file().messages


def error_title(kind: ErrorKind | str, lang: str) -> str:
    """The title of error kind ``kind`` in ``lang`` (ru, kk, en). Kazakh missing from the
    sources: the Russian title followed by the note ``[kk: …]``."""
    if lang not in LANGS:
        raise ValueError(f"lang {lang!r}; allowed: {', '.join(LANGS)}")
    m = messages()[ErrorKind(kind)]
    if lang == "en":
        return m.en
    if lang == "kk":
        return m.kk if m.kk is not None else f"{m.ru} [kk: {m.kk_note}]"
    return m.ru
