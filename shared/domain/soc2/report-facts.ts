/**
 * Facts read from the auditor's report and the cover: kind, type, parties, dates, opinion, categories.
 */
import { DATE_SOURCE, findDateRanges, findDates, findShortDateRanges, parseDate, periodStartFromLength } from './dates.ts';
import { pageAt, quoteAround, type TextView } from './document.ts';
import { stripLegalSuffix } from './names/canonical-names.ts';
import type { DocumentKind, Evidence, Opinion, Period, ReportType, TrustServicesCategory } from './types.ts';

export interface Found<T> {
  value: T;
  evidence: Evidence | null;
}

const none = <T>(value: T): Found<T> => ({ value, evidence: null });

function at<T>(view: TextView, value: T, index: number, length: number): Found<T> {
  return { value, evidence: { page: pageAt(view, index), quote: quoteAround(view, index, length) } };
}

const count = (text: string, re: RegExp): number => {
  let n = 0;
  for (const _ of text.matchAll(re)) n++;
  return n;
};

/** Sentences of a text with their offsets; a sentence ends at ".", "!" or "?" before a capital or the end. */
export function sentences(text: string): Array<{ text: string; index: number }> {
  const out: Array<{ text: string; index: number }> = [];
  let from = 0;
  for (const m of text.matchAll(/[.!?](?=\s+["'(]?[A-Z0-9]|\s*$)/g)) {
    const end = m.index + 1;
    // "Inc." and "Co." inside a name do not end a sentence.
    if (/\b(?:Inc|Co|Corp|Ltd|No|St|Mr|Ms|Dr|e\.g|i\.e|U\.S|L\.L\.C|P\.C)\.$/.test(text.slice(Math.max(from, end - 6), end))) continue;
    if (end > from) out.push({ text: text.slice(from, end), index: from });
    from = end;
  }
  if (from < text.length) out.push({ text: text.slice(from), index: from });
  return out;
}

// ---------------------------------------------------------------- document kind

export interface KindInput {
  all: TextView;
  front: TextView;
  auditor: TextView;
  hasTestsPart: boolean;
  pages: number;
  textLayer: boolean;
}

export function classifyKind(input: KindInput): Found<DocumentKind> & { warnings: string[] } {
  const warnings: string[] = [];
  const { all, front, auditor } = input;
  if (!input.textLayer) return { ...none<DocumentKind>('unknown'), warnings };
  const text = all.flat;
  const examined = /we have examined|in our opinion|service auditor'?s'? report|independent (?:service )?auditor/i.test(text);

  const iso = /ISO\s*\/?\s*IEC\s*27001|\bISO\s*27001/i.exec(text);
  if (iso && /certificate|certif(?:y|ies|ied) that|certification body|registration/i.test(text) && (!examined || input.pages <= 4)) {
    return { ...at<DocumentKind>(all, 'iso27001', iso.index, iso[0].length), warnings };
  }

  const bridge = /\b(?:bridge|gap) (?:letter|period)\b/i.exec(text);
  const notAware = /not aware of any (?:material )?changes|no (?:material|significant) changes/i.exec(text);
  const hasOpinion = /in our opinion/i.test(text);
  if (!hasOpinion && input.pages <= 6 && (bridge || (notAware && /\bSOC\s?[123]\b|service organization control/i.test(text)))) {
    const hit = bridge ?? notAware!;
    return { ...at<DocumentKind>(all, 'bridge-letter', hit.index, hit[0].length), warnings };
  }

  const soc2Score =
    2 * count(text, /trust services (?:criteria|principles)/gi) +
    2 * count(text, /\bSOC\s?2\b/gi) +
    2 * count(text, /AT-C (?:section )?205|TSP (?:section )?100/gi) +
    Math.min(10, Math.floor(count(text, /\b(?:CC\d\.\d|A1\.\d|PI1\.\d|C1\.\d)\b/g) / 3));
  const soc1Score =
    count(text, /control objectives?/gi) +
    3 * count(text, /financial reporting/gi) +
    2 * count(text, /\bSOC\s?1\b/gi) +
    3 * count(text, /AT-C (?:section )?320|ISAE 3402|SSAE 16|SAS 70/gi);

  const frontSoc = /\bSOC\s?([123])\b/i.exec(front.flat) ?? /\bSOC\s?([123])\b/i.exec(text.slice(0, 4000));
  const international = /ISAE 3000|CSAE 3416|ISAE 3402/i.exec(text);
  if (international) warnings.push(`Report under an international standard (${international[0]}); classified by its criteria.`);

  // "Control objectives" alone also appears in SOC 2 reports; SOC 1 needs one of its own markers.
  const soc1Marker = /financial reporting|\bSOC\s?1\b|AT-C (?:section )?320|ISAE 3402|SSAE 16|SAS 70/i.test(text);
  if (soc1Marker && soc1Score > soc2Score && soc1Score >= 3) {
    const hit = /internal control over financial reporting|control objectives|\bSOC\s?1\b/i.exec(text);
    return { ...(hit ? at<DocumentKind>(all, 'soc1', hit.index, hit[0].length) : none<DocumentKind>('soc1')), warnings };
  }
  if (soc2Score === 0 && !frontSoc) return { ...none<DocumentKind>('unknown'), warnings };

  const auditorText = auditor.flat.length > 0 ? auditor.flat : text;
  const describesSystem = /description criteria|DC section 200|controls stated in the description|control objectives/i.test(auditorText);
  const generalUse = /fairly stated|maintained effective controls|controls (?:within [^.]{0,80})?were effective|general[- ]use/i.exec(auditorText);
  if (frontSoc?.[1] === '3') return { ...at<DocumentKind>(front.flat.length > 0 && frontSoc.input === front.flat ? front : all, 'soc3', frontSoc.index, frontSoc[0].length), warnings };
  if (!frontSoc || frontSoc[1] !== '2') {
    if (generalUse && !describesSystem && !input.hasTestsPart) {
      return { ...at<DocumentKind>(auditor.flat.length > 0 ? auditor : all, 'soc3', generalUse.index, generalUse[0].length), warnings };
    }
  }
  if (frontSoc?.[1] === '1' && soc2Score < 4) return { ...none<DocumentKind>('soc1'), warnings };
  if (!examined) return { ...none<DocumentKind>('unknown'), warnings };
  const hit = frontSoc?.[1] === '2' ? frontSoc : /trust services (?:criteria|principles)/i.exec(text);
  const view = hit && hit.input === front.flat ? front : all;
  return { ...(hit ? at<DocumentKind>(view, 'soc2', hit.index, hit[0].length) : none<DocumentKind>('soc2')), warnings };
}

// ---------------------------------------------------------------- report type

const NEGATED_OE = /did not perform|not (?:to )?(?:test|express)|no opinion|not include|does not|was not|were not performed|\bif\b|complementary/i;
const STRONG_TYPE2 = /suitability of (?:the )?design and operating effectiveness|design and operating effectiveness of|(?:operated|operating|were operating) effectively (?:throughout|during|for) the (?:specified |examination |review )?period|nature, timing,? and results of (?:those|the|our) tests|tests of operating effectiveness/i;
const STRONG_TYPE1 = /suitability of (?:the )?design of|did not perform any procedures regarding the operating effectiveness|suitably designed as of/i;

export function findReportType(auditor: TextView, front: TextView): Found<ReportType | null> & { warnings: string[] } {
  const warnings: string[] = [];
  const label = /\btype[\s-]*(ii|2|i|1)\b/i.exec(front.flat) ?? /\btype[\s-]*(ii|2|i|1)\b/i.exec(auditor.flat);
  const labelType: ReportType | null = label ? (/^(?:ii|2)$/i.test(label[1]!) ? 'type2' : 'type1') : null;
  let decided: Found<ReportType | null> | null = null;
  for (const s of sentences(auditor.flat)) {
    if (NEGATED_OE.test(s.text)) continue;
    const oe = STRONG_TYPE2.exec(s.text);
    if (oe) {
      decided = at<ReportType | null>(auditor, 'type2', s.index + oe.index, oe[0].length);
      break;
    }
  }
  if (!decided) {
    const strong = STRONG_TYPE1.exec(auditor.flat);
    // "Suitably designed" alone is in every opinion: only decisive when the cover says nothing.
    const weak = strong ?? (labelType ? null : /suitab\w* of (?:the )?design|suitably designed/i.exec(auditor.flat));
    if (weak) decided = at<ReportType | null>(auditor, 'type1', weak.index, weak[0].length);
  }
  if (decided && labelType && decided.value !== labelType) {
    warnings.push(`The cover says ${label![0]} but the auditor's report reads as ${decided.value === 'type2' ? 'Type II' : 'Type I'}.`);
  }
  if (decided) return { ...decided, warnings };
  if (label) {
    const view = label.input === front.flat ? front : auditor;
    return { ...at<ReportType | null>(view, labelType, label.index, label[0].length), warnings };
  }
  return { ...none<ReportType | null>(null), warnings };
}

// ---------------------------------------------------------------- opinion

const BOILERPLATE_NO_OPINION = /complementary|user entit|subservice|management'?s? response|did not perform|not subjected|other information|information (?:included|presented|provided|in section|in part)|on it\b|responses|thereon|additional|section [ivx\d]|accompanying information|projection/i;

export function findOpinion(auditor: TextView): Found<Opinion | null> {
  const text = auditor.flat;
  const all = sentences(text);
  const disclaimer = /disclaimer of opinion|unable to obtain sufficient appropriate|not (?:been )?able to obtain sufficient appropriate|(?:unable|not able) to (?:form|express) an opinion|(?:do|does) not express one\b/i.exec(text);
  if (disclaimer) return at<Opinion | null>(auditor, 'disclaimer', disclaimer.index, disclaimer[0].length);
  // "We do not express an opinion" is boilerplate about other information unless the report also says why it cannot.
  const cannotConclude = /sufficient appropriate evidence|scope of (?:our|the) examination was limited|limitation on the scope|unable to|were not able to|could not obtain/i.test(text);
  for (const s of all) {
    const m = /(?:do|does) not express an opinion|express no opinion|not express(?:ing)? an opinion/i.exec(s.text);
    if (m && cannotConclude && !BOILERPLATE_NO_OPINION.test(s.text)) return at<Opinion | null>(auditor, 'disclaimer', s.index + m.index, m[0].length);
  }
  const adverseHeading = /adverse opinion/i.exec(text);
  if (adverseHeading) return at<Opinion | null>(auditor, 'adverse', adverseHeading.index, adverseHeading[0].length);
  // The opinion paragraph itself: from "In our opinion" to the next part of the report.
  const opinionStart = text.search(/in our opinion/i);
  if (opinionStart >= 0) {
    const rest = text.slice(opinionStart, opinionStart + 2500);
    const stop = rest.slice(20).search(/\b(?:Restricted Use|Restriction on Use|Basis for|Other Matter|Emphasis of|Description of Tests|Intended Use|Use of (?:this|the) Report)\b/);
    const paragraph = stop >= 0 ? rest.slice(0, stop + 20) : rest;
    const except = /except for\b/i.exec(paragraph);
    if (except) return at<Opinion | null>(auditor, 'qualified', opinionStart + except.index, except[0].length);
    const m = /because of the significance|did not operate effectively|(?:were|was) not operating effectively|(?:were|was) not suitably designed|does not (?:present|fairly present)|is not fairly (?:stated|presented)|(?:were|was) not effective|not fairly presented/i.exec(paragraph);
    if (m) return at<Opinion | null>(auditor, 'adverse', opinionStart + m.index, m[0].length);
  }
  const qualified = /(?<!un)qualified opinion|basis for qualification|qualified conclusion/i.exec(text);
  if (qualified) return at<Opinion | null>(auditor, 'qualified', qualified.index, qualified[0].length);
  const unqualified = /in our opinion|unqualified opinion|unmodified opinion/i.exec(text) ?? /^opinion$/im.exec(auditor.text);
  if (unqualified) return at<Opinion | null>(auditor, 'unqualified', unqualified.index, unqualified[0].length);
  return none(null);
}

// ---------------------------------------------------------------- organization

const ORG_NAME = "[A-Z0-9][A-Za-z0-9&.,'\\- ]{0,80}?";

function cleanOrgName(raw: string): string | null {
  let name = raw.replace(/\s+/g, ' ').trim();
  name = name.replace(/^(?:the|management of|of)\s+/i, '');
  name = name.replace(/\s*\([^)]*\)?\s*$/, '').replace(/["']+$/, '').replace(/'s$/i, '').replace(/[,:;]+$/, '').trim();
  if (name.length < 2 || name.length > 90) return null;
  if (/^(?:management|the company|service organization|our|we|its|this|company|user entities|directors|board(?: of directors)?|shareholders|stakeholders|members|audit committee)$/i.test(name)) return null;
  if (/\b(?:we|our|have|has|examined|description)\b/i.test(name)) return null;
  return name;
}

/** A comma that ends a name, not the one before "Inc." or "LLC". */
const NAME_COMMA = ',(?!\\s*(?:Inc|LLC|L\\.L\\.C|Ltd|Corp|Co|P\\.C|PLLC|LLP)\\b)';

const ORG_PATTERNS: RegExp[] = [
  new RegExp(`We have examined (?:the )?(?:accompanying |attached )?(?:description of (?:the )?)?(${ORG_NAME})(?:'s|(?<=s)')\\s*(?:\\([^)]{0,80}\\)\\s*)?(?:accompanying|attached|description|system|assertion|management|controls|[A-Z])`, 'i'),
  new RegExp(`To (?:the )?(?:Management|Board of Directors|Board|Directors|Audit Committee|Shareholders|Stakeholders|Members)(?: and [A-Za-z ]{1,40})? of (${ORG_NAME})(?:\\s*\\([^)\\n]{1,40}\\))?\\s*(?::|\\n|$)`, 'm'),
  // "To the Board of Directors" with the organization on the next line.
  new RegExp(`^To (?:the )?(?:Management|Board of Directors|Board|Directors|Audit Committee|Shareholders|Stakeholders|Members)(?: and [A-Za-z ]{1,40})?[,:]?\\s*\\n(${ORG_NAME})[,:]?\\s*$`, 'm'),
  new RegExp(`(?:description|assertion) of (?:the )?(?:[A-Za-z -]{1,40} )?system (?:of|provided by) (${ORG_NAME})(?: \\(|${NAME_COMMA}| relevant| for| throughout| as of)`),
  new RegExp(`assertion (?:that|by|of) (${ORG_NAME})(?: \\(| maintained| management|${NAME_COMMA})`),
  new RegExp(`^To:?\\s+(?:the\\s+)?(${ORG_NAME}):\\s*$`, 'm'),
  // "To : Walkover Web Solutions Private Limited." — the addressee after a colon, on its own line.
  new RegExp(`^To\\s*:?\\s+(?:the\\s+)?(?:(?:Management|Board of Directors|Directors)\\s+of\\s+)?(${ORG_NAME})[.,:]?\\s*$`, 'm'),
  new RegExp(`(${ORG_NAME}) \\((?:the )?"?(?:service organization|Company|Organization)"?`),
];

export function findServiceOrganization(views: TextView[]): Found<string | null> {
  let first: Found<string | null> | null = null;
  for (const pattern of ORG_PATTERNS) {
    for (const view of views) {
      const m = pattern.exec(pattern.flags.includes('m') ? view.text : view.flat);
      if (!m) continue;
      const name = cleanOrgName(m[1]!);
      if (!name) continue;
      // "We have examined Wren's assertion" uses the short name; the addressee line may give the full one.
      if (!first) first = at(view, name, m.index, m[0].length);
      else if (name.toLowerCase().startsWith(`${first.value!.toLowerCase()} `)) return at(view, name, m.index, m[0].length);
      break;
    }
  }
  return first ?? none(null);
}

// ---------------------------------------------------------------- auditor firm and report date

const FIRM = /(?:\b(?:LLP|L\.L\.P\.|LLC|L\.L\.C\.|P\.C\.|PC|PLLC|P\.A\.|CPAs?|Certified Public Accountants|Chartered (?:Professional )?Accountants|Ltd\.?|Limited|GmbH|Assurance|Audit(?:ors|ing)?|Advisory|Partners|Accountants)|\s&\s*Co(?:mpany)?\.?)(?=\W|$)/;
const CITY = /^[A-Z][A-Za-z .'-]{1,40},\s*(?:[A-Z]{2}|[A-Z][a-z]+(?: [A-Z][a-z]+)*)(?:,?\s*(?:USA|United States|Canada|UK|United Kingdom))?$/;

function cleanFirm(raw: string): string {
  return raw.replace(/^(?:\/s\/|(?:electronically |digitally )?signed(?: by)?:?|signature:?|e-?signed(?: by)?:?|by:?)\s*/i, '').replace(/[,;]\s*$/, '').trim();
}

function isDateLine(text: string): string | null {
  const stripped = text.replace(/^(?:date(?:d)?|report date|issued)\s*:?\s*/i, '');
  const dates = findDates(stripped);
  const first = dates[0];
  if (!first || dates.length > 1) return null;
  const rest = (stripped.slice(0, first.index) + stripped.slice(first.index + first.length)).replace(/[,.\s]/g, '');
  // A date alone, or "City, State, date" / "City, State date".
  if (rest.length === 0) return first.iso;
  const before = stripped.slice(0, first.index).replace(/[,\s]+$/, '');
  const after = stripped.slice(first.index + first.length).replace(/^[,\s]+/, '');
  if (before.length === 0) return CITY.test(after) ? first.iso : null;
  return after.length === 0 && (CITY.test(before) || /^[A-Z][A-Za-z .'-]{1,40}$/.test(before)) ? first.iso : null;
}

/** A person's name followed by a CPA or chartered accountant designation. */
const INDIVIDUAL_CPA = /^(?:\/s\/\s*)?(?<person>[A-Z][A-Za-z.'-]+(?:\s+[A-Z][A-Za-z.'-]*){1,3}),?\s+(?:CPA\b|C\.P\.A\.|Certified Public Accountant\b|Chartered (?:Professional )?Accountant\b|FCA\b|ACA\b)/;

export interface Signature {
  firm: Found<string | null>;
  date: Found<string | null>;
}

/** The signing firm and the report date: the last date line of the auditor's report and the firm just above it. */
export function findSignature(auditor: TextView): Signature {
  const lines = auditor.lines;
  let firm: Found<string | null> = none(null);
  let date: Found<string | null> = none(null);
  let dateLine = -1;
  const from = Math.max(0, lines.length - 60);
  for (let i = lines.length - 1; i >= from; i--) {
    const iso = isDateLine(lines[i]!.text);
    if (iso) {
      date = { value: iso, evidence: { page: lines[i]!.page, quote: lines[i]!.text } };
      dateLine = i;
      break;
    }
  }
  const firmLine = (i: number): string | null => {
    const text = lines[i]?.text;
    if (!text || text.length > 90 || /\b(?:we|our|us|is|are|was|were)\b/i.test(text) || /:$/.test(text) || (text.match(/\b[a-z]{4,}\b/g) ?? []).filter((w) => !/^(?:and|of|the|for|with)$/.test(w)).length > 1 || /[.;]$/.test(text.replace(/\b(?:Inc|Ltd|Co|LLP|LLC|P\.C|P\.A|L\.L\.P|L\.L\.C)\.$/, ''))) return null;
    if (/^\/s\//i.test(text)) return cleanFirm(text);
    // An individual CPA signs: "Neha Mishra, Certified Public Accountant", "Jane Q. Auditor, CPA".
    const person = INDIVIDUAL_CPA.exec(text);
    if (person?.groups?.person) return person.groups.person;
    if (/^(?:certified public accountants|chartered (?:professional )?accountants|cpas?|independent (?:service )?auditors?|(?:registered )?(?:public )?accountants?|auditors?|assurance services?)$/i.test(text.replace(/[,.]$/, ''))) return null;
    if (FIRM.test(text) && !CITY.test(text)) {
      const firm = cleanFirm(text.replace(new RegExp(`[, ]*${DATE_SOURCE}.*$`), ''));
      // "Harbor & Finch LLP, Denver, Colorado": the city after the firm is not part of its name.
      const withCity = /^(?<firm>.+?\b(?:LLP|L\.L\.P\.|LLC|L\.L\.C\.|P\.C\.|PC|PLLC|P\.A\.|CPAs?|Ltd\.?|Limited|GmbH|& Co\.?)),\s*(?<city>.+)$/.exec(firm);
      return withCity?.groups?.firm && CITY.test(withCity.groups.city!) ? withCity.groups.firm : firm;
    }
    return null;
  };
  const candidates: number[] = [];
  if (dateLine >= 0) {
    for (let i = dateLine; i >= Math.max(0, dateLine - 7); i--) candidates.push(i);
    for (let i = dateLine + 1; i <= Math.min(lines.length - 1, dateLine + 3); i++) candidates.push(i);
  }
  for (let i = lines.length - 1; i >= from; i--) candidates.push(i);
  for (const i of candidates) {
    const name = firmLine(i);
    if (name && name.length >= 2) {
      firm = { value: name, evidence: { page: lines[i]!.page, quote: lines[i]!.text } };
      break;
    }
  }
  if (firm.value === null && dateLine >= 2) {
    // "Firm name / City, State / date" with a firm name that carries no legal suffix.
    const city = lines[dateLine - 1]!;
    const above = lines[dateLine - 2]!;
    if (CITY.test(city.text) && looksLikeName(above.text)) {
      firm = { value: cleanFirm(above.text), evidence: { page: above.page, quote: above.text } };
    }
  }
  return { firm, date };
}

function looksLikeName(text: string): boolean {
  return text.length <= 60 && /^[A-Z/]/.test(text) && !/[.;:]$/.test(text) && text.split(/\s+/).length <= 7;
}

// ---------------------------------------------------------------- period

const PERIOD_LENGTH: Record<string, number> = { twelve: 12, '12': 12, six: 6, '6': 6, nine: 9, '9': 9, three: 3, '3': 3, year: 12 };

export function findPeriod(views: TextView[], reportType: ReportType | null): Found<Period | null> & { warnings: string[] } {
  const warnings: string[] = [];
  if (reportType !== 'type1') {
    for (const view of views) {
      const full = findDateRanges(view.flat);
      const ranges = full.length > 0 ? full : findShortDateRanges(view.flat);
      const preferred = ranges.find((r) => /period|throughout|from|during|covering|between/i.test(view.flat.slice(Math.max(0, r.index - 60), r.index))) ?? ranges[0];
      if (preferred) return { ...at<Period | null>(view, { start: preferred.start, end: preferred.end }, preferred.index, preferred.length), warnings };
    }
    for (const view of views) {
      const m = new RegExp(`(?:(twelve|12|six|6|nine|9|three|3)[- ]months?[- ](?:period[- ])?|(period|year)[- ])end(?:ed|ing)\\s+(${DATE_SOURCE})`, 'i').exec(view.flat);
      if (!m) continue;
      const end = parseDate(m[3]!);
      if (!end) continue;
      const months = m[1] ? PERIOD_LENGTH[m[1].toLowerCase()] : m[2]?.toLowerCase() === 'year' ? 12 : undefined;
      const start = months ? periodStartFromLength(end, months) : null;
      if (!start) warnings.push('The period states only its end date.');
      return { ...at<Period | null>(view, { start, end }, m.index, m[0].length), warnings };
    }
  }
  if (reportType !== 'type2') {
    for (const view of views) {
      const m = new RegExp(`\\bas (?:of|at) (${DATE_SOURCE})`, 'i').exec(view.flat);
      const end = m ? parseDate(m[1]!) : null;
      if (m && end) return { ...at<Period | null>(view, { start: null, end }, m.index, m[0].length), warnings };
    }
  }
  return { ...none<Period | null>(null), warnings };
}

/** A bridge letter covers the gap after the last report: the latest range it states. */
export function findBridgePeriod(view: TextView, letterDate: string | null): Found<Period | null> {
  const ranges = findDateRanges(view.flat);
  const openEnded = new RegExp(`(?:from|since|beginning|commencing|period)\\s+(${DATE_SOURCE})\\s*(?:to|through|until|and ending (?:on)?)\\s+(?:the date of this letter|the present|today|present|the date hereof|date)`, 'i').exec(view.flat);
  let best: Found<Period | null> = none(null);
  let bestStart = '';
  for (const r of ranges) {
    if (r.start > bestStart) {
      bestStart = r.start;
      best = at<Period | null>(view, { start: r.start, end: r.end }, r.index, r.length);
    }
  }
  if (openEnded && letterDate) {
    const start = parseDate(openEnded[1]!);
    if (start && start > bestStart) best = at<Period | null>(view, { start, end: letterDate }, openEnded.index, openEnded[0].length);
  }
  return best;
}

// ---------------------------------------------------------------- trust services categories

const FRAMEWORK_TITLE = /(?:trust services (?:principles and )?criteria|TSP section 100A?|principles and criteria)[^.]{0,40}?\bfor\s+security,\s*availability,\s*processing integrity,\s*confidentiality,?\s*and\s*privacy/gi;
const CATEGORY_WORDS: Array<[TrustServicesCategory, RegExp]> = [
  ['security', /\bsecurity\b/i],
  ['availability', /\bavailability\b/i],
  ['processing-integrity', /\bprocessing integrity\b/i],
  ['confidentiality', /\bconfidentiality\b/i],
  ['privacy', /\bprivacy\b/i],
];
const SCOPE_CUE = /relevant to|applicable trust services|trust services categor|\bcategor(?:y|ies)\b|in scope|principles? of|criteria for|criteria (?:related|relevant|applicable) to|covering (?:the )?/gi;

/**
 * "… criteria for Security, Confidentiality and Availability (applicable trust services criteria)": the words just
 * before the opinion's own definition of the applicable criteria are the scope, whatever other sentences list.
 */
const APPLICABLE_DEFINITION = /\(\s*(?:the\s+)?["']?applicable trust services criteria["']?\s*\)/gi;

function applicableCategories(view: TextView): Found<TrustServicesCategory[]> | null {
  for (const m of view.flat.matchAll(APPLICABLE_DEFINITION)) {
    const before = view.flat.slice(Math.max(0, m.index - 160), m.index);
    // From the last scope cue before the definition ("relevant to", "for") to the definition itself.
    const cue = [...before.matchAll(/relevant to|criteria for|applicable to|related to|\bfor\b/gi)].pop();
    const list = cue ? before.slice(cue.index) : before;
    const found = CATEGORY_WORDS.filter(([, re]) => re.test(list)).map(([c]) => c);
    if (found.length === 0) continue;
    const cats = ['security', ...found.filter((c) => c !== 'security')] as TrustServicesCategory[];
    return at(view, cats, m.index - list.length, list.length + m[0].length);
  }
  return null;
}

export function findCategories(views: TextView[]): Found<TrustServicesCategory[]> {
  for (const view of views) {
    const applicable = applicableCategories(view);
    if (applicable) return applicable;
  }
  for (const view of views) {
    // The framework's own title names all five categories; it is not a scope statement.
    const text = view.flat.replace(FRAMEWORK_TITLE, (m) => ' '.repeat(m.length));
    for (const s of sentences(text)) {
      for (const cue of s.text.matchAll(SCOPE_CUE)) {
        // The categories follow the cue closely ("relevant to security, availability, and confidentiality"), or
        // precede it ("the Security and Availability trust services categories").
        const before = /categor/i.test(cue[0]) ? s.text.slice(Math.max(0, cue.index - 90), cue.index).split(/[;:]/).pop()! : '';
        // A short aside ("Security (common criteria) and Availability") does not end the list.
        const tail = before + ' ' + s.text.slice(cue.index, cue.index + 160).replace(/\((?!applicable)[^()]{0,40}\)/gi, '').split(/\(|\bset forth\b|\bas (?:described|defined)\b/)[0]!;
        const found = CATEGORY_WORDS.filter(([, re]) => re.test(tail)).map(([c]) => c);
        if (found.length === 0) continue;
        const cats = ['security', ...found.filter((c) => c !== 'security')] as TrustServicesCategory[];
        return at(view, cats, s.index + cue.index, Math.min(tail.length, 200));
      }
    }
  }
  return none([]);
}

/** Categories implied by the criteria ids that appear in the tests section. */
export function categoriesFromCriteria(text: string): TrustServicesCategory[] {
  const out: TrustServicesCategory[] = ['security'];
  if (/\bA1\.\d/.test(text)) out.push('availability');
  if (/\bPI1\.\d/.test(text)) out.push('processing-integrity');
  if (/\bC1\.\d/.test(text)) out.push('confidentiality');
  if (/\bP[1-8]\.\d/.test(text)) out.push('privacy');
  return out;
}

export function isPre2017(text: string): RegExpExecArray | null {
  return /trust services principles(?:,)? and criteria|TSP section 100A|\(2016\) trust services|2014 trust services|2016 (?:edition|trust)/i.exec(text);
}

// ---------------------------------------------------------------- system name

/**
 * The system the report covers: "description of its Tembo cloud system", "Description of Walkover Web Solutions
 * Private Limited, MSG91 Software Application", "<Org>'s Team Collaboration Platform System".
 */
export function findSystemName(views: TextView[], organization: string | null): Found<string | null> {
  // The organization as the report may shorten it: without its legal form ("Slack Technologies' … System").
  const org = organization ? `(?:${[organization, stripLegalSuffix(organization)].map((o) => o.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})` : null;
  const NOUN = '(?:[Ss]ystems?|[Pp]latforms?|[Aa]pplications?|[Ss]ervices?|[Ss]oftware|[Ss]olutions?)';
  const patterns: RegExp[] = [
    new RegExp(`[Dd]escription of (?:its|the|our) (?<name>(?:[A-Za-z0-9][\\w&.+-]*\\s+){0,5}?${NOUN}(?:\\s+${NOUN})*)\\b`),
    ...(org ? [new RegExp(`[Dd]escription of ${org},?\\s+(?:(?:its|the)\\s+)?(?<name>[A-Z0-9][\\w&.+-]*(?:\\s+[\\w&.+-]+){0,5}?\\s+${NOUN}(?:\\s+${NOUN})*)\\b`)] : []),
    ...(org ? [new RegExp(`${org}(?:'s|(?<=s)')\\s+(?<name>[A-Z0-9][\\w&.+-]*(?:\\s+[A-Z][\\w&.+-]*){0,5}?\\s+${NOUN}(?:\\s+${NOUN})*)\\b`)] : []),
  ];
  for (const re of patterns) {
    for (const view of views) {
      const m = re.exec(view.flat);
      const name = m?.groups?.name?.replace(/\s+/g, ' ').trim();
      if (m && name && !/\b(?:of|the|and|to|for|which|that)\b/.test(name) && !/^(?:system|services?|platform)$/i.test(name)) return at(view, name, m.index, m[0].length);
    }
  }
  return none(null);
}
