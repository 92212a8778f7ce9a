import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyzeReport } from '../../shared/domain/soc2/analyze-report.ts';
import type { PageText } from '../../shared/domain/soc2/types.ts';

/** Page texts written by hand in a house style the corpus generator does not use. */
const pages = (...texts: string[]): PageText[] => texts.map((text, i) => ({ num: i + 1, text }));

const footer = (n: number): string => `Zylo Corp. – Confidential\nPage ${n} of 7`;

const bigFirmTypeTwo = pages(
  `SOC 2® TYPE II REPORT\nZylo Corp.\nZylo Payments Platform\nReport on the Description of the System and the Suitability of the Design and Operating Effectiveness of Controls\n1 July 2024 – 30 June 2025\n${footer(1)}`,
  `CONTENTS\nSection 1 Independent Service Auditor's Report 1\nSection 2 Management's Assertion 4\nSection 3 Description of the System 6\nSection 4 Testing Matrices 9\nSection 5 Other Information 12\n${footer(2)}`,
  `SECTION 1 – INDEPENDENT SERVICE AUDITOR'S REPORT\nTo the Board of Directors and Management of Zylo Corp.:\nScope\nWe have examined the accompanying description of Zylo Corp.'s ("Zylo") payments platform (the "System") for the period\n1 July 2024 to 30 June 2025, and the suitability of the design and operating effectiveness of controls stated in the\ndescription throughout the period 1 July 2024 to 30 June 2025, to provide reasonable assurance that Zylo's service\ncommitments and system requirements were achieved based on the trust services criteria for the Security and\nAvailability categories set forth in TSP Section 100, 2017 Trust Services Criteria for Security, Availability, Processing\nIntegrity, Confidentiality, and Privacy.\nZylo uses Microsoft Azure for cloud hosting. The description includes only the controls of Zylo and excludes the\ncontrols of Microsoft Azure. Our examination did not extend to controls at Microsoft Azure.\nThe information in Section 5 is presented by management and we do not express an opinion on it.\n${footer(3)}`,
  `Opinion\nIn our opinion, in all material respects,\na. The description fairly presents the System that was designed and implemented throughout the period.\nb. The controls stated in the description were suitably designed throughout the period.\nc. The controls stated in the description operated effectively throughout the period.\nRestricted Use\nThis report is intended solely for the information and use of Zylo and its user entities.\nBirchwood Partners LLP\nCertified Public Accountants\nNew York, NY\nAugust 22, 2025\n${footer(4)}`,
  `SECTION 3 – DESCRIPTION OF THE SYSTEM\nUser Control Considerations\nZylo's controls were designed with the assumption that the following controls are in place at user entities:\n1) Customers are responsible for approving payment instructions before submission to Zylo.\n2) Customers are responsible for safeguarding API credentials issued to them.\n3) Customers should notify Zylo of changes to authorized signatories.\nChanges During the Period\nNo changes.\n${footer(5)}`,
  `SECTION 4 – TESTING MATRICES\nControl Number Control Description Testing Procedures Test Results\nZP-01 CC6.1 Multi-factor authentication is required for remote access. Inspected configuration. No exceptions noted.\nZP-02 CC6.2 Access requests are approved before provisioning. Inspected a sample of 25 requests. Exception(s) noted:\nFor 3 of 25 requests sampled, approval was obtained after access was granted.\nZP-03 CC7.2 Alerts are reviewed daily. Inspected alert reviews. No deviations noted.\nZP-04 CC8.1 Changes are approved prior to release. Inquired of management and inspected tickets.\nThe circumstances that warrant the operation of the control did not occur during the period; therefore, no testing\nof operating effectiveness was performed.\n${footer(6)}`,
  `SECTION 5 – OTHER INFORMATION PROVIDED BY ZYLO\nManagement's Response to Exceptions\nZP-02: Response from management: Approvals are now enforced by the ticketing workflow.\n${footer(7)}`,
);

