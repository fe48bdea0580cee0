from __future__ import annotations

import msgspec


class ProvinceRead(msgspec.Struct, frozen=True):
    code: str
    name_vi: str
    name_en: str
    full_name_vi: str
    full_name_en: str


class CommuneRead(msgspec.Struct, frozen=True):
    code: str
    province_code: str
    name_vi: str
    name_en: str
    full_name_vi: str
    full_name_en: str


class ProvinceList(msgspec.Struct, frozen=True):
    items: list[ProvinceRead]
    source: str


class CommuneList(msgspec.Struct, frozen=True):
    province: ProvinceRead
    items: list[CommuneRead]
