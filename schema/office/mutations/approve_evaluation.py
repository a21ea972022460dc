"""approveEvaluation (STREET CLERK): review, optionally re-score, approve with a comment."""

from __future__ import annotations

from propgraph.resolvers.office.writes import visible_evaluation
from propgraph.schema.ids import pk_of
from propgraph.schema.mutation import BaseMutation, Write
from propgraph.schema.office.inputs import ApproveEvaluationInput
from propgraph.schema.office.payloads import EvaluationPayload
from propgraph.schema.office.types import Evaluation
from propgraph.workflows import evaluation


class ApproveEvaluation(BaseMutation):
    name = "approveEvaluation"
    description = (
        "Approve a scored evaluation inside its window (street clerk); `score` re-scores, "
        "the comment is required."
    )
    input_type = ApproveEvaluationInput
    payload_type = EvaluationPayload

    @classmethod
    async def perform(cls, write: Write, data: ApproveEvaluationInput) -> EvaluationPayload:
        actor = write.actor
        row = await visible_evaluation(write.conn, write.viewer, pk_of(data.id, evaluation.SUBJECT))
        # the evaluation's stage and the actor's position first (apply checks them again)
        evaluation.MACHINE.check(evaluation.APPROVE, row=row, actor=actor, version=data.version)
        score = evaluation.parse_score(data.score)
        comment = evaluation.parse_comment(data.comment, required=True)
        evaluation.require_window(row.year, row.half, write.context.services.today())
        values = {"review_comment": comment, **({"score": score} if score is not None else {})}
        updated = await evaluation.MACHINE.apply(
            write.conn,
            action=evaluation.APPROVE,
            row=row,
            version=data.version,
            actor=actor,
            now=write.now,
            values=values,
            comment=comment if score is None else f"{comment} (score {score})",
        )
        return EvaluationPayload(evaluation=Evaluation.from_row(updated))