describe('analyzeReport on a big-firm Type II layout', () => {
  const a = analyzeReport(bigFirmTypeTwo);

  it('classifies the document as a SOC 2 Type II', () => {
    expect([a.documentKind, a.reportType]).toEqual(['soc2', 'type2']);
  });

  it('reads the service organization from the addressee', () => {
    expect(a.serviceOrganization).toBe('Zylo Corp.');
  });

  it('takes the signing firm, not the "Certified Public Accountants" line beneath it', () => {
    expect(a.serviceAuditor).toBe('Birchwood Partners LLP');
  });

  it('parses day-month-year periods joined by "to"', () => {
    expect(a.period).toEqual({ start: '2024-07-01', end: '2025-06-30' });
  });

  it('takes the report date from the signature block', () => {
    expect(a.reportDate).toBe('2025-08-22');
  });

  it('treats "we do not express an opinion on it" about other information as boilerplate', () => {
    expect(a.opinion).toBe('unqualified');
  });

  it('reads categories named before the word "categories", not from the framework title', () => {
    expect(a.trustServicesCategories).toEqual(['security', 'availability']);
  });

  it('finds a carved-out provider named in prose', () => {
    expect(a.subserviceOrganizations).toEqual([expect.objectContaining({ name: 'Microsoft Azure', method: 'carve-out' })]);
  });

  it('lists numbered user control considerations', () => {
    expect(a.complementaryUserEntityControls).toHaveLength(3);
  });

  it('counts four controls, the not-occurred one included', () => {
    expect(a.controlsTested).toBe(4);
  });

  it('reports the one exception with its control, criterion and response from other information', () => {
    expect(a.exceptions).toEqual([
      expect.objectContaining({ controlId: 'ZP-02', criteria: ['CC6.2'], managementResponse: 'Approvals are now enforced by the ticketing workflow.', page: 6 }),
    ]);
  });

  it('cites the page of every fact it found', () => {
    expect(Object.keys(a.evidence)).toEqual(expect.arrayContaining(['documentKind', 'serviceOrganization', 'serviceAuditor', 'reportDate', 'period', 'opinion']));
    expect(a.evidence.serviceAuditor?.page).toBe(4);
  });
});

const typeOneWithOperatingBoilerplate = pages(
  `Report of Independent Service Auditors\nTo the Management of Quokka Labs, Inc.:\nWe have examined Quokka Labs, Inc.'s description of its analytics system as of March 31, 2025 and the suitability of the\ndesign of controls stated in the description as of March 31, 2025, to provide reasonable assurance that the service\ncommitments were achieved based on the trust services criteria relevant to security (applicable trust services criteria).\nThe description indicates that complementary user entity controls that are suitably designed and operating effectively\nare necessary. We did not perform any procedures regarding the operating effectiveness of controls stated in the\ndescription and, accordingly, do not express an opinion thereon.\nIn our opinion, in all material respects, the controls were suitably designed as of March 31, 2025 to provide\nreasonable assurance that the commitments would be achieved if the controls operated effectively.\nKettle & Rowe CPAs\nBoise, Idaho\n05/02/2025`,
);

describe('analyzeReport on a Type I report', () => {
  const a = analyzeReport(typeOneWithOperatingBoilerplate);

  it('reads Type I although the boilerplate mentions operating effectiveness', () => {
    expect(a.reportType).toBe('type1');
  });

  it('gives the as-of date as the period end with no start', () => {
    expect(a.period).toEqual({ start: null, end: '2025-03-31' });
  });

  it('does not take "do not express an opinion thereon" for a disclaimer', () => {
    expect(a.opinion).toBe('unqualified');
  });

  it('has no exceptions list because a Type I has no tests of operating effectiveness', () => {
    expect([a.exceptions, a.controlsTested]).toEqual([null, null]);
  });

  it('parses a numeric report date', () => {
    expect(a.reportDate).toBe('2025-05-02');
  });
});

