"""scoreProject (COMMUNITY): a project's half-year score, inside the window."""

from __future__ import annotations

from propgraph.models import Half
from propgraph.resolvers.office import writes
from propgraph.schema.ids import pk_of
from propgraph.schema.mutation import BaseMutation, Write
from propgraph.schema.office.inputs import ScoreProjectInput
from propgraph.schema.office.payloads import EvaluationPayload
from propgraph.schema.office.types import Evaluation as EvaluationType
from propgraph.workflows import evaluation


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
        project = await writes.visible_project(
            conn, write.viewer, pk_of(data.project_id, "Project")
        )
        score = evaluation.parse_score(data.score)
        comment = evaluation.parse_comment(data.comment, required=False)
        half = Half(data.half)
        evaluation.parse_year(data.year)
        evaluation.require_window(data.year, half, write.context.services.today())
        existing = await writes.evaluation_of(conn, project.id, data.year, half)
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
        row = await writes.insert_evaluation(
            conn, project=project, year=data.year, half=half, values=values, now=write.now
        )
        await evaluation.MACHINE.apply(
            conn, action=evaluation.SCORE, row=row, actor=actor, now=write.now, reread=False
        )
        return EvaluationPayload(evaluation=EvaluationType.from_row(row))
