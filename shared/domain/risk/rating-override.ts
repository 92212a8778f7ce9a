/**
 * Security may override the computed rating. Both stay visible: the score keeps its computed `rating`, and the
 * override (rating, justification, who, when, and what it replaced) sits next to it. Record it in the audit log.
 */
import { ValidationError, type ProblemDetail } from '../errors.ts';
import type { ResidualRiskScore } from './residual-risk.ts';
import { RISK_POLICY, RISK_RATINGS, type RiskRating } from './risk-policy.ts';

export interface RatingOverride {
  rating: RiskRating;
  justification: string;
  actor: string;
  at: string;
  /** The computed rating this override replaces, kept for the record. */
  computedRating: RiskRating;
  computedScore: number;
  /** The override this one replaced, if any. */
  previous: Omit<RatingOverride, 'previous'> | null;
}

export type OverriddenRiskScore = ResidualRiskScore & { override: RatingOverride | null };

/**
 * Overrides the rating of a score with a mandatory justification (at least 20 characters, from the policy). The
 * computed score and rating are left untouched. Throws ValidationError (rating-override-invalid).
 */
export function overrideRating(
  score: ResidualRiskScore | OverriddenRiskScore,
  request: { rating: RiskRating; justification: string; actor: string; at: string },
): OverriddenRiskScore {
  const problems: ProblemDetail[] = [];
  const min = RISK_POLICY.override.justificationMinLength;
  const justification = request.justification.trim();
  if (!(RISK_RATINGS as readonly string[]).includes(request.rating)) problems.push({ path: 'rating', message: `must be one of ${RISK_RATINGS.join(', ')}` });
  if (justification.length < min) problems.push({ path: 'justification', message: `a justification of at least ${min} characters is required to override a rating` });
  if (request.actor.trim().length === 0) problems.push({ path: 'actor', message: 'must not be empty' });
  if (problems.length > 0) throw new ValidationError('The rating override is not valid', problems, 'rating-override-invalid');
  const current = 'override' in score ? score.override : null;
  const previous = current === null ? null : { rating: current.rating, justification: current.justification, actor: current.actor, at: current.at, computedRating: current.computedRating, computedScore: current.computedScore };
  return { ...score, override: { rating: request.rating, justification, actor: request.actor, at: request.at, computedRating: score.rating, computedScore: score.score, previous } };
}

/** The rating decisions follow: the override when there is one, else the computed rating. */
export function effectiveRating(score: ResidualRiskScore | OverriddenRiskScore): RiskRating {
  return 'override' in score && score.override !== null ? score.override.rating : score.rating;
}