const opinionPage = (opinion: string): PageText[] =>
  pages(
    `Independent Service Auditor's Report\nTo the Management of Vega Systems LLC:\nWe have examined Vega Systems LLC's description of its system throughout the period January 1, 2024 through December 31, 2024 and the suitability of the design and operating effectiveness of controls, based on the trust services criteria relevant to security.\nAn examination involves assessing the risks that controls were not suitably designed or did not operate effectively.\n${opinion}\nRestricted Use\nThis report is intended solely for Vega Systems LLC.\nOrion Audit LLP\nDallas, Texas\nFebruary 3, 2025`,
  );

describe('opinion, decided worst first from the auditor’s report', () => {
  it('is qualified when the opinion says "except for"', () => {
    expect(analyzeReport(opinionPage('In our opinion, except for the effects of the matter described in the Basis for Qualified Opinion paragraph, in all material respects, the controls operated effectively.')).opinion).toBe('qualified');
  });

  it('is adverse when the opinion says the controls did not operate effectively', () => {
    expect(analyzeReport(opinionPage('In our opinion, because of the significance of the matter, the controls did not operate effectively throughout the period.')).opinion).toBe('adverse');
  });

  it('is a disclaimer when the auditor could not obtain sufficient appropriate evidence', () => {
    expect(analyzeReport(opinionPage('We were unable to obtain sufficient appropriate evidence. Accordingly, we do not express an opinion on the description.')).opinion).toBe('disclaimer');
  });

  it('is unqualified when the risk boilerplate says "did not operate effectively" outside the opinion', () => {
    expect(analyzeReport(opinionPage('In our opinion, in all material respects, the controls operated effectively throughout the period.')).opinion).toBe('unqualified');
  });

  it('ignores "qualified personnel" in the description', () => {
    const doc = opinionPage('In our opinion, in all material respects, the controls operated effectively throughout the period.');
    doc.push({ num: 2, text: 'Description of the System\nThe company employs appropriately qualified personnel.' });
    expect(analyzeReport(doc).opinion).toBe('unqualified');
  });
});

describe('criteria numbering', () => {
  it('flags reports under the pre-2017 trust services principles', () => {
    const a = analyzeReport(pages(`Independent Service Auditor's Report\nWe have examined the description of Lark Inc.'s system throughout the period October 1, 2016 - March 31, 2017 based on the Trust Services Principles and Criteria relevant to security.\nIn our opinion, in all material respects, the controls operated effectively throughout the period.`));
    expect(a.criteriaVersion).toBe('pre-2017');
  });
});

describe('documents without text', () => {
  it('reports an image-only scan as having no text layer', () => {
    const a = analyzeReport(pages('', '', ''));
    expect([a.textLayer, a.documentKind, a.pages]).toEqual([false, 'unknown', 3]);
  });
});

describe('signature block variants', () => {
  const report = (signature: string): PageText[] =>
    pages(`Independent Service Auditor's Report\nTo the Management of Wren Data Inc.:\nWe have examined Wren Data Inc.'s description of its system throughout the period January 1, 2024 to December 31, 2024 and the suitability of the design and operating effectiveness of controls relevant to security.\nIn our opinion, in all material respects, the controls operated effectively throughout the period.\n${signature}`);

  it('reads "City, State, date" on one line', () => {
    expect(analyzeReport(report('Ashby & Cole LLP\nRaleigh, North Carolina, March 7, 2025')).reportDate).toBe('2025-03-07');
  });

  it('reads a date followed by the city', () => {
    expect(analyzeReport(report('Ashby & Cole LLP\nMarch 7, 2025, Raleigh, NC')).reportDate).toBe('2025-03-07');
  });

  it('reads an "/s/" signature', () => {
    expect(analyzeReport(report('/s/ Ashby & Cole LLP\nRaleigh, NC\nMarch 7, 2025')).serviceAuditor).toBe('Ashby & Cole LLP');
  });
});

