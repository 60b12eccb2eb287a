"""What changed between two editions of the classifier (``osms-defects classifier --diff``).

Codes are compared by their normalized id: added, removed, renumbered (a removed code whose
Russian name is printed again under a new code), moved names (a name printed under another code
while its old code stays with a new meaning: 2022's 12.0 «Необоснованный отказ в госпитализации
на уровне приемного отделения» is 2026's 14.0, and 2026's 12.0 is paid care), renamed (same
code, another name). Amounts are compared cell by cell through the care-type correspondence recorded in
``data/classifier.yaml`` (``correspondences:``, each mapping with its note): the effective
penalty of a code in a column of the earlier edition against each corresponding column of the
later one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import (
    DoubtfulCellError,
    GroupCodeNotAssignableError,
    NoEditionError,
    NotApplicableError,
    PenaltyUndefinedError,
    ReadingRequiredError,
)
from .model import CareTypeMapping, Classifier, Edition, RulesChange


@dataclass(frozen=True, slots=True)
class AmountChange:
    code_from: str
    code_to: str
    care_type_from: str
    care_type_to: str
    before: str  # effective cell of the earlier edition, as printed ("300%", "-", "[30 КПН]")
    after: str


@dataclass(frozen=True, slots=True)
class EditionDiff:
    """The differences between editions ``a`` (earlier) and ``b`` (later)."""

    a: str
    b: str
    added: list[tuple[str, str]] = field(default_factory=list)  # (code, name_ru)
    removed: list[tuple[str, str]] = field(default_factory=list)
    renumbered: list[tuple[str, str, str]] = field(default_factory=list)  # (old, new, name)
    renamed: list[tuple[str, str, str]] = field(default_factory=list)  # (code, old, new)
    # a name of the earlier edition printed under another code of the later one (old, new, name)
    moved_names: list[tuple[str, str, str]] = field(default_factory=list)
    amounts: list[AmountChange] = field(default_factory=list)
    mappings: list[CareTypeMapping] = field(default_factory=list)
    # a code kept whose printed row number (№ п/п) changed: (code, row before, row after)
    rows_renumbered: list[tuple[str, str, str]] = field(default_factory=list)
    rules_changes: list[RulesChange] = field(default_factory=list)
    # cells printed alike but doubtful in one edition: (code, care type of the earlier)
    doubt_only: list[tuple[str, str]] = field(default_factory=list)
    rules_changes_reference: str | None = None


def effective_text(ed: Edition, code: str, care_type: str) -> str:
    """The effective cell of a code in a column, as printed, with the table's markers.

    "-" not applicable, "?" "+" without a group amount, "[x]" a group row with sub-codes,
    "~x" a doubtful cell, "∅" not printed, "x" the amount (a "+" shows its group's amount).
    """
    row = ed.row(code)
    own = row.cells.get(care_type)
    try:
        p = ed.penalty(code, care_type)
    except GroupCodeNotAssignableError:
        return "-" if own in ("-", None) else f"[{own}]"
    except NotApplicableError:
        return "-"
    except PenaltyUndefinedError:
        return "?"
    except ReadingRequiredError:
        return _amount(ed, code, care_type)
    except DoubtfulCellError:
        return "∅" if own is None else "~" + _amount(ed, code, care_type)
    return "расх." if p.basis.value == "PATIENT_EXPENSES" else p.printed


def _amount(ed: Edition, code: str, ct: str) -> str:
    row = ed.row(code)
    printed = row.cells.get(ct)
    if printed is not None and printed.strip() == "+" and row.group is not None:
        printed = ed.row(row.group).cells.get(ct)
    return "∅" if printed is None else printed


def _same(x: str, y: str) -> bool:
    return x.replace(" ", "") == y.replace(" ", "")


def diff_editions(clf: Classifier, a_id: str, b_id: str) -> EditionDiff:
    """Compare two editions by id (or alias); needs a ``correspondences`` entry a → b."""
    a, b = clf.edition(id=a_id), clf.edition(id=b_id)
    corr = next((c for c in clf.correspondences if (c.from_, c.to) == (a.id, b.id)), None)
    if corr is None:
        raise NoEditionError(
            f"no care-type correspondence from edition {a.id!r} to {b.id!r} in the data; "
            "available: "
            + (", ".join(f"{c.from_} → {c.to}" for c in clf.correspondences) or "none")
        )
    out = EditionDiff(
        a.id,
        b.id,
        mappings=list(corr.care_types),
        rules_changes=list(corr.rules_changes),
        rules_changes_reference=corr.rules_changes_reference,
    )
    ra, rb = {d.id: d for d in a.defects}, {d.id: d for d in b.defects}
    out.rows_renumbered.extend(
        (c, ra[c].row, rb[c].row) for c in ra if c in rb and ra[c].row != rb[c].row
    )
    added = [c for c in rb if c not in ra]
    removed = [c for c in ra if c not in rb]
    by_name_b = {rb[c].name_ru: c for c in added}
    pairs: list[tuple[str, str]] = [(c, c) for c in ra if c in rb]
    for c in removed:
        new = by_name_b.get(ra[c].name_ru)
        if new is not None:
            out.renumbered.append((c, new, ra[c].name_ru))
            pairs.append((c, new))
    names_b = {d.name_ru: d.id for d in b.defects}
    for c, d in ra.items():
        other = names_b.get(d.name_ru)
        if other is not None and other != c and c in rb:
            out.moved_names.append((c, other, d.name_ru))
    moved_old = {o for o, _, _ in out.renumbered}
    moved_new = {n for _, n, _ in out.renumbered}
    out.added.extend((c, rb[c].name_ru) for c in added if c not in moved_new)
    out.removed.extend((c, ra[c].name_ru) for c in removed if c not in moved_old)
    for code_a, code_b in pairs:
        if code_a == code_b and ra[code_a].name_ru != rb[code_b].name_ru:
            out.renamed.append((code_a, ra[code_a].name_ru, rb[code_b].name_ru))
        for m in corr.care_types:
            if m.from_ is None:
                continue
            before = effective_text(a, code_a, m.from_)
            for ct_b in m.to:
                after = effective_text(b, code_b, ct_b)
                if _same(before.removeprefix("~"), after) and before != after:
                    out.doubt_only.append((code_a, m.from_))
                elif not _same(before, after):
                    out.amounts.append(AmountChange(code_a, code_b, m.from_, ct_b, before, after))
    return out


def format_diff(d: EditionDiff) -> str:
    """The diff as text, one section per kind of change."""
    lines = [f"Classifier edition {d.a} → {d.b}"]
    lines.append(f"Codes added ({len(d.added)}):")
    lines += [f"  + {c}  {n}" for c, n in d.added]
    lines.append(f"Codes removed ({len(d.removed)}):")
    lines += [f"  - {c}  {n}" for c, n in d.removed]
    lines.append(f"Codes renumbered, same name ({len(d.renumbered)}):")
    lines += [f"  {o} → {n}  {name}" for o, n, name in d.renumbered]
    lines.append(f"Rows renumbered, same code (№ п/п; {len(d.rows_renumbered)}):")
    lines += [f"  {c}: row {x} → {y}" for c, x, y in d.rows_renumbered]
    lines.append(f"Names printed under another code ({len(d.moved_names)}):")
    lines += [f"  {o} → {n}  {name}" for o, n, name in d.moved_names]
    lines.append(f"Codes renamed ({len(d.renamed)}):")
    for c, old, new in d.renamed:
        lines += [f"  {c}", f"    was: {old}", f"    now: {new}"]
    lines.append(
        f"Changed cells through corresponding care types ({len(d.amounts)}; "
        "'-' n/a, '[x]' group row, '~x' doubtful, '∅' not printed):"
    )
    for ch in d.amounts:
        code = ch.code_from if ch.code_from == ch.code_to else f"{ch.code_from}→{ch.code_to}"
        lines.append(
            f"  {code:<10} {ch.care_type_from} → {ch.care_type_to}: {ch.before} → {ch.after}"
        )
    if d.doubt_only:
        codes = sorted({c for c, _ in d.doubt_only}, key=lambda c: [int(x) for x in c.split(".")])
        lines.append(
            f"Cells printed alike, doubtful in {d.a} ({len(d.doubt_only)}; codes "
            + ", ".join(codes)
            + ")"
        )
    if d.rules_changes:
        lines.append(
            f"Paragraphs of the Rules changed ({len(d.rules_changes)}"
            + (f"; {d.rules_changes_reference}" if d.rules_changes_reference else "")
            + "):"
        )
        for rc in d.rules_changes:
            lines.append(
                f"  {rc.paragraph}: {rc.change} by {rc.by} ({rc.source})" + (f" — {rc.note}" if rc.note else "")
            )
    lines.append("Care-type correspondence:")
    for m in d.mappings:
        lines.append(f"  {m.from_ or '(new)'} → {', '.join(m.to) or '(dropped)'}: {m.note}")
    return "\n".join(lines) + "\n"
