"""Vietnam's administrative units, loaded once at start-up: they change only by migration."""

from __future__ import annotations

import asyncpg

from api.geo import repository
from api.geo.schemas import CommuneRead, ProvinceRead

ATTRIBUTION = (
    "General Statistics Office codes, 2025 two-tier reorganisation; data from "
    "thanglequoc/vietnamese-provinces-database (MIT licence)"
)


class AdminUnits:
    def __init__(self, provinces: list[ProvinceRead], communes: list[CommuneRead]) -> None:
        self.provinces = provinces
        self._province_by_code = {p.code: p for p in provinces}
        self._commune_by_code = {c.code: c for c in communes}
        self._communes_by_province: dict[str, list[CommuneRead]] = {p.code: [] for p in provinces}
        for commune in communes:
            self._communes_by_province[commune.province_code].append(commune)

    @classmethod
    async def load(cls, conn: asyncpg.Connection) -> AdminUnits:
        provinces = [ProvinceRead(**dict(r)) for r in await repository.load_provinces(conn)]
        communes = [CommuneRead(**dict(r)) for r in await repository.load_communes(conn)]
        return cls(provinces, communes)

    def province(self, code: str) -> ProvinceRead | None:
        return self._province_by_code.get(code)

    def commune(self, code: str) -> CommuneRead | None:
        return self._commune_by_code.get(code)

    def communes_of(self, province_code: str) -> list[CommuneRead]:
        return self._communes_by_province.get(province_code, [])

    def province_exists(self, province_code: str) -> bool:
        return province_code in self._province_by_code

    def commune_in_province(self, province_code: str, commune_code: str) -> bool:
        commune = self._commune_by_code.get(commune_code)
        return commune is not None and commune.province_code == province_code