describe('period wording', () => {
  const report = (when: string): PageText[] =>
    pages(`Independent Service Auditor's Report\nTo the Management of Wren Data Inc.:\nWe have examined Wren Data Inc.'s description of its system ${when} and the suitability of the design and operating effectiveness of controls based on the trust services criteria relevant to security.\nIn our opinion, in all material respects, the controls operated effectively.\nAshby & Cole LLP\nRaleigh, NC\nMarch 7, 2025`);

  it('infers the start of "the six months ended June 30, 2024"', () => {
    expect(analyzeReport(report('for the six months ended June 30, 2024')).period).toEqual({ start: '2024-01-01', end: '2024-06-30' });
  });

  it('reads "April 1 through September 30, 2024"', () => {
    expect(analyzeReport(report('for the period April 1 through September 30, 2024')).period).toEqual({ start: '2024-04-01', end: '2024-09-30' });
  });
});

describe('robustness', () => {
  const phrases = [
    "Independent Service Auditor's Report", 'In our opinion, in all material respects,', 'except for', 'No exceptions noted.', 'Exceptions noted.', 'C-101', 'CC6.1', 'Management\'s Response:',
    'Complementary User Entity Controls', 'User entities are responsible for access.', 'throughout the period April 1, 2024 to March 31, 2025', 'as of 06/30/2024', 'Subservice Organizations',
    'Acme uses Amazon Web Services (AWS) to provide hosting.', 'carve-out method', 'Table of Contents', '....... 4', '•', 'Harbor LLP', 'Denver, Colorado', 'May 16, 2025', '\n', ' ',
  ];
  const pageText = fc.array(fc.oneof(fc.constantFrom(...phrases), fc.string({ maxLength: 40 })), { maxLength: 40 }).map((parts) => parts.join('\n'));

  it('never throws and always reports the page count, whatever the text', () => {
    fc.assert(
      fc.property(fc.array(pageText, { maxLength: 6 }), (texts) => {
        const result = analyzeReport(pages(...texts));
        expect(result.pages).toBe(texts.length);
      }),
      { numRuns: 300 },
    );
  });

  it('gives the same analysis for the same pages', () => {
    fc.assert(
      fc.property(fc.array(pageText, { minLength: 1, maxLength: 4 }), (texts) => {
        expect(analyzeReport(pages(...texts))).toEqual(analyzeReport(pages(...texts)));
      }),
      { numRuns: 100 },
    );
  });

  // Speed is measured in `npm run bench:analyze`; this only shows such a page is read to the end and yields no facts.
  it('reads a page that is one very long line (a million characters) and finds nothing in it', () => {
    const result = analyzeReport(pages(`We have examined ${'word '.repeat(200_000)}`));
    expect([result.opinion, result.reportType, result.serviceOrganization, result.exceptions, result.subserviceOrganizations]).toEqual([null, null, null, null, []]);
  });
});

describe('complementary user entity controls without full stops', () => {
  it('splits items that end without punctuation', () => {
    const a = analyzeReport(
      pages(
        `Independent Service Auditor's Report\nWe have examined Teal Inc.'s description based on the trust services criteria relevant to security throughout the period January 1, 2024 to December 31, 2024, and the suitability of the design and operating effectiveness of controls.\nIn our opinion, in all material respects, the controls operated effectively throughout the period.`,
        `Description of the System\nComplementary User Entity Controls\nUser entities should consider the following:\nRestrict administrator access to the\nTeal console to named individuals\nReview exported audit logs monthly\nNotify Teal of terminated administrators\nChanges to the System\nNone.`,
      ),
    );
    expect(a.complementaryUserEntityControls).toEqual(['Restrict administrator access to the Teal console to named individuals', 'Review exported audit logs monthly', 'Notify Teal of terminated administrators']);
  });
});

describe('service organization', () => {
  it('reads an addressee with a short name in parentheses', () => {
    const a = analyzeReport(pages(`Independent Service Auditor's Report\nTo the Management of Heron Freight, Inc. ("Heron"):\nWe have examined the accompanying description based on the trust services criteria relevant to security throughout the period January 1, 2024 to December 31, 2024.\nIn our opinion, in all material respects, the controls operated effectively throughout the period.`));
    expect(a.serviceOrganization).toBe('Heron Freight, Inc.');
  });
});
