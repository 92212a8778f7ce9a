/**
 * The SOC 2 report analyzer: per-page text in, `ReportAnalysis` out. Pure and deterministic.
 */
import { findCuecs, findSubserviceOrganizations, providersListedAfterUses } from './complementary-controls.ts';
import { organizationKey, sameOrganization } from './names/canonical-names.ts';
import { findDates } from './dates.ts';
import { cleanDocument, pageAt, quoteAround, viewOf, type Line, type TextView } from './document.ts';
import {
  findSystemName,
  categoriesFromCriteria,
  classifyKind,
  findBridgePeriod,
  findCategories,
  findOpinion,
  findPeriod,
  findReportType,
  findServiceOrganization,
  findSignature,
  isPre2017,
  type Found,
} from './report-facts.ts';
import { findParts, linesOf, subRegions } from './sections.ts';
import { readResultTables } from './layout/result-tables.ts';
import { criteriaIn, deviationRateIn, TSC_ID } from './patterns.ts';
import { testsFromTables } from './tests-from-tables.ts';
import { readTestsOfControls, responseFor } from './tests-of-controls.ts';
import type { ControlException, Evidence, PageText, ReportAnalysis } from './types.ts';

/** A trailing comma or full stop, but not the one that ends "Inc." or "Ltd.". */
const TRAILING_PUNCT = /(?<!\b(?:Inc|Ltd|Co|Corp|L\.L\.C|P\.C|B\.V|N\.V|S\.A|Pvt|Bhd|K\.K))[,.]\s*$/i;

/** Analyzes the text of a document, page by page; every field found gets a confidence with its reason. */
export function analyzeReport(pages: PageText[]): ReportAnalysis {
  return withConfidence(readFacts(pages));
}

