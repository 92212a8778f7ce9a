/** Testing matrices exported as pipe-separated rows with "Control <id>" labels (seen in some firms' reports). */
import { describe, expect, it } from 'vitest';
import { analyzeReport } from '../../shared/domain/soc2/analyze-report.ts';

const pages = [
  'SOC 2 Type 2 Report\nAcme Widgets Inc.\nFor the period 1 April 2025 to 31 March 2026',
  "INDEPENDENT SERVICE AUDITOR'S REPORT\nTo the Board of Acme Widgets Inc.:\nWe have examined Acme Widgets Inc.'s description of its system throughout the period 1 April 2025 to 31 March 2026 based on the trust services criteria relevant to security (applicable trust services criteria).\nOpinion\nIn our opinion, in all material respects, the controls stated in the description operated effectively throughout the period.\nLedger & Lamp LLP\nDenver, Colorado\n14 May 2026",
  'SECTION IV — TESTS OF CONTROLS\nControl AW-01 | CC6.1 | Access requires MFA. | Inspected configuration. | No exceptions noted.\nControl AW-02 | CC6.2 | New access is approved. | Inspected approvals for 25 new hires. | Exception noted: for 3 of 25 new hires sampled, approval was recorded after access was granted.\nManagement\'s response: The workflow now blocks access until approval.\nControl AW-03 | CC7.2 | Events are monitored. | Inspected alerts. | No exceptions noted.',
].map((text, i) => ({ num: i + 1, text }));

describe('pipe-separated testing rows', () => {
  const analysis = analyzeReport(pages);

  it('counts each control once', () => {
    expect(analysis.controlsTested).toBe(3);
  });

  it('ties the exception to its control id and criterion, and stops the response at the next row', () => {
    expect(analysis.exceptions).toEqual([
      {
        controlId: 'AW-02',
        criteria: ['CC6.2'],
        otherReferences: [],
        description: expect.stringContaining('3 of 25 new hires'),
        deviationRate: '3 of 25',
        managementResponse: 'The workflow now blocks access until approval.',
        page: 3,
        pages: [3],
      },
    ]);
  });
});
