from __future__ import annotations

from typing import Annotated

from litestar import Controller, get
from litestar.datastructures import State
from litestar.params import Parameter

from api.core.caching import PUBLIC_REFERENCE
from api.core.problems import NotFound, problem_responses
from api.geo.directory import ATTRIBUTION, AdminUnits
from api.geo.schemas import CommuneList, ProvinceList

ProvinceCode = Annotated[str, Parameter(pattern=r"^[0-9]{2}$", description="GSO province code")]


class AdminUnitsController(Controller):
    path = "/provinces"
    tags = ["Administrative units"]
    cache_control = PUBLIC_REFERENCE

    @get("/", summary="Provinces and centrally-run cities (34, from 1 July 2025)")
    async def list_provinces(self, state: State) -> ProvinceList:
        units: AdminUnits = state.admin_units
        return ProvinceList(items=units.provinces, source=ATTRIBUTION)

    @get(
        "/{code:str}/communes",
        summary="Communes, wards and special zones of a province",
        responses=problem_responses(400, 404, 422, notes={400: "Malformed request"}),
    )
    async def list_communes(self, state: State, code: ProvinceCode) -> CommuneList:
        units: AdminUnits = state.admin_units
        province = units.province(code)
        if province is None:
            raise NotFound(entry="geo.problems.province-not-found")
        return CommuneList(province=province, items=units.communes_of(code))
