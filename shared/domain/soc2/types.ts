/**
 * The analysis contract (issue 3). Field names are public API: add fields freely, never rename these. Fields added
 * later are optional in the type because analyses stored before them lack them; the analyzer always sets them.
 */

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
  /** Canonical name ("Amazon Web Services" where the report writes "AWS"). */
  name: string;
  /** The report's own words. */
  nameAsWritten?: string;
  method: 'carve-out' | 'inclusive';
  services: string | null;
}

export interface ControlException {
  controlId: string | null;
  /** 2017 trust services criteria ids the control maps to, primary first. */
  criteria: string[];
  /** Other frameworks' ids the same exception is reported under (CSA CCM, ISO 27001 Annex A …). */
  otherReferences?: string[];
  description: string;
  /** "2 of 25" when the report states the rate. */
  deviationRate?: string | null;
  managementResponse: string | null;
  /** First page the exception appears on. */
  page: number;
  /** Every page it appears on (criteria matrices, mapping tables, sections). */
  pages?: number[];
}

/** A control in the matrix that was not tested, and why ("the circumstances … did not occur during the period"). */
export interface UntestedControl {
  controlId: string | null;
  criteria: string[];
  reason: string;
  page: number;
}

/** How far a field can be trusted, and why not when it cannot. */
export interface FieldConfidence {
  level: 'high' | 'low';
  reason: string | null;
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
  /** Controls in the tests that were not tested (no occurrence, not applicable); null without tests of controls. */
  untestedControls?: UntestedControl[] | null;
  pages: number;
  textLayer: boolean;
  evidence: Record<string, Evidence>;
  warnings: string[];
  /** Additional fields (not in the frozen contract list). */
  criteriaVersion: CriteriaVersion | null;
  /** The system or service the report covers ("MSG91 Software Application"). */
  systemName?: string | null;
  /** Per extracted field: high, or low with the reason (read by OCR, two candidates, name only in an image …). */
  confidence?: Record<string, FieldConfidence>;
  /** How the text was read: `layout` (positioned items: tables by column), `text` (stream order), pages read by OCR. */
  extraction?: { method: 'layout' | 'text'; ocrPages: number[] };
}

/** A run of text on a page with its position: x and y (baseline) in points from the top left, w wide, font size h. */
export interface TextItem {
  s: string;
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Text of one page as extracted from the PDF (1-based page number). */
export interface PageText {
  num: number;
  /** Text in content-stream order, as the text extractor reads it. */
  text: string;
  /** Positioned text items, when the extractor read the layout (the layout-aware rules need them). */
  items?: TextItem[];
  width?: number;
  height?: number;
  /** True when the page's text was read by OCR from an image. */
  ocr?: boolean;
}
