/** Corrections of extracted facts: validation per field, the effective analysis, supersession and revert. */
import { describe, expect, it } from 'vitest';
import {
  applyCorrections,
  assertCorrectionsOpen,
  CORRECTABLE_FIELDS,
  parseCorrection,
  withCorrection,
  withoutCorrection,
  type FieldCorrection,
} from '../../shared/domain/analysis-corrections.ts';
import { corpusLabelOf, corpusLabelSchema, isCaseName, toCaseName } from '../../shared/domain/corpus-label.ts';
import { controlException, soc2Type2 } from './risk-fixtures.ts';

const by = (correctedAt = '2026-11-23T10:00:00.000Z') => ({ correctedBy: 'sec@example.com', correctedAt });
const correct = (field: string, value: unknown, at?: string) => parseCorrection({ field, value, reason: 'The report says otherwise on page 5' }, by(at));
const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return { code: (error as { code: string }).code, details: (error as { details: unknown[] }).details };
  }
  return null;
};

describe('parseCorrection', () => {
  it('accepts every field the analyzer will gain next (systemName) as correctable', () => {
    expect(CORRECTABLE_FIELDS).toEqual(expect.arrayContaining(['documentKind', 'period', 'opinion', 'exceptions', 'complementaryUserEntityControls', 'systemName']));
  });

  it('refuses a field that is not correctable with unknown-field', () => {
    expect(codeOf(() => correct('pages', 3))?.code).toBe('unknown-field');
  });

  it('refuses a value outside the field’s enum with invalid-correction-value naming the value', () => {
    expect(codeOf(() => correct('opinion', 'mostly-fine'))).toMatchObject({ code: 'invalid-correction-value', details: [{ path: 'value' }] });
  });

  it('refuses a period whose dates are not calendar dates or run backwards', () => {
    expect(codeOf(() => correct('period', { start: '2025-02-30', end: '2025-12-31' }))).toMatchObject({ code: 'invalid-correction-value', details: [{ path: 'value.start' }] });
    expect(codeOf(() => correct('period', { start: '2025-12-31', end: '2025-01-01' }))).toMatchObject({ code: 'invalid-correction-value', details: [{ path: 'value.start' }] });
  });

  it('refuses an exception with a criterion id that is not one', () => {
    expect(codeOf(() => correct('exceptions', [{ criteria: ['CC99'], description: 'x', page: 3 }]))?.details).toEqual([{ path: 'value.0.criteria.0', message: expect.any(String) }]);
  });

  it('normalizes: trims names, puts categories in canonical order, fills defaults', () => {
    expect(correct('serviceOrganization', '  Acme Cloud, Inc. ').value).toBe('Acme Cloud, Inc.');
    expect(correct('trustServicesCategories', ['privacy', 'security', 'privacy']).value).toEqual(['security', 'privacy']);
    expect(correct('exceptions', [{ criteria: ['CC6.1'], description: 'Access not removed', page: 41 }]).value).toEqual([
      { controlId: null, criteria: ['CC6.1'], description: 'Access not removed', managementResponse: null, page: 41 },
    ]);
  });

  it('requires a reason', () => {
    expect(codeOf(() => parseCorrection({ field: 'opinion', value: 'qualified', reason: '   ' }, by()))).toMatchObject({ code: 'validation-failed', details: [{ path: 'reason' }] });
  });
});

