/** Phrasings and layouts seen in held-out reports from other firms (each case written by hand). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyzeReport } from '../../shared/domain/soc2/analyze-report.ts';
import { findDates, parseDate } from '../../shared/domain/soc2/dates.ts';
import type { PageText } from '../../shared/domain/soc2/types.ts';

const pages = (...texts: string[]): PageText[] => texts.map((text, i) => ({ num: i + 1, text }));

const auditorReport = (scope: string, extra = '', signature = 'Brightwater Assurance Partners\nDenver, Colorado\nAugust 22, 2026'): string =>
  `Report of the Independent Service Auditor\nTo Management of Orbital Payments, Inc.\nWe have examined the description of the Orbital Settlement Engine of Orbital Payments, Inc. (the Company) for the period 07/01/2025 through 06/30/2026 and the suitability of the design and operating effectiveness of controls ${scope}. This is a SOC 2 examination under the trust services criteria.\n${extra}\nOpinion\nIn our opinion, in all material respects, the controls operated effectively throughout the period.\n${signature}`;

describe('dates written by other firms', () => {
  it('reads "31-Mar-2026", "27.02.2026" and "March 31st, 2026"', () => {
    expect(parseDate('31-Mar-2026')).toBe('2026-03-31');
    expect(parseDate('01-Apr-2025')).toBe('2025-04-01');
    expect(parseDate('27.02.2026')).toBe('2026-02-27');
    expect(parseDate('March 31st, 2026')).toBe('2026-03-31');
  });

  it('does not read a criteria id or a version number as a dotted date', () => {
    expect(findDates('CC6.1.2024 and TLS 1.2.2024x')).toEqual([]);
  });
});

describe('subservice organizations (the orbital report)', () => {
  const a = analyzeReport(
    pages(
      auditorReport(
        'to meet the criteria for the security category',
        'The Company uses Stripe, Inc. for card tokenization services. The description includes the relevant controls of Stripe, Inc. (the inclusive method). The Company also uses Google Cloud Platform for data center hosting, which is presented using the carve-out method.',
      ),
    ),
  );

  it('finds the inclusive organization and ends the services before the method clause', () => {
    expect(a.subserviceOrganizations).toEqual([
      { name: 'Stripe', nameAsWritten: 'Stripe, Inc.', method: 'inclusive', services: 'card tokenization services' },
      { name: 'Google Cloud Platform', nameAsWritten: 'Google Cloud Platform', method: 'carve-out', services: 'data center hosting' },
    ]);
  });

  it('reads a subservice table with a Method column, whatever the row looks like', () => {
    const b = analyzeReport(
      pages(
        auditorReport('relevant to security', 'The description excludes the controls of the subservice organizations listed in Section 3 (carve-out method).'),
        'Description of the Insights Platform\nSubservice Organizations\nVendor Service Treatment\nHetzner Online GmbH Data center hosting Carved out\nSendwave Messaging Ltd. SMS notifications Carve-out\nKeyforge Identity Inc. Workforce identity Inclusive\nComplementary User Entity Controls\n• User entities are responsible for their own users.',
      ),
    );
    expect(b.subserviceOrganizations.map((s) => [s.nameAsWritten, s.method, s.services])).toEqual([
      ['Hetzner Online GmbH', 'carve-out', 'Data center hosting'],
      ['Sendwave Messaging Ltd.', 'carve-out', 'SMS notifications'],
      ['Keyforge Identity Inc.', 'inclusive', 'Workforce identity'],
    ]);
  });

  it('takes a provider the examination "did not include" without running into the next sentence', () => {
    const b = analyzeReport(pages(auditorReport('relevant to security', 'Brightline uses Microsoft Azure to host its production environment. Our examination did not include the controls of Microsoft Azure.')));
    expect(b.subserviceOrganizations.map((s) => [s.name, s.method])).toEqual([['Microsoft Azure', 'carve-out']]);
  });
});

describe('testing matrices (the orbital report)', () => {
  const matrix = [
    'Section IV: Testing Matrix',
    'Criteria CC6.1',
    'OP-AC-1 Access requires MFA. Test: Inspected the IdP configuration. Result: No exceptions noted.',
    'Criteria CC8.1',
    'OP-CM-1 Changes are approved before production deployment. Test: Selected 40 changes and inspected approval evidence. Result: Deviations noted. Approval was not evidenced for 6 of 40 changes selected.',
    'Management response: Orbital has since enforced branch protection requiring approval.',
    'Criteria A1.2',
    'OP-AV-1 Backups are replicated daily. Test: Inspected replication logs. Result: No exceptions noted.',
  ].join('\n');
  const a = analyzeReport(pages(auditorReport('relevant to security and availability'), matrix));

  it('takes the criterion from the "Criteria CCn.n" line above, the description after "Result: Deviations noted."', () => {
    expect(a.controlsTested).toBe(3);
    expect(a.exceptions).toEqual([
      {
        controlId: 'OP-CM-1',
        criteria: ['CC8.1'],
        otherReferences: [],
        description: 'Approval was not evidenced for 6 of 40 changes selected.',
        deviationRate: '6 of 40',
        managementResponse: 'Orbital has since enforced branch protection requiring approval.',
        page: 2,
        pages: [2],
      },
    ]);
  });

  it('keeps "Trust Services Criteria: CC6.6" inside a key-value block as a field, not a heading', () => {
    const kv = [
      'Tests of Controls and Results',
      ...['AC-01', 'AC-02', 'AC-03'].flatMap((id, i) => [
        `Control ID: ${id}`,
        `Trust Services Criteria: CC6.${i + 1}`,
        'Control Description: Access is controlled.',
        'Test Performed: Inspected settings.',
        i === 1 ? 'Result: Exception noted. For 2 of 25 users, access was not approved.' : 'Result: No exceptions noted.',
      ]),
    ].join('\n');
    const b = analyzeReport(pages(auditorReport('relevant to security'), kv));
    expect(b.exceptions?.map((e) => [e.controlId, e.criteria[0]])).toEqual([['AC-02', 'CC6.2']]);
  });

  it('reads an "Exceptions Noted" column: its header is not a result, a rate sentence is, and "None noted." passes', () => {
    const table = [
      'Section 4 - Trust Services Criteria, Controls, Tests of Controls and Results of Tests',
      'TSC Ref Control No. Control Activity Test Procedures Exceptions Noted',
      'CC1.4 QP-101 Background checks are completed before hire. Inspected checks for 20 of 57 new hires. None noted.',
      'CC6.3 QP-207 Access is reviewed quarterly. Inspected the four quarterly reviews. For 1 of 4 quarters, the access review was completed 26 days late.',
      'C1.1 QP-310 Data is encrypted at rest. Inspected settings. Exceptions: None.',
      'P6.1 QP-415 Disclosures require consent. Inspected 15 of 40 disclosures to determine whether consent was not missing. None noted.',
    ].join('\n');
    const b = analyzeReport(pages(auditorReport('relevant to security'), table));
    expect(b.controlsTested).toBe(4);
    expect(b.exceptions?.map((e) => [e.controlId, e.criteria[0], e.description])).toEqual([['QP-207', 'CC6.3', 'For 1 of 4 quarters, the access review was completed 26 days late.']]);
  });

  it('groups ids that share a prefix although their suffixes differ ("CTRL-6.1", "CTRL-A1.2")', () => {
    const table = [
      'Section 4 - Tests of Controls',
      'CTRL-6.1 CC6.1 Access uses SSO. Inspected settings. No deviations noted.',
      'CTRL-6.3 CC6.3 Access is reviewed. Inspected reviews. No deviations noted.',
      'CTRL-7.2 CC7.2 Alerts are routed. Inspected alerts. Exception: for 2 of 20 alerts no acknowledgement was recorded.',
      'CTRL-A1.2 A1.2 Snapshots are taken. Inspected history. No deviations noted.',
      'CTRL-PI1.4 PI1.4 Outputs are reconciled. Inspected reconciliations. No deviations noted.',
    ].join('\n');
    const b = analyzeReport(pages(auditorReport('relevant to security'), table));
    expect(b.controlsTested).toBe(5);
    expect(b.exceptions?.map((e) => e.controlId)).toEqual(['CTRL-7.2']);
  });
});

describe('more wording from other firms', () => {
  const zephyr = (body: string, opinion = 'In our opinion, in all material respects, the controls operated effectively throughout the period.'): string =>
    `Independent Service Auditor's Report\nTo the Management of Zephyr Voice Systems, Inc.:\nWe have examined Zephyr Voice Systems, Inc.'s description of its platform for the period January 1, 2025 to December 31, 2025 and the suitability of the design and operating effectiveness of controls based on the trust services criteria relevant to security.\n${body}\nOpinion\n${opinion}\nHale Serrano LLP\nPhoenix, Arizona\nMarch 20, 2026`;

  it('takes every company named with its legal form in a sentence about subservice organizations', () => {
    const a = analyzeReport(pages(zephyr('Zephyr uses the following subservice organizations: Equinix, Inc. (colocation) and PagerDuty, Inc. (incident alerting). The description excludes their controls.')));
    expect(a.subserviceOrganizations).toEqual([
      { name: 'Equinix', nameAsWritten: 'Equinix, Inc.', method: 'carve-out', services: 'colocation' },
      { name: 'PagerDuty', nameAsWritten: 'PagerDuty, Inc.', method: 'carve-out', services: 'incident alerting' },
    ]);
    const b = analyzeReport(pages(zephyr('The Company outsources payment processing to Adyen N.V. and email delivery to Postmark Labs LLC. Controls at these subservice organizations are excluded (carve-out method).')));
    expect(b.subserviceOrganizations.map((x) => x.nameAsWritten)).toEqual(['Adyen N.V.', 'Postmark Labs LLC']);
  });

  it('reads "beginning X and ending Y" periods and categories with an aside', () => {
    const a = analyzeReport(pages(zephyr('').replace('for the period January 1, 2025 to December 31, 2025', 'for the review period beginning January 1, 2025 and ending December 31, 2025').replace('relevant to security.', 'relevant to the Security (common criteria) and Availability categories.')));
    expect(a.period).toEqual({ start: '2025-01-01', end: '2025-12-31' });
    expect(a.trustServicesCategories).toEqual(['security', 'availability']);
  });

  it('reads "January 1, 2025, to December 31, 2025" with the AICPA comma after the first year', () => {
    const a = analyzeReport(pages(zephyr('').replace('for the period January 1, 2025 to December 31, 2025', 'throughout the period from January 1, 2025, through December 31, 2025,')));
    expect(a.period).toEqual({ start: '2025-01-01', end: '2025-12-31' });
  });

  it('counts "No deviations." and "Control operated as described." as passing results', () => {
    const tests = 'Section IV Tests of Controls\nZV-01 CC6.1 MFA is used. Inspected. No deviations.\nZV-02 CC6.2 Access is approved. Inspected 25. Control operated as described.\nZV-03 CC7.1 Scans run. Inspected. No exceptions identified.\nZV-04 CC7.2 Alerts. Inspected. Exceptions identified: 3 of 25 alerts were not triaged.';
    const a = analyzeReport(pages(zephyr(''), tests));
    expect(a.controlsTested).toBe(4);
    expect(a.exceptions?.map((e) => e.controlId)).toEqual(['ZV-04']);
  });

  it('drops "Digitally signed by" from the firm and reads an ISO "Date:" line', () => {
    const a = analyzeReport(pages(zephyr('').replace('Hale Serrano LLP\nPhoenix, Arizona\nMarch 20, 2026', 'Digitally signed by Ridgeway Bell CPAs, PLLC\nDate: 2026-07-09')));
    expect([a.serviceAuditor, a.reportDate]).toEqual(['Ridgeway Bell CPAs, PLLC', '2026-07-09']);
  });

  it('takes the organization from the line under "To the Board of Directors"', () => {
    const a = analyzeReport(pages(zephyr('').replace('To the Management of Zephyr Voice Systems, Inc.:', 'To the Board of Directors\nOrbital Payments, Inc.').replace("Zephyr Voice Systems, Inc.'s description", 'the description')));
    expect(a.serviceOrganization).toBe('Orbital Payments, Inc.');
  });

  it('reads "we do not express one" as a disclaimer', () => {
    const a = analyzeReport(pages(zephyr('', 'Because of the limitation described above, we were unable to form an opinion and accordingly we do not express one.')));
    expect(a.opinion).toBe('disclaimer');
  });

  it('ends a response from other information at the next heading, and finds responses keyed by criterion', () => {
    const tests = 'Section IV Tests of Controls\nZV-01 CC6.1 MFA is used. Inspected. No exceptions noted.\nZV-02 CC6.2 Access is approved. Inspected 25. Exception noted. For 2 of 25 users approval was missing.\nZV-03 CC7.1 Scans run. Inspected. No exceptions noted.';
    const a = analyzeReport(pages(zephyr(''), tests, "Section V Other Information Provided by Management\nManagement's Responses to Exceptions\nExceptions Noted for Control ZV-02\nManagement's Response: Approvals are now enforced by the workflow.\nFuture Plans\nZephyr will adopt passkeys in 2027."));
    expect(a.exceptions?.map((e) => e.managementResponse)).toEqual(['Approvals are now enforced by the workflow.']);
    const b = analyzeReport(pages(zephyr(''), tests, "Section V Other Information Provided by Management\nManagement's Response\nCC6.2 Zephyr has automated approvals in the access request tool."));
    expect(b.exceptions?.map((e) => e.managementResponse)).toEqual(['Zephyr has automated approvals in the access request tool.']);
  });
});

describe('pointers and lists', () => {
  const wren = "Independent Service Auditor's Report\nTo the Management of Wren Data Inc.:\nWe have examined Wren Data Inc.'s description of its system for the period January 1, 2025 to December 31, 2025 and the suitability of the design and operating effectiveness of controls based on the trust services criteria relevant to security.\nOpinion\nIn our opinion, in all material respects, the controls operated effectively throughout the period.\nHale Serrano LLP\nPhoenix, Arizona\nMarch 20, 2026";

  it('follows "Exception noted. See Section V." to the line that starts with the control id', () => {
    const a = analyzeReport(
      pages(
        wren,
        'Section IV Tests of Controls\nWD-01 CC6.1 MFA is used. Inspected. No exceptions noted.\nWD-02 CC6.2 Access is approved. Inspected 10 of 14 interfaces. Exception noted. See Section V.\nWD-03 CC7.1 Scans run. Inspected. No exceptions noted.',
        "Section V Other Information Provided by Wren\nWD-02 Exception: For 2 of 10 new interfaces, the security approval was dated after go-live.\nManagement's Response: Go-live is now blocked until approval.",
      ),
    );
    expect(a.exceptions?.map((e) => [e.controlId, e.description, e.managementResponse])).toEqual([
      ['WD-02', 'For 2 of 10 new interfaces, the security approval was dated after go-live.', 'Go-live is now blocked until approval.'],
    ]);
  });

  it('takes the criterion of a criteria cell that wraps above the row, and ignores "Exceptions Noted" in a response heading', () => {
    const a = analyzeReport(
      pages(
        wren,
        "Section IV Tests of Controls\nReference Control Control Activity Test Performed Result\nCC6.1 /\n164.312(d)\nBF-01 Users use MFA. Inspected settings. No exceptions noted.\nCC7.2 /\n164.308(a)(1)\nBF-02 Logs are monitored. Inspected alerts. No exceptions noted.\nA1.2 /\n164.308(a)(7)\nBF-03 Backups are tested. Inspected 4 tests. Exception noted. The restore test for Q3 was not performed.\nBF-04 Patches are applied. Inspected. No exceptions noted.\nManagement's Response to Exceptions Noted\nBF-03: Restore tests are now scheduled in the compliance calendar.",
      ),
    );
    expect(a.controlsTested).toBe(4);
    expect(a.exceptions?.map((e) => [e.controlId, e.criteria, e.managementResponse])).toEqual([['BF-03', ['A1.2'], 'Restore tests are now scheduled in the compliance calendar.']]);
  });

  it('splits user entity controls listed with hyphens after "User entities should:"', () => {
    const a = analyzeReport(pages(wren, 'Description of the System\nComplementary User Entity Controls\nWren designed its controls with the assumption that user entities implement certain controls. User entities should:\n- Authenticate their clinicians through their own identity provider.\n- Review data sharing agreements annually.'));
    expect(a.complementaryUserEntityControls).toEqual(['Authenticate their clinicians through their own identity provider.', 'Review data sharing agreements annually.']);
  });
});

describe('scope and other documents', () => {
  it('reads categories named in a sentence of their own', () => {
    const a = analyzeReport(pages(auditorReport('based on the applicable trust services criteria. The scope of this examination includes the Security, Availability and Processing Integrity categories')));
    expect(a.trustServicesCategories).toEqual(['security', 'availability', 'processing-integrity']);
  });

  it('takes the current issue date of an ISO certificate, not the original certification date', () => {
    const a = analyzeReport(
      pages(
        'Nordcert Assurance GmbH\nCERTIFICATE\nThis is to certify that the information security management system of\nHalcyon Robotics GmbH\nhas been assessed and found to conform to the requirements of\nISO/IEC 27001:2022\nOriginal certification date: 14 February 2022\nCurrent certificate issue date: 3 March 2025\nValid until: 13 February 2028\nFor and on behalf of Nordcert Assurance GmbH',
      ),
    );
    expect([a.documentKind, a.serviceOrganization, a.serviceAuditor, a.reportDate]).toEqual(['iso27001', 'Halcyon Robotics GmbH', 'Nordcert Assurance GmbH', '2025-03-03']);
  });

  it('prefers the full name of the addressee over the short name after "We have examined" (SOC 3)', () => {
    const a = analyzeReport(
      pages(
        'SOC 3 Report\nWren Data Inc.',
        "Independent Accountant's Report\nTo the Management of Wren Data Inc.:\nWe have examined Wren's assertion that Wren maintained effective controls over its platform based on the trust services criteria relevant to security and availability throughout the period July 1, 2025, to June 30, 2026.\nIn our opinion, Wren's assertion is fairly stated, in all material respects.\nHale Serrano LLP\nPhoenix, Arizona\nAugust 2, 2026",
      ),
    );
    expect([a.documentKind, a.serviceOrganization, a.period]).toEqual(['soc3', 'Wren Data Inc.', { start: '2025-07-01', end: '2026-06-30' }]);
  });

  it('reads "certifies that the ISMS of" on a registration certificate', () => {
    const a = analyzeReport(pages('Certificate of Registration\nBSI certifies that the ISMS of\nWren Data Inc.\nhas been assessed and registered against ISO/IEC 27001:2022\nEffective date: 11/04/2025\nExpiry date: 10/04/2028\nOn behalf of BSI Assurance UK Ltd'));
    expect([a.documentKind, a.serviceOrganization, a.serviceAuditor]).toEqual(['iso27001', 'Wren Data Inc.', 'BSI Assurance UK Ltd']);
  });

  it('names the organization of a gap-period letter from its defined short name', () => {
    const a = analyzeReport(
      pages(
        'Tamarack Software Inc.\nApril 8, 2026\nRe: SOC 2 Type 2 Gap Period\nTamarack Software Inc. ("Tamarack") engaged an independent service auditor to examine its controls for the period January 1, 2025 through December 31, 2025.\nThis letter addresses the gap period from January 1, 2026 through March 31, 2026. Management is not aware of any material changes.',
      ),
    );
    expect([a.documentKind, a.serviceOrganization, a.reportDate, a.period]).toEqual(['bridge-letter', 'Tamarack Software Inc.', '2026-04-08', { start: '2026-01-01', end: '2026-03-31' }]);
  });
});

describe('robustness on held-out phrasings', () => {
  const phrases = [
    'Criteria CC8.1', 'Criteria', 'OP-CM-1 Changes are approved.', 'Result: Deviations noted.', 'Deviation:', 'Exception: for 2 of 25', 'Exceptions: None.', 'None noted.',
    'For 1 of 4 quarters, the review was completed late.', 'Exceptions Noted', 'TSC Ref Control No. Control Activity Test Procedures Exceptions Noted',
    'Subservice Organizations', 'Vendor Service Treatment', 'Stripe, Inc. Card tokenization Inclusive', 'Hetzner Online GmbH Hosting Carved out',
    'The description includes the relevant controls of Stripe, Inc. (the inclusive method).', 'Our examination did not include the controls of Microsoft Azure.',
    '31-Mar-2026', '27.02.2026', 'March 31st, 2026', 'Management response:', 'Section V: Other Information Provided by Management', 'gap period', 'valid until',
    "Independent Service Auditor's Report", 'In our opinion, in all material respects,', 'We have examined', '\n', ' ', '.', ':',
  ];
  const pageText = fc
    .tuple(fc.array(fc.oneof(fc.constantFrom(...phrases), fc.string({ maxLength: 30 })), { maxLength: 50 }), fc.constantFrom('\n', ' '))
    .map(([parts, joiner]) => parts.join(joiner));

  it('never throws and keeps its contract on random pages built from these phrases', () => {
    fc.assert(
      fc.property(fc.array(pageText, { maxLength: 6 }), (texts) => {
        const result = analyzeReport(pages(...texts));
        expect(result.pages).toBe(texts.length);
        for (const e of result.exceptions ?? []) expect(typeof e.description).toBe('string');
        for (const s of result.subserviceOrganizations) expect(s.name).not.toMatch(/\n/);
      }),
      { numRuns: 300 },
    );
  });

  // Speed is measured in `npm run bench:analyze`, not here; this reads 3,000 rows and 2,000 table lines (quadratic
  // work on such input once took 13 s) and must still find one exception and one provider.
  it('reads long repetitive matrices and provider tables: one exception per control, one provider per name', () => {
    const row = 'Criteria CC8.1\nOP-CM-1 Changes are approved. Test: Selected 40. Result: Deviations noted. For 1 of 4 quarters, it was late.\n';
    const result = analyzeReport(pages(auditorReport('relevant to security'), row.repeat(3000), `Subservice Organizations\n${'Acme Hosting Inc. Hosting Carve-out\n'.repeat(2000)}`));
    expect((result.exceptions ?? []).map((e) => [e.controlId, e.criteria, e.deviationRate])).toEqual([['OP-CM-1', ['CC8.1'], '1 of 4']]);
    expect(result.subserviceOrganizations.map((s) => [s.name, s.method])).toEqual([['Acme Hosting Inc.', 'carve-out']]);
  });
});
