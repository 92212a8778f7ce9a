import { describe, expect, it } from 'vitest';
import { effectiveRating, overrideRating } from '../../shared/domain/risk/rating-override.ts';
import { scoreResidualRisk } from '../../shared/domain/risk/residual-risk.ts';
import { riskInput } from './risk-fixtures.ts';

const AT = '2026-11-23T12:00:00.000Z';
const JUSTIFICATION = 'Contract limits the vendor to test data until the Type II is issued.';

describe('overrideRating', () => {
  const computed = scoreResidualRisk(riskInput());

  it('keeps the computed score and rating next to the override', () => {
    const result = overrideRating(computed, { rating: 'low', justification: JUSTIFICATION, actor: 'ciso@example.com', at: AT });
    expect(result).toMatchObject({ score: 25, rating: 'medium', override: { rating: 'low', computedRating: 'medium', computedScore: 25, actor: 'ciso@example.com', at: AT, previous: null } });
  });

  it('makes the override the rating decisions follow', () => {
    expect(effectiveRating(overrideRating(computed, { rating: 'high', justification: JUSTIFICATION, actor: 'ciso@example.com', at: AT }))).toBe('high');
  });

  it('uses the computed rating when there is no override', () => {
    expect(effectiveRating(computed)).toBe('medium');
  });

  it('rejects a justification shorter than 20 characters', () => {
    expect(() => overrideRating(computed, { rating: 'low', justification: 'trust me', actor: 'ciso@example.com', at: AT })).toThrow(
      expect.objectContaining({ name: 'ValidationError', code: 'rating-override-invalid', details: [expect.objectContaining({ path: 'justification' })] }),
    );
  });

  it('rejects a rating that does not exist', () => {
    expect(() => overrideRating(computed, { rating: 'severe' as never, justification: JUSTIFICATION, actor: 'ciso@example.com', at: AT })).toThrow(expect.objectContaining({ details: [expect.objectContaining({ path: 'rating' })] }));
  });

  it('keeps the replaced override when overriding again', () => {
    const first = overrideRating(computed, { rating: 'low', justification: JUSTIFICATION, actor: 'a@example.com', at: AT });
    const second = overrideRating(first, { rating: 'high', justification: 'New information from the incident report.', actor: 'b@example.com', at: AT });
    expect(second.override?.previous).toMatchObject({ rating: 'low', actor: 'a@example.com' });
  });
});
