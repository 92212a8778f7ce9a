/** The analysis contract (issue 3). Field names are public API: add fields freely, never rename these. */

export const documentKinds = ['soc2', 'soc1', 'soc3', 'bridge-letter', 'iso27001', 'unknown'] as const;
export type DocumentKind = (typeof documentKinds)[number];

export type ReportType = 'type1' | 'type2';

export type Opinion = 'unqualified' | 'qualified' | 'adverse' | 'disclaimer';

/** Trust services categories in their canonical (AICPA) order. */
export const trustServicesCategories = ['security', 'availability', 'processing-integrity', 'confidentiality', 'privacy'] as const;
export type TrustServicesCategory = (typeof trustServicesCategories)[number];

export type CriteriaVersion = '2017' | 'pre-2017';

export interface Period {
  start: string | null;
  end: string;
}

export interface SubserviceOrganization {
  name: string;
  method: 'carve-out' | 'inclusive';
  services: string | null;
}

export interface ControlException {
  controlId: string | null;
  /** Trust services criteria ids, primary first. */
  criteria: string[];
  description: string;
  managementResponse: string | null;
  page: number;
}

export interface Evidence {
  page: number;
  quote: string;
}

export interface ReportAnalysis {
  documentKind: DocumentKind;
  reportType: ReportType | null;
  serviceOrganization: string | null;
  serviceAuditor: string | null;
  reportDate: string | null;
  period: Period | null;
  opinion: Opinion | null;
  trustServicesCategories: TrustServicesCategory[];
  subserviceOrganizations: SubserviceOrganization[];
  complementaryUserEntityControls: string[];
  controlsTested: number | null;
  exceptions: ControlException[] | null;
  pages: number;
  textLayer: boolean;
  evidence: Record<string, Evidence>;
  warnings: string[];
  /** Additional fields (not in the frozen contract list). */
  criteriaVersion: CriteriaVersion | null;
}

/** Text of one page as extracted from the PDF (1-based page number). */
export interface PageText {
  num: number;
  text: string;
}
