import { describe, expect, it } from 'vitest';
import policyJson from '../../shared/domain/risk/risk-policy.json' with { type: 'json' };
import { parseRiskPolicy, RISK_POLICY } from '../../shared/domain/risk/risk-policy.ts';
import { INHERENT_RISK_RUBRIC } from '../../shared/domain/vendor.ts';

type PolicyJson = typeof policyJson;
const broken = (mutate: (p: PolicyJson) => void) => {
  const copy = structuredClone(policyJson);
  mutate(copy);
  return () => parseRiskPolicy(copy);
};

describe('risk policy', () => {
  it('loads the shipped policy with its version', () => {
    expect(RISK_POLICY.version).toBe('2026-12');
  });

  it('is the source of the inherent-risk rubric', () => {
    expect(INHERENT_RISK_RUBRIC).toMatchObject({ version: RISK_POLICY.version, dataClassification: RISK_POLICY.inherent.dataClassification });
  });

  it.each([
    ['a missing data classification weight', (p: PolicyJson) => Reflect.deleteProperty(p.inherent.dataClassification, 'restricted'), 'inherent.dataClassification.restricted'],
    ['rating thresholds out of order', (p: PolicyJson) => (p.ratings.high = 20), 'ratings'],
    ['a staleness factor that rises with age', (p: PolicyJson) => (p.assurance.staleness.bands[2]!.factor = 0.99), 'assurance.staleness.bands'],
    ['a coverage rule for security', (p: PolicyJson) => (p.rules['category-out-of-scope'].requirements[0]!.category = 'security'), 'rules.category-out-of-scope.requirements.0.category'],
    ['an unknown field', (p: PolicyJson) => Object.assign(p, { extra: 1 }), '(root)'],
  ])('rejects %s', (_name, mutate, path) => {
    expect(broken(mutate)).toThrow(expect.objectContaining({ name: 'ValidationError', code: 'risk-policy-invalid', details: expect.arrayContaining([expect.objectContaining({ path })]) }));
  });
});
