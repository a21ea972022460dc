"""``evaluationFigures(year)`` and ``tenderFigures`` of District, Street, Community and of
the whole scope: office work for the drill-down."""

from __future__ import annotations

from datetime import date

import strawberry

from propgraph.resolvers.office.figures import (
    CITY,
    EvaluationCounts,
    EvaluationFiguresByNodeLoader,
    HalfCounts,
    TenderCounts,
    TenderFiguresByNodeLoader,
)
from propgraph.schema.context import Info
from propgraph.schema.office.enums import Half, TenderStatus, Timeliness
from propgraph.schema.relay import bad_input
from propgraph.workflows import evaluation


@strawberry.type(description="One half-year's evaluations under a node.")
class HalfEvaluationFigures:
    half: Half = strawberry.field(description="The half.")
    scored: int = strawberry.field(
        description="Projects scored by their community this half (approved or not)."
    )
    approved: int = strawberry.field(description="Of them, approved by the street.")
    defaulted: int = strawberry.field(
        description="Projects scoring 100 because the half was not approved when its "
        "window closed (0 until it closes)."
    )
    final: int = strawberry.field(
        description="Projects whose half score is final: approved, or defaulted."
    )
    mean_score: float | None = strawberry.field(
        description="The mean final score of the half (defaults included); null while "
        "none is final."
    )

    @classmethod
    def of(cls, half: Half, counts: HalfCounts) -> HalfEvaluationFigures:
        mean = counts.mean
        return cls(
            half=half,
            scored=counts.scored,
            approved=counts.approved,
            defaulted=counts.defaulted,
            final=counts.final_count,
            mean_score=None if mean is None else float(mean),
        )


@strawberry.type(
    description="半年考评 figures of one year under a node, counting the projects whose "
    "evaluations you may see (offices)."
)
class EvaluationFigures:
    year: int = strawberry.field(description="The year.")
    projects: int = strawberry.field(
        description="Projects evaluated: every project of the node, scored or not."
    )
    h1: HalfEvaluationFigures = strawberry.field(description="The first half (June).")
    h2: HalfEvaluationFigures = strawberry.field(description="The second half (December).")
    annual_projects: int = strawberry.field(
        description="Projects with an annual score: both halves final."
    )
    mean_annual: float | None = strawberry.field(
        description="The mean annual score over those projects; null if none."
    )

    @classmethod
    def of(cls, year: int, counts: EvaluationCounts) -> EvaluationFigures:
        mean = counts.mean_annual
        return cls(
            year=year,
            projects=counts.projects,
            h1=HalfEvaluationFigures.of(Half.H1, counts.h1),
            h2=HalfEvaluationFigures.of(Half.H2, counts.h2),
            annual_projects=counts.annual_count,
            mean_annual=None if mean is None else float(mean),
        )


@strawberry.type(description="Tender filings of one status.")
class TenderStatusFigures:
    status: TenderStatus = strawberry.field(description="The status.")
    filings: int = strawberry.field(description="Filings.")


@strawberry.type(description="Tender filings of one timeliness band.")
class TimelinessFigures:
    timeliness: Timeliness = strawberry.field(description="The band.")
    filings: int = strawberry.field(description="Filings.")


@strawberry.type(description="招标文件备案 figures under a node, counting the filings you may see.")
class TenderFigures:
    filings: int = strawberry.field(description="Tender filings.")
    by_status: list[TenderStatusFigures] = strawberry.field(
        description="The same, per status (every status, zeros included)."
    )
    by_timeliness: list[TimelinessFigures] = strawberry.field(
        description="The same, per timeliness band (every band): decided filings by their "
        "working days at the decision, the others by their working days until today."
    )

    @classmethod
    def of(cls, counts: TenderCounts) -> TenderFigures:
        return cls(
            filings=sum(counts.by_status.values()),
            by_status=[
                TenderStatusFigures(status=s, filings=counts.by_status.get(s.value, 0))
                for s in TenderStatus
            ],
            by_timeliness=[
                TimelinessFigures(timeliness=t, filings=counts.by_timeliness.get(t.value, 0))
                for t in Timeliness
            ],
        )


def _year(year: int) -> int:
    if not evaluation.FIRST_YEAR <= year <= evaluation.LAST_YEAR:
        raise bad_input(f"`year` must be from {evaluation.FIRST_YEAR} to {evaluation.LAST_YEAR}.")
    return year


def _today(info: Info) -> date:
    return info.context.services.today()


async def evaluation_figures_of(
    info: Info, level: str | None, pk: int, year: int
) -> EvaluationFigures:
    loader = info.context.loaders.get(
        EvaluationFiguresByNodeLoader, level, _year(year), _today(info)
    )
    return EvaluationFigures.of(year, await loader.load(pk))


async def tender_figures_of(info: Info, level: str | None, pk: int) -> TenderFigures:
    loader = info.context.loaders.get(TenderFiguresByNodeLoader, level, _today(info))
    return TenderFigures.of(await loader.load(pk))


async def evaluation_figures(info: Info, year: int) -> EvaluationFigures:
    """Root field: the viewer's whole scope."""
    return await evaluation_figures_of(info, None, CITY, year)


async def tender_figures(info: Info) -> TenderFigures:
    """Root field: the viewer's whole scope."""
    return await tender_figures_of(info, None, CITY)