function readFacts(pages: PageText[]): ReportAnalysis {
  const doc = cleanDocument(pages);
  const ocrPages = pages.filter((p) => p.ocr).map((p) => p.num);
  // The text layer is the PDF's own text; pages read by OCR do not count towards it.
  const ownChars = pages.filter((p) => !p.ocr).reduce((n, p) => n + p.text.replace(/\s+/g, '').length, 0);
  const textLayer = ownChars >= Math.max(40, doc.pages * 10);
  const evidence: Record<string, Evidence> = {};
  const warnings: string[] = [];
  const keep = <T>(field: string, found: Found<T>): T => {
    if (found.evidence) evidence[field] = found.evidence;
    return found.value;
  };

  const analysis: ReportAnalysis = {
    documentKind: 'unknown',
    reportType: null,
    serviceOrganization: null,
    serviceAuditor: null,
    reportDate: null,
    period: null,
    opinion: null,
    trustServicesCategories: [],
    subserviceOrganizations: [],
    complementaryUserEntityControls: [],
    controlsTested: null,
    exceptions: null,
    untestedControls: null,
    pages: doc.pages,
    textLayer,
    evidence,
    warnings,
    criteriaVersion: null,
    systemName: null,
    confidence: {},
    extraction: { method: 'text', ocrPages },
  };
  if (doc.pages === 0) {
    warnings.push('The document has no pages.');
    return analysis;
  }
  if (!textLayer && (ocrPages.length === 0 || doc.rawChars < 40)) {
    warnings.push(ocrPages.length > 0 ? 'The document has no text layer and OCR read no text from its pages.' : 'The document has no text layer (an image-only scan?): nothing can be read without OCR.');
    return analysis;
  }
  if (ocrPages.length > 0) warnings.push(`Pages ${ocrPages.join(', ')} have no text layer and were read by OCR: check the facts taken from them.`);

  const parts = findParts(doc.lines);
  const lines = doc.lines;
  const all = viewOf(lines);
  const front = viewOf(linesOf(lines, parts, 'front').slice(0, 80));
  let auditorLines = linesOf(lines, parts, 'auditor');
  if (auditorLines.length === 0) auditorLines = fallbackAuditorLines(lines);
  const auditor = viewOf(auditorLines);
  const assertion = viewOf(linesOf(lines, parts, 'assertion'));
  const testLines = linesOf(lines, parts, 'tests');
  const other = viewOf(linesOf(lines, parts, 'other'));

  const kind = classifyKind({ all, front, auditor, hasTestsPart: testLines.length > 0, pages: doc.pages, textLayer: textLayer || ocrPages.length > 0 });
  warnings.push(...kind.warnings);
  analysis.documentKind = keep('documentKind', kind);

  if (analysis.documentKind === 'iso27001') return analyzeCertificate(analysis, all, keep);
  if (analysis.documentKind === 'bridge-letter') return analyzeBridgeLetter(analysis, all, keep);

  const factViews = auditor.text.length > 0 ? [auditor, front, assertion] : [front, assertion, all];
  analysis.serviceOrganization = keep('serviceOrganization', findServiceOrganization([...factViews, all]));
  const signature = findSignature(auditor);
  analysis.serviceAuditor = keep('serviceAuditor', signature.firm.value !== null ? signature.firm : labelledFirm(front));
  analysis.reportDate = keep('reportDate', signature.date.value !== null ? signature.date : labelledReportDate([front, auditor]));
  analysis.opinion = keep('opinion', findOpinion(auditor.text.length > 0 ? auditor : all));

  const isSoc = analysis.documentKind === 'soc1' || analysis.documentKind === 'soc2';
  if (isSoc) {
    const type = findReportType(auditor, front);
    warnings.push(...type.warnings);
    analysis.reportType = keep('reportType', type);
  }
  if (analysis.documentKind !== 'unknown') {
    const period = findPeriod([...factViews, all], analysis.reportType);
    warnings.push(...period.warnings);
    analysis.period = keep('period', period);
  }

  analysis.systemName = keep('systemName', findSystemName([auditor, front, assertion], analysis.serviceOrganization));
  if (analysis.documentKind === 'soc2' || analysis.documentKind === 'soc3') {
    const pre = isPre2017(all.text);
    analysis.criteriaVersion = pre ? 'pre-2017' : '2017';
    if (pre) {
      evidence.criteriaVersion = { page: pageAt(all, pre.index), quote: quoteAround(all, pre.index, pre[0].length) };
      warnings.push('Pre-2017 Trust Services Principles and Criteria: common criteria ids are numbered differently (CC5 access, CC6 operations, CC7 change management).');
    }
    const cats = findCategories([auditor, front, assertion]);
    if (cats.value.length > 0) analysis.trustServicesCategories = keep('trustServicesCategories', cats);
    else {
      const implied = categoriesFromCriteria(testLines.map((l) => l.text).join('\n'));
      analysis.trustServicesCategories = implied;
      analysis.confidence!.trustServicesCategories = { level: 'low', reason: 'no scope statement: inferred from the criteria tested' };
      warnings.push('No scope statement naming the trust services categories was found; categories are inferred from the criteria tested.');
    }
  }

  if (analysis.documentKind === 'soc2' || analysis.documentKind === 'soc1' || analysis.documentKind === 'soc3') {
    const auditorSet = new Set(auditorLines);
    const nonAuditor = lines.filter((l) => !auditorSet.has(l));
    const subs = findSubserviceOrganizations({ lines: nonAuditor, auditor, serviceOrganization: analysis.serviceOrganization });
    warnings.push(...subs.warnings);
    analysis.subserviceOrganizations = subs.items;
    const method = /inclusive method/i.test(auditor.text) && !/carve[- ]?\s?out/i.test(auditor.text) ? 'inclusive' : 'carve-out';
    for (const listed of providersListedAfterUses(lines)) {
      if (analysis.serviceOrganization && sameOrganization(listed.name, analysis.serviceOrganization)) continue;
      if (analysis.subserviceOrganizations.some((s) => organizationKey(s.name) === organizationKey(listed.name))) continue;
      analysis.subserviceOrganizations.push({ name: listed.name, nameAsWritten: listed.nameAsWritten, method, services: null });
    }
    if (subs.evidence && subs.items.length > 0) evidence.subserviceOrganizations = subs.evidence;
    const assertionSet = new Set(linesOf(lines, parts, 'assertion'));
    const cuecs = findCuecs(lines.filter((l) => !assertionSet.has(l) && !auditorSet.has(l)));
    analysis.complementaryUserEntityControls = cuecs.items;
    if (cuecs.evidence) evidence.complementaryUserEntityControls = cuecs.evidence;
  }

  if (isSoc && analysis.reportType === 'type2') {
    const responses = responsesView(lines, other);
    const table = testsFromTables(readResultTables(pages), (e) => (responses ? responseFor(e, responses) : null));
    const tests = table ?? readTestsOfControls(testLines.length > 0 ? testLines : lines, responses);
    analysis.controlsTested = table ? table.controlsTested : tests.controlsTested;
    analysis.exceptions = table ? table.exceptions : withMergedAppearances(tests.exceptions);
    analysis.untestedControls = table ? table.untestedControls : [];
    if (table) analysis.extraction = { ...analysis.extraction!, method: 'layout' };
    if (tests.evidence) evidence.controlsTested = tests.evidence;
    const first = tests.exceptions[0];
    if (first) evidence.exceptions = { page: first.page, quote: first.description.slice(0, 220) };
    if (testLines.length === 0) warnings.push('No tests-of-controls section heading was found; results were read from the whole document.');
    if (tests.resultsFound === 0) warnings.push('No test results were found in the tests of controls.');
  }
  if (analysis.documentKind === 'soc2' && analysis.opinion === null) warnings.push("No opinion paragraph was found in the auditor's report.");
  return analysis;
}

