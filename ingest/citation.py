"""The one place where official citation strings are built.

A citation prints only numbers the source text gives: an item whose level list
has no article number is cited by its list ("phần Bí mật nhà nước độ Mật"), never
by a guessed "Điều 2"; a bullet is cited by the provision it stands under.
"""

from __future__ import annotations

import datetime as dt

from .text import vn_date


def document_reference(kind: str, number: str, date: dt.date | str | None, issuer: str | None) -> str:
    """"Nghị định số 26/2020/NĐ-CP ngày 28/02/2020 của Chính phủ": kind, number, and the date and issuer when known."""
    parts = [f"{kind} số {number}"]
    if date:
        parts.append(f"ngày {vn_date(str(date))}")
    if issuer:
        parts.append(f"của {issuer}")
    return " ".join(parts)


def decision_reference(number: str, date: dt.date | str | None, issuer: str | None) -> str:
    """"Quyết định số 531/QĐ-TTg ngày 19/5/2023 của Thủ tướng Chính phủ"."""
    who = (issuer or "Thủ tướng Chính phủ").split(" (")[0].strip()
    return document_reference("Quyết định", number, date, who)


def provision_reference(article: int | None, clause: int | None, point: str | None, level: str | None) -> str:
    """"điểm b khoản 1 Điều 2", or "khoản 2 phần Bí mật nhà nước độ Mật" without an article number."""
    parts = []
    if point:
        parts.append(f"điểm {point}")
    if clause is not None:
        parts.append(f"khoản {clause}")
    if article is not None:
        parts.append(f"Điều {article}")
    elif level:
        parts.append(f"phần “Bí mật nhà nước độ {level}”")
    return " ".join(parts)


def citation(
    number: str,
    date: dt.date | str | None,
    issuer: str | None,
    article: int | None,
    clause: int | None,
    point: str | None,
    level: str | None,
) -> str:
    """The official citation of a catalog provision.

    >>> citation("774/QĐ-TTg", "2020-06-05", "Thủ tướng Chính phủ", 1, 1, "a", "Mật")
    'điểm a khoản 1 Điều 1 Quyết định số 774/QĐ-TTg ngày 05/6/2020 của Thủ tướng Chính phủ'
    """
    provision = provision_reference(article, clause, point, level)
    decision = decision_reference(number, date, issuer)
    return f"{provision} {decision}" if provision else decision
