"""scoreProject (COMMUNITY): a project's half-year score, inside the window."""

from __future__ import annotations

from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError

from propgraph.models import Evaluation, EvaluationStatus, Half
from propgraph.resolvers.office.kinds import EVALUATION
from propgraph.resolvers.office.writes import reread, visible_project
from propgraph.schema.ids import pk_of
from propgraph.schema.mutation import BaseMutation, Write
from propgraph.schema.office.inputs import ScoreProjectInput
from propgraph.schema.office.payloads import EvaluationPayload
from propgraph.schema.office.types import Evaluation as EvaluationType
from propgraph.workflows import evaluation
from propgraph.workflows.errors import conflict


class ScoreProject(BaseMutation):
    name = "scoreProject"
    description = (
        "Score a project of your community for a half-year (0–100), inside its window "
        "(1–30 June, 1–30 December); scoring again replaces a score not yet approved."
    )
    input_type = ScoreProjectInput
    payload_type = EvaluationPayload

    @classmethod
    async def perform(cls, write: Write, data: ScoreProjectInput) -> EvaluationPayload:
        conn, actor = write.conn, write.actor
        project = await visible_project(conn, write.viewer, pk_of(data.project_id, "Project"))
        score = evaluation.parse_score(data.score)
        comment = evaluation.parse_comment(data.comment, required=False)
        half = Half(data.half)
        evaluation.parse_year(data.year)
        evaluation.require_window(data.year, half, write.context.services.today())
        existing = (
            await conn.execute(
                EVALUATION.columns().where(
                    Evaluation.project_id == project.id,
                    Evaluation.year == data.year,
                    Evaluation.half == half,
                )
            )
        ).first()
        values = {"community_score": score, "score": score, "comment": comment}
        if existing is not None:  # re-scored before the street approved it
            row = await evaluation.MACHINE.apply(
                conn,
                action=evaluation.RESCORE,
                row=existing,
                version=existing.version,
                actor=actor,
                now=write.now,
                values=values,
            )
            return EvaluationPayload(evaluation=EvaluationType.from_row(row))
        evaluation.MACHINE.check(evaluation.SCORE, row=None, actor=actor, version=None)
        try:
            pk = (
                await conn.execute(
                    insert(Evaluation)
                    .values(
                        project_id=project.id,
                        community_id=project.community_id,
                        street_id=project.street_id,
                        district_id=project.district_id,
                        year=data.year,
                        half=half,
                        status=EvaluationStatus.SCORED,
                        version=1,
                        created_at=write.now,
                        updated_at=write.now,
                        **values,
                    )
                    .returning(Evaluation.id)
                )
            ).scalar_one()
        except IntegrityError as exc:  # a concurrent first score won the unique constraint
            raise conflict() from exc
        row = await reread(conn, EVALUATION, pk)
        await evaluation.MACHINE.apply(
            conn, action=evaluation.SCORE, row=row, actor=actor, now=write.now, reread=False
        )
        return EvaluationPayload(evaluation=EvaluationType.from_row(row))