/** A cover that names the firm: "Prepared by Harbor & Pine CPAs LLP", "Service Auditor: …". */
function labelledFirm(front: TextView): Found<string | null> {
  const m = /(?:prepared by|audited by|examined by|issued by|service auditor|independent auditor|auditor)\s*:?\s+([A-Z][A-Za-z0-9&.,' -]{2,70}?)\s*(?:\n|$)/m.exec(front.text);
  if (!m) return { value: null, evidence: null };
  return { value: m[1]!.replace(TRAILING_PUNCT, '').trim(), evidence: { page: pageAt(front, m.index), quote: m[0].trim() } };
}

/** "Report Date: March 1, 2025" or "Date of Report: …" on the cover or in the report. */
function labelledReportDate(views: TextView[]): Found<string | null> {
  for (const view of views) {
    const m = /(?:report date|date of (?:the )?report|report issued|issue date|date issued)\s*:?\s*([^\n]{6,40})/i.exec(view.text);
    const date = m ? findDates(m[1]!)[0] : undefined;
    if (m && date) return { value: date.iso, evidence: { page: pageAt(view, m.index), quote: m[0].trim() } };
  }
  return { value: null, evidence: null };
}

/** Without an auditor's report heading, the report starts a few lines above "We have examined". */
function fallbackAuditorLines(lines: Line[]): Line[] {
  const at = lines.findIndex((l) => /we have examined/i.test(l.text));
  if (at < 0) return [];
  return lines.slice(Math.max(0, at - 6), Math.min(lines.length, at + 160));
}

function responsesView(lines: Line[], other: TextView): TextView | null {
  const regions = subRegions(lines, ['responses'], 600);
  const wanted = new Set([...regions.flatMap((r) => lines.slice(r.start, r.end)), ...other.lines]);
  return wanted.size > 0 ? viewOf(lines.filter((l) => wanted.has(l))) : null;
}

function analyzeCertificate(analysis: ReportAnalysis, all: TextView, keep: <T>(field: string, found: Found<T>) => T): ReportAnalysis {
  const holder = certificateHolder(all);
  if (holder) analysis.serviceOrganization = keep('serviceOrganization', holder);
  const body = certificationBody(all, analysis.serviceOrganization);
  if (body) analysis.serviceAuditor = keep('serviceAuditor', body);
  // The current certificate's issue date wins over the original certification date of the cycle.
  const current = /(?<!original\s(?:certificate\s)?)(?:issue date|date of issue|issued on|date issued)\s*:?\s*([^\n]{6,40})/i.exec(all.text);
  const currentIso = current ? findDates(current[1]!)[0]?.iso : undefined;
  if (current && currentIso) analysis.reportDate = keep('reportDate', { value: currentIso, evidence: { page: pageAt(all, current.index), quote: quoteAround(all, current.index, current[0].length) } });
  else for (const issued of all.text.matchAll(/(?:issue date|date of issue|issued on|issued|original (?:certification|issue) date|effective date|certification date|date of certification|initial certification(?: date)?|valid from|certified since)\s*:?\s*([^\n]{6,40})/gi)) {
    const issuedIso = findDates(issued[1]!)[0]?.iso;
    if (!issuedIso) continue;
    analysis.reportDate = keep('reportDate', { value: issuedIso, evidence: { page: pageAt(all, issued.index), quote: quoteAround(all, issued.index, issued[0].length) } });
    break;
  }
  if (/ISO\s*\/?\s*IEC\s*27001\s*:\s*2013/i.test(all.text)) analysis.warnings.push('ISO/IEC 27001:2013 certificates expired after the 2025 transition to the 2022 edition.');
  analysis.warnings.push('An ISO/IEC 27001 certificate is not a SOC report: no opinion, period or tests of controls.');
  return analysis;
}

function analyzeBridgeLetter(analysis: ReportAnalysis, all: TextView, keep: <T>(field: string, found: Found<T>) => T): ReportAnalysis {
  const firstDate = findDates(all.text.slice(0, 600))[0];
  if (firstDate) analysis.reportDate = keep('reportDate', { value: firstDate.iso, evidence: { page: pageAt(all, firstDate.index), quote: quoteAround(all, firstDate.index, firstDate.length) } });
  analysis.period = keep('period', findBridgePeriod(all, analysis.reportDate));
  const org =
    /(?:[Mm]anagement of|[Oo]n behalf of)\s+([A-Z][A-Za-z0-9&.,' -]{1,60}?)(?:\s*\(|,?\s+(?:is|are|has|have|hereby|confirms?|represents?)\b|\.\s|\n)/.exec(all.text) ??
    /([A-Z][A-Za-z0-9&.,' -]{1,60}?)(?:'s|(?<=s)') (?:most recent |last )?(?:SOC|Service Organization Control)/.exec(all.text) ??
    // A defined short name: 'Tamarack Software Inc. ("Tamarack")'.
    /([A-Z][A-Za-z0-9&' -]{1,60}?,?\s(?:Inc|LLC|L\.L\.C|Ltd|Corp|Corporation|Limited|GmbH|plc|Co)\.?)\s*\((?:the\s+)?"[A-Z][^"]{0,40}"\)/.exec(all.text) ??
    // Letterhead: the first line, when it is a company name.
    /^([A-Z][A-Za-z0-9&' -]{1,60}?,?\s(?:Inc|LLC|L\.L\.C|Ltd|Corp|Corporation|Limited|GmbH|plc)\.?)\s*$/m.exec(all.text.split('\n', 3).join('\n'));
  if (org) analysis.serviceOrganization = keep('serviceOrganization', { value: org[1]!.replace(/^the\s+/i, '').replace(TRAILING_PUNCT, '').trim(), evidence: { page: pageAt(all, org.index), quote: quoteAround(all, org.index, org[0].length) } });
  analysis.warnings.push("A bridge letter is management's representation, not an auditor's assurance.");
  return analysis;
}

/**
 * The text reader's exceptions, one per control: criteria that are not 2017 TSC ids move to `otherReferences`, the
 * stated rate is kept, and every page is listed.
 */
function withMergedAppearances(exceptions: ControlException[]): ControlException[] {
  const byKey = new Map<string, ControlException>();
  for (const e of exceptions) {
    const criteria = e.criteria.filter((c) => TSC_ID.test(c));
    const other = e.criteria.filter((c) => !TSC_ID.test(c));
    const key = e.controlId ? `id:${e.controlId}` : `d:${e.description.toLowerCase().slice(0, 80)}`;
    const existing = byKey.get(key);
    if (existing) {
      existing.criteria = [...new Set([...existing.criteria, ...criteria])];
      existing.otherReferences = [...new Set([...(existing.otherReferences ?? []), ...other])];
      existing.pages = [...new Set([...(existing.pages ?? []), e.page])].sort((a, b) => a - b);
      existing.managementResponse ??= e.managementResponse;
      continue;
    }
    byKey.set(key, { ...e, criteria: criteria.length > 0 ? criteria : criteriaIn(e.description), otherReferences: other, deviationRate: deviationRateIn(e.description), pages: [e.page] });
  }
  return [...byKey.values()];
}

const LEGAL_FORM = /(?:\b(?:Inc|LLC|L\.L\.C|Ltd|Limited|LLP|Corp|Corporation|GmbH|AG|S\.A|B\.V|N\.V|plc|Pvt|Pty|S\.r\.l|SAS|SARL|K\.K)\b\.?|\bCo\.)\s*$/i;
const CERTIFIER_WORDS = /\b(?:certification|certifications|certificering|zertifizierung|registrars?|assurance|quality|inspection|standards|verification|cert|compliance|bureau|audits?|auditing|testing)\b|\bT[ÜU]V\b|\bDNV\b|\bBSI\b|\bSGS\b|\bIntertek\b|\bLRQA\b|\bNQA\b/i;

const nameOnly = (raw: string): string => raw.replace(/\s+/g, ' ').replace(/^[\s:,-]+|[\s:,;]+$/g, '').replace(TRAILING_PUNCT, '').trim();

/**
 * The holder of an ISO certificate: the name after "certify that [the ISMS of | the organization]" (on the same line
 * when it starts with a capital, else the next line), or the name line above "has been assessed / certified /
 * registered", or a letterhead line with a legal form that is not a certification body.
 */
function certificateHolder(all: TextView): Found<string | null> | null {
  const lines = all.lines;
  const cue = /(?:certify|certifies|confirm|confirms|attest|attests) that\s*(?:the\s+)?(?:following\s+)?(?:(?:information security )?management system\s+(?:\(ISMS\)\s+)?of|ISMS of|organi[sz]ation|company|entity|enterprise)?\s*:?\s*(?<rest>.*)$|(?:certificate is (?:issued|granted) to|awarded to|granted to|issued to)\s*:?\s*(?<rest2>.*)$/i;
  for (let i = 0; i < lines.length; i++) {
    const m = cue.exec(lines[i]!.text);
    if (!m) continue;
    const rest = (m.groups?.rest ?? m.groups?.rest2 ?? '').trim();
    if (/^[A-Z0-9]/.test(rest) && rest.length >= 2 && !/^(?:Has|Is|Operates|The)\b/.test(rest)) {
      const name = nameOnly(rest.replace(/\s+(?:has|have|is|operates|for)\b.*$/, ''));
      if (name.length >= 2) return { value: name, evidence: { page: lines[i]!.page, quote: lines[i]!.text } };
    }
    // The name on a following line, past lines in another language or sentence continuations.
    for (let j = i + 1; j < Math.min(lines.length, i + 5); j++) {
      const text = lines[j]!.text;
      if (!/^[A-Z0-9]/.test(text) || /^(?:The|This|Has|Is|Operates|Hereby)\b/.test(text) || /[a-z]{3,} (?:that|of|the|and)$/.test(text)) continue;
      if (text.split(/\s+/).length > 10) continue;
      const name = nameOnly(text.replace(/\s*\([^)]*\)\s*$/, ''));
      if (name.length >= 2) return { value: name, evidence: { page: lines[j]!.page, quote: `${lines[i]!.text} ${text}` } };
    }
  }
  const assessed = lines.findIndex((l) => /^(?:has|have) been (?:independently )?(?:assessed|audited|certified|registered|found)/i.test(l.text));
  if (assessed > 0) {
    for (let j = 0; j < assessed; j++) {
      const text = lines[j]!.text;
      if (LEGAL_FORM.test(text) && !CERTIFIER_WORDS.test(text) && text.length <= 90) return { value: nameOnly(text), evidence: { page: lines[j]!.page, quote: `${text} … ${lines[assessed]!.text}` } };
    }
  }
  return null;
}

/**
 * The certification body: "assessed / audited / certified by X", "The certification body of X", "for and on behalf
 * of X", "Certification body: X", else a letterhead or footer line with a legal form and a certifier's words.
 */
function certificationBody(all: TextView, holder: string | null): Found<string | null> | null {
  const text = all.text;
  const patterns = [
    /(?:[Cc]ertification [Bb]ody|[Rr]egistrar)(?:\s+of\s+|\s*:\s*)(?<name>[A-Z][A-Za-z0-9&.,' -]{1,70}?)(?=\s+(?:hereby|certifies|confirms)\b|\s*\n|\s*$)/,
    /(?:(?:[Ii]ndependently )?(?:[Aa]ssessed|[Aa]udited|[Cc]ertified|[Rr]egistered|[Ii]ssued|[Aa]pproved) by)\s*:?\s+(?<name>[A-Z][A-Za-z0-9&.,' -]{0,70}?)(?=\s+(?:and|under|against|as|to|for|in)\b|\s*[.,;]?\s*\n|\s*$)/,
    /(?:[Ff]or and on behalf of|[Oo]n behalf of)\s*:?\s+(?<name>[A-Z][A-Za-z0-9&.,' -]{1,70}?)(?=\s*\n|\s*$)/,
  ];
  for (const re of patterns) {
    const m = re.exec(text);
    const name = m?.groups?.name ? nameOnly(m.groups.name) : '';
    if (m && name.length >= 2 && !/^(?:the|this|an?)\b/i.test(name) && !(holder && name.toLowerCase() === holder.toLowerCase())) {
      return { value: name, evidence: { page: pageAt(all, m.index), quote: quoteAround(all, m.index, m[0].length) } };
    }
  }
  for (const line of all.lines) {
    const t = line.text;
    if (t.length > 90 || !CERTIFIER_WORDS.test(t)) continue;
    const m = /^(?<name>[A-Z][A-Za-z0-9&.' -]{1,60}?,?\s(?:Inc|LLC|Ltd|Limited|LLP|GmbH|AG|B\.V|Pvt\.? Ltd|Private Limited|S\.A|Corp)\.?)(?=\s*(?:[,·|]|$))/i.exec(t);
    if (m?.groups?.name && !(holder && m.groups.name.toLowerCase().includes(holder.toLowerCase()))) return { value: nameOnly(m.groups.name), evidence: { page: line.page, quote: t } };
  }
  return null;
}

const CONFIDENCE_FIELDS = ['documentKind', 'reportType', 'serviceOrganization', 'serviceAuditor', 'systemName', 'reportDate', 'period', 'opinion', 'trustServicesCategories', 'subserviceOrganizations', 'exceptions'] as const;

/**
 * High unless something says otherwise: read by OCR, not found where the document kind should have it (a name only
 * in an image), a label that disagrees with the opinion, tests read in text order rather than by table columns.
 */
function withConfidence(analysis: ReportAnalysis): ReportAnalysis {
  const confidence = analysis.confidence ?? {};
  const ocr = new Set(analysis.extraction?.ocrPages ?? []);
  const isReport = ['soc1', 'soc2', 'soc3'].includes(analysis.documentKind);
  for (const field of CONFIDENCE_FIELDS) {
    if (confidence[field]) continue;
    const value = (analysis as unknown as Record<string, unknown>)[field];
    const evidence = analysis.evidence[field];
    if (field === 'exceptions' && value === null) continue;
    if (value === null || (Array.isArray(value) && value.length === 0 && field !== 'exceptions')) {
      if (field === 'serviceAuditor' && isReport) {
        confidence[field] = { level: 'low', reason: 'no signing firm in the text: the name may be only in an image (logo or signature)' };
        analysis.warnings.push("The auditor is not named in the report's text (only in a logo or signature image?): check it by eye.");
      } else if ((field === 'serviceOrganization' || field === 'period' || field === 'opinion') && isReport) {
        confidence[field] = { level: 'low', reason: 'not found in the text' };
      }
      continue;
    }
    if (evidence && ocr.has(evidence.page)) confidence[field] = { level: 'low', reason: `read by OCR (page ${evidence.page})` };
    else if (field === 'reportType' && analysis.warnings.some((w) => /^The cover says/.test(w))) confidence[field] = { level: 'low', reason: 'the cover and the opinion disagree' };
    else if (field === 'exceptions' && analysis.extraction?.method !== 'layout') confidence[field] = { level: 'low', reason: 'tests read in text order: no table columns were found' };
    else confidence[field] = { level: 'high', reason: null };
  }
  analysis.confidence = confidence;
  return analysis;
}
