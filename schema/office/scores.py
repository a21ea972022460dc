"""``Project.evaluationScore(year)``: the final scores of a project's two halves."""

from __future__ import annotations

from propgraph.models import Half
from propgraph.resolvers.office.dataloaders import EvaluationsByProjectYearLoader
from propgraph.schema.context import Info
from propgraph.schema.office.types import YearScore
from propgraph.schema.relay import bad_input
from propgraph.workflows import evaluation


async def year_score(info: Info, project_pk: int, year: int) -> YearScore:
    if not evaluation.FIRST_YEAR <= year <= evaluation.LAST_YEAR:
        raise bad_input(f"`year` must be from {evaluation.FIRST_YEAR} to {evaluation.LAST_YEAR}.")
    context = info.context
    loader = context.loaders.get(EvaluationsByProjectYearLoader)
    rows = {row.half: row for row in await loader.load((project_pk, year))}
    today = context.services.today()
    halves = {}
    for half in Half:
        row = rows.get(half)
        halves[half] = evaluation.half_score(
            year, half, row.status if row else None, row.score if row else None, today
        )
    annual = evaluation.annual(halves[Half.H1], halves[Half.H2])
    return YearScore(
        year=year,
        h1=_float(halves[Half.H1]),
        h2=_float(halves[Half.H2]),
        annual=_float(annual),
    )


def _float(value: object) -> float | None:
    return None if value is None else float(value)  # type: ignore[arg-type]
