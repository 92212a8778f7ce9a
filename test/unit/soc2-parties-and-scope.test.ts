/**
 * Parties and scope as real reports write them (issue 12): addressees without a legal suffix, possessives, individual
 * CPAs, certificate holders and bodies, the opinion's own "(applicable trust services criteria)", providers bulleted
 * under "<Org> uses,". Each page text is hand-written in the style of a published document, not taken from one.
 */
import { describe, expect, it } from 'vitest';
import { analyzeReport } from '../../shared/domain/soc2/analyze-report.ts';
import type { PageText } from '../../shared/domain/soc2/types.ts';

const pages = (...texts: string[]): PageText[] => texts.map((text, i) => ({ num: i + 1, text }));

const report = (addressee: string, body: string, signature: string): string =>
  `Independent Service Auditor's Report\n${addressee}\nScope\n${body}\nOpinion\nIn our opinion, in all material respects, the controls stated in the description operated effectively throughout the period January 1, 2025 to June 30, 2025.\n${signature}`;

describe('parties', () => {
  it('names the organization from "To : <Org>." and an individual CPA as the auditor', () => {
    const a = analyzeReport(
      pages(
        report(
          'To : Lantern Freight Private Limited.',
          'We have examined the accompanying description of Lantern Freight Private Limited, Dispatch Cloud Application throughout the period January 1, 2025 to June 30, 2025, and the suitability of the design and operating effectiveness of controls based on the criteria for Security, Availability, Processing Integrity, Confidentiality & Privacy principles set forth in TSP Section 100, Trust Services Criteria for Security and Availability (applicable trust services criteria).',
          'Ravi Menon, Certified Public Accountant\nLicense No.: 12345\nDate: 15th August 2025',
        ),
      ),
    );
    expect([a.serviceOrganization, a.serviceAuditor, a.systemName]).toEqual(['Lantern Freight Private Limited', 'Ravi Menon', 'Dispatch Cloud Application']);
    expect(a.trustServicesCategories).toEqual(['security', 'availability']);
  });

  it('keeps a possessive name whole and drops the city after the firm', () => {
    const a = analyzeReport(
      pages(
        report(
          'To the Board of Directors of Harrow Analytics',
          "We have examined Harrow Analytics' accompanying description of its Signal Insights platform throughout the period January 1, 2025 to June 30, 2025 based on the trust services criteria relevant to security.",
          'Pemberton Rowe & Co., Leeds, England\nAugust 1, 2025',
        ),
      ),
    );
    expect([a.serviceOrganization, a.systemName]).toEqual(['Harrow Analytics', 'Signal Insights platform']);
  });

  it('takes providers bulleted under "<Org> uses," with canonical names, never the organization itself', () => {
    const a = analyzeReport(
      pages(
        report(
          'To the Management of Lantern Freight Private Limited:',
          'We have examined Lantern Freight Private Limited\'s description of its dispatch system throughout the period January 1, 2025 to June 30, 2025 based on the trust services criteria relevant to security.\nLantern Freight Private Limited uses,\n• Amazon Web services(AWS), a subservice organization which provides cloud hosting.\n• Gitlab(GitLab Inc), is a platform for source control.\n• Google LLC (Google Workspace), a collection of productivity tools.\nThe description does not disclose the actual controls at the subservice organizations (carve-out method).',
          'Harbor & Finch LLP\nDenver, Colorado\nAugust 1, 2025',
        ),
      ),
    );
    expect(a.subserviceOrganizations.map((s) => [s.name, s.method])).toEqual([
      ['Amazon Web Services', 'carve-out'],
      ['GitLab', 'carve-out'],
      ['Google Workspace', 'carve-out'],
    ]);
  });
});

describe('ISO/IEC 27001 certificates', () => {
  it('reads the holder after "certifies that the organization" and the body from "The certification body of"', () => {
    const a = analyzeReport(pages('CERTIFICATE\nThe certification body of NordCert Zertifizierung GmbH hereby certifies that the organization\nOpaline Retail Systems B.V.\nKeizersgracht 221, Amsterdam\nhas established and applies an information security management system according to\nISO/IEC 27001:2022\nCertificate No. NC-27K-30918\nValid from 02.04.2025\nValid until 01.04.2028'));
    expect([a.documentKind, a.serviceOrganization, a.serviceAuditor]).toEqual(['iso27001', 'Opaline Retail Systems B.V.', 'NordCert Zertifizierung GmbH']);
  });

  it('reads the holder above "has been independently assessed by" and the body named there', () => {
    const a = analyzeReport(pages('AXELRA STUDIOS LLP\nPlot 12, Hitech City, Hyderabad\nhas been independently assessed by QRO\nand is compliant with the requirement of:\nISO/IEC 27001:2022\nInformation Security Management System\nDate of Certification: 25th October 2025\nCertificate Expiry: 24th October 2028'));
    expect([a.serviceOrganization, a.serviceAuditor]).toEqual(['AXELRA STUDIOS LLP', 'QRO']);
  });

  it('takes the body from the footer when no sentence names it', () => {
    const a = analyzeReport(pages('Certificate of Registration\nThis is to certify that\nHarbor Data Inc.\n12 Pier Road, Boston\nhas been assessed as meeting the requirements of ISO/IEC 27001:2022\nCertificate Number: 1234\nIssue Date: 1 March 2025\nSchellman Compliance, LLC · 4010 W Boy Scout Blvd · Tampa'));
    expect([a.serviceOrganization, a.serviceAuditor]).toEqual(['Harbor Data Inc.', 'Schellman Compliance, LLC']);
  });
});

describe('confidence', () => {
  it('is low with a reason when a SOC report names no auditor in its text, and a warning says so', () => {
    const a = analyzeReport(pages(report('To the Management of Wren Data Inc.:', "We have examined Wren Data Inc.'s description of its platform throughout the period January 1, 2025 to June 30, 2025 based on the trust services criteria relevant to security.", 'San Jose, California\nAugust 1, 2025')));
    expect(a.serviceAuditor).toBeNull();
    expect(a.confidence?.serviceAuditor?.level).toBe('low');
    expect(a.warnings.some((w) => /not named in the report's text/.test(w))).toBe(true);
    expect(a.confidence?.serviceOrganization).toEqual({ level: 'high', reason: null });
  });
});