describe('applyCorrections', () => {
  it('replaces the corrected field in a copy and leaves the original analysis unchanged', () => {
    const original = soc2Type2();
    const snapshot = structuredClone(original);
    const effective = applyCorrections(original, [correct('opinion', 'qualified')]);
    expect([effective.opinion, original]).toEqual(['qualified', snapshot]);
  });

  it('drops the evidence quote of a corrected field (it backs the value the analyzer read)', () => {
    const effective = applyCorrections(soc2Type2(), [correct('opinion', 'qualified')]);
    expect([effective.evidence.opinion, effective.evidence.period?.page]).toEqual([undefined, 4]);
  });

  it('marks a corrected field as read by a person in its confidence, with who, when and why', () => {
    const c = correct('opinion', 'qualified');
    const effective = applyCorrections(soc2Type2(), [c]);
    expect(effective.confidence?.opinion).toEqual({ level: 'high', reason: `corrected by ${c.correctedBy} on ${c.correctedAt.slice(0, 10)}: ${c.reason}` });
  });

  it('lets the later correction of the same field supersede the earlier one, whatever the order given', () => {
    const later = correct('serviceAuditor', 'Later LLP', '2026-11-24T00:00:00.000Z');
    const earlier = correct('serviceAuditor', 'Earlier LLP', '2026-11-23T00:00:00.000Z');
    expect(applyCorrections(soc2Type2(), [later, earlier]).serviceAuditor).toBe('Later LLP');
  });

  it('sets a field the analyzer does not produce yet', () => {
    expect(applyCorrections(soc2Type2(), [correct('systemName', 'Acme Platform')]).systemName).toBe('Acme Platform');
  });

  it('keeps one correction per field and reverts to the analyzer’s value', () => {
    let list: FieldCorrection[] = withCorrection([], correct('opinion', 'adverse'));
    list = withCorrection(list, correct('opinion', 'qualified'));
    list = withCorrection(list, correct('reportType', 'type1'));
    expect(list.map((c) => [c.field, c.value])).toEqual([['opinion', 'qualified'], ['reportType', 'type1']]);
    const reverted = withoutCorrection(list, 'opinion');
    expect(applyCorrections(soc2Type2(), reverted).opinion).toBe('unqualified');
    expect(codeOf(() => withoutCorrection(reverted, 'opinion'))?.code).toBe('correction-not-found');
  });
});

describe('assertCorrectionsOpen', () => {
  it('takes corrections while the assessment waits for review and refuses them once decided', () => {
    expect(codeOf(() => assertCorrectionsOpen('awaiting-review'))).toBeNull();
    expect(codeOf(() => assertCorrectionsOpen('approved'))?.code).toBe('corrections-closed');
    expect(codeOf(() => assertCorrectionsOpen('analyzing'))?.code).toBe('corrections-closed');
  });
});

describe('corpus labels', () => {
  it('states the effective analysis in the labels.json format', () => {
    const analysis = applyCorrections(soc2Type2({ exceptions: [controlException(['CC6.2', 'CC6.1'], 'Access not removed')], subserviceOrganizations: [{ name: 'Amazon Web Services', method: 'carve-out', services: 'hosting' }] }), [
      correct('opinion', 'qualified'),
    ]);
    const { label, warnings } = corpusLabelOf(analysis);
    expect(label).toEqual({
      documentKind: 'soc2',
      reportType: 'type2',
      serviceOrganization: 'Acme Cloud, Inc.',
      serviceAuditor: 'Example & Co LLP',
      period: { start: '2025-10-01', end: '2026-09-30' },
      opinion: 'qualified',
      trustServicesCategories: ['availability', 'confidentiality', 'privacy', 'processing-integrity', 'security'],
      subserviceOrganizations: [{ name: 'Amazon Web Services', method: 'carve-out' }],
      exceptionCriteria: ['CC6.2'],
      textLayer: true,
    });
    expect([warnings, corpusLabelSchema.safeParse(label).success]).toEqual([[], true]);
  });

  it('warns when an exception names no criterion (a label cannot list it)', () => {
    expect(corpusLabelOf(soc2Type2({ exceptions: [controlException([], 'Something failed')] })).warnings).toEqual([expect.stringMatching(/1 exception\(s\) name no criterion/)]);
  });

  it('accepts kebab-case case names only and derives one from a file name', () => {
    expect([isCaseName('acme-soc2-2025'), isCaseName('../evil'), isCaseName('Acme'), isCaseName('a--b')]).toEqual([true, false, false, false]);
    expect(toCaseName('Acme SOC 2 (Type II) 2025.pdf')).toBe('acme-soc-2-type-ii-2025');
  });
});
