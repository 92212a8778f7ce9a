import { describe, expect, it } from 'vitest';
import { assessInherentRisk } from '../../shared/domain/vendor.ts';

const profile = (p: Partial<Parameters<typeof assessInherentRisk>[0]> = {}) => ({
  dataClassification: 'internal' as const,
  dataTypes: [],
  systemAccess: 'none' as const,
  criticality: 'low' as const,
  recordVolume: 'none' as const,
  ...p,
});

describe('inherent-risk rubric', () => {
  it.each([
    ['public marketing tool', profile({ dataClassification: 'public' }), 0, 4],
    ['internal low-criticality tool', profile(), 10, 4],
    ['confidential, high criticality', profile({ dataClassification: 'confidential', criticality: 'high' }), 39, 3],
    ['payroll: restricted, employee+financial+personal, network, high, 1k-100k', profile({ dataClassification: 'restricted', dataTypes: ['employee', 'financial', 'personal'], systemAccess: 'network', criticality: 'high', recordVolume: '1k-100k' }), 35 + 18 + 10 + 14 + 3, 1],
    ['processor of health data at volume', profile({ dataClassification: 'confidential', dataTypes: ['health', 'personal'], criticality: 'medium', recordVolume: 'over-1m' }), 25 + 23 + 7 + 10, 1],
    ['same processor at lower volume', profile({ dataClassification: 'confidential', dataTypes: ['health', 'personal'], criticality: 'medium', recordVolume: '1k-100k' }), 25 + 23 + 7 + 3, 2],
  ])('scores %s', (_name, input, score, tier) => {
    const risk = assessInherentRisk(input);
    expect(risk.score).toBe(score);
    expect(risk.tier).toBe(tier);
  });

  it('explains every point: contributions add up to the score', () => {
    const risk = assessInherentRisk(profile({ dataClassification: 'confidential', dataTypes: ['payment'], systemAccess: 'network', criticality: 'medium', recordVolume: '100k-1m' }));
    expect(risk.contributions.reduce((s, c) => s + c.points, 0)).toBe(risk.score);
    expect(risk.contributions.map((c) => c.factor)).toEqual(['dataClassification', 'dataTypes', 'systemAccess', 'criticality', 'recordVolume']);
  });

  it('caps the data-types points at 25 however many types are shared', () => {
    const risk = assessInherentRisk(profile({ dataTypes: ['health', 'payment', 'credentials', 'personal', 'financial', 'employee'] }));
    expect(risk.contributions.find((c) => c.factor === 'dataTypes')!.points).toBe(25);
  });

  it('puts privileged access to restricted data in tier 1 whatever the score', () => {
    const risk = assessInherentRisk(profile({ dataClassification: 'restricted', systemAccess: 'privileged' }));
    expect(risk.score).toBe(55);
    expect(risk.tier).toBe(1);
    expect(risk.tierReason).toMatch(/privileged access to restricted data/);
  });

  it('never puts a critical service below tier 2', () => {
    const risk = assessInherentRisk(profile({ dataClassification: 'public', criticality: 'critical' }));
    expect(risk.score).toBe(20);
    expect(risk.tier).toBe(2);
  });

  it('records the rubric version with the result', () => {
    expect(assessInherentRisk(profile()).rubricVersion).toBe('2026-12');
  });
});
