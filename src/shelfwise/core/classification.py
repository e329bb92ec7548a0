"""Classification schemes a record or a call number can use."""

from __future__ import annotations

from enum import StrEnum


class ClassScheme(StrEnum):
    CLC = "clc"  # 中国图书馆分类法 (中图法)
    DDC = "ddc"
    KDC = "kdc"
    LCC = "lcc"
    UDC = "udc"
    OTHER = "other"
