/**
 * Lists that the description carries: complementary user entity controls (CUECs) and subservice organizations.
 */
import type { Line, TextView } from './document.ts';
import { canonicalOrganizationName, organizationKey, sameOrganization } from './names/canonical-names.ts';
import { subRegions } from './sections.ts';
import type { Evidence, SubserviceOrganization } from './types.ts';

// ---------------------------------------------------------------- CUECs

const ITEM_MARKER = /^(?:•\s*|[-–—*]\s+(?=[A-Z])|\(?\d{1,2}[.)]\s+|\d{1,2}\s+(?=[A-Z][a-z])|\(?[a-z][.)]\s+|(?:CUEC|UEC|UC|CUC)[- ]?\d{1,3}[.:)]?\s+|[A-Z]{1,5}-\d{1,3}\s+)/;
const INTRO = /assumption|the following|listed below|below (?:are|is)|not (?:intended to be )?a comprehensive|this section|should consider|in order to|are expected to|in addition to|intended to|were designed|controls? at user entities|are necessary/i;
const CUEC_COLUMN = /^(?:#|no\.?|ref|cuec(?: #| no\.?| id)?|complementary user entity controls?|user entity controls?|related criteria|criteria|description|control|applicable (?:trust services )?criteria|tsc|\s)+$/i;
const TRAILING_CRITERIA = /(?:[\s,;]*(?:and\s+)?(?:CC|PI|A|C|P)\d{1,2}\.\d{1,2}(?:\s*[-–]\s*(?:CC|PI|A|C|P)?\d{1,2}\.\d{1,2})?)+\s*$/;

export interface ListResult {
  items: string[];
  evidence: Evidence | null;
}

/** Groups region lines into list items: a marker, or a capital after a line that closed a sentence, starts one. */
function groupItems(lines: Line[]): Array<{ text: string; page: number; marked: boolean }> {
  const items: Array<{ text: string; page: number; marked: boolean }> = [];
  // Lists whose items carry no full stops: a capital after a line that does not end on a joining word opens an item.
  const unpunctuated = !lines.some((l) => /[.;]\s*(?:\(?(?:CC|PI|A|C|P)\d{1,2}\.\d{1,2}[^)]*\)?[,\s]*)*$/.test(l.text.trim()));
  let previousClosed = true;
  for (const line of lines) {
    const text = line.text.trim();
    if (CUEC_COLUMN.test(text.replace(/[|]/g, ' '))) continue;
    if (/^(?:(?:CC|PI|A|C|P)\d{1,2}\.\d{1,2}[,\s]*(?:and\s*)?)+$/.test(text)) {
      previousClosed = true;
      continue;
    }
    const marked = ITEM_MARKER.test(text);
    const current = items[items.length - 1];
    // Lists without full stops still repeat their opening words: "User entities are …" / "User entities are …".
    const sameOpening = current !== undefined && /^[A-Z]/.test(text) && openingOf(text) !== null && openingOf(text) === openingOf(current.text);
    if (marked || !current || sameOpening || (previousClosed && /^[A-Z"]/.test(text))) {
      items.push({ text: text.replace(ITEM_MARKER, ''), page: line.page, marked });
    } else {
      current.text += ` ${text}`;
    }
    previousClosed =
      /[.;:]\s*(?:(?:CC|PI|A|C|P)\d{1,2}\.\d{1,2}[,\s]*)*$/.test(text) ||
      TRAILING_CRITERIA.test(text) ||
      (unpunctuated && !/\b(?:the|a|an|of|to|for|and|or|with|by|in|on|that|their|its|from|as|at|be|are|is|any|all|each|such)$/i.test(text));
  }
  return items;
}

const LEADING_CRITERIA = /^(?:(?:CC|PI|A|C|P)\d{1,2}\.\d{1,2}[,;\s]*(?:and\s+)?)+(?=[A-Z])/;

function openingOf(text: string): string | null {
  const words = text.split(/\s+/, 3);
  return words.length === 3 ? words.join(' ').toLowerCase() : null;
}

function cleanItem(text: string): string {
  return text.replace(LEADING_CRITERIA, '').replace(/\s*\((?:CC|PI|A|C|P)\d{1,2}\.\d{1,2}[^)]{0,60}\)\s*$/, '').replace(TRAILING_CRITERIA, '').replace(/\s+/g, ' ').replace(/^[\s\-–—:]+/, '').replace(/[;,]\s*(?:and)?\s*$/, '.').trim();
}

/** CUECs from every "Complementary User Entity Controls" (or equivalent) region, intros and column labels dropped. */
export function findCuecs(lines: Line[]): ListResult {
  const out: string[] = [];
  const seen = new Set<string>();
  let evidence: Evidence | null = null;
  for (const region of subRegions(lines, ['cuec'])) {
    const body = lines.slice(region.start + 1, region.end);
    const grouped = groupItems(body).flatMap((item) =>
      // Prose lists ("User entities are responsible for ... . User entities ...") hold one control per sentence.
      item.marked ? [item] : item.text.split(/(?<=[a-z0-9)]\.)\s+(?=[A-Z])/).map((text) => ({ ...item, text })),
    );
    for (const item of grouped) {
      const text = cleanItem(item.text);
      if (text.split(/\s+/).length < 4) continue;
      if (!item.marked && (INTRO.test(text) || /:$/.test(text))) continue;
      if (/:$/.test(text)) continue;
      // A group label or a column header ("Logical Access", "User Control Consideration  Related Criteria").
      if (!/[.;!?]$/.test(text) && titleCase(text)) continue;
      const key = text.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(text);
      evidence ??= { page: item.page, quote: `${region.heading}: ${text}`.slice(0, 220) };
    }
  }
  return { items: out, evidence };
}

function titleCase(text: string): boolean {
  const words = text.split(/\s+/).filter((w) => /^[A-Za-z]{4,}/.test(w));
  return words.length > 0 && words.filter((w) => /^[A-Z]/.test(w)).length / words.length >= 0.75;
}

// ---------------------------------------------------------------- subservice organizations

/** Providers that SOC 2 reports very often carve out; a name is only taken from subservice contexts. */
const KNOWN_PROVIDERS: Array<[RegExp, string]> = [
  [/\bAmazon Web Services(?:,? Inc\.?)?|\bAWS\b/, 'Amazon Web Services'],
  [/\bMicrosoft Azure|\bAzure\b/, 'Microsoft Azure'],
  [/\bGoogle Cloud Platform|\bGoogle Cloud\b|\bGCP\b/, 'Google Cloud Platform'],
  [/\bOracle Cloud(?: Infrastructure)?/, 'Oracle Cloud Infrastructure'],
  [/\bIBM Cloud\b/, 'IBM Cloud'],
  [/\bDigitalOcean\b/, 'DigitalOcean'],
  [/\bRackspace\b/, 'Rackspace'],
  [/\bEquinix\b/, 'Equinix'],
  [/\bDigital Realty\b/, 'Digital Realty'],
  [/\bCoreSite\b/, 'CoreSite'],
  [/\bHeroku\b/, 'Heroku'],
  [/\bSalesforce\b/, 'Salesforce'],
  [/\bSnowflake\b/, 'Snowflake'],
  [/\bMongoDB(?: Atlas)?/, 'MongoDB'],
  [/\bCloudflare\b/, 'Cloudflare'],
  [/\bAkamai\b/, 'Akamai'],
  [/\bOkta\b/, 'Okta'],
  [/\bStripe\b/, 'Stripe'],
  [/\bTwilio\b/, 'Twilio'],
  [/\bDatadog\b/, 'Datadog'],
  [/\bWorkday\b/, 'Workday'],
  [/\bIron Mountain\b/, 'Iron Mountain'],
];

const NAME = "[A-Z][A-Za-z0-9&'.\\-]*(?:\\s+(?:[A-Z][A-Za-z0-9&'.\\-]*|of|&|de|du))*(?:,?\\s+(?:Inc|LLC|L\\.L\\.C|Ltd|Corp|Corporation|Limited|plc|GmbH|S\\.A|B\\.V|N\\.V|AG)\\.?)?";
const INTRODUCERS = "(?:uses|utilizes|utilises|relies\\s+(?:up)?on|leverages|engages|engaged|contracts\\s+with|has\\s+contracted\\s+with|outsources\\s+[^.]{0,60}?\\s+to|subservice\\s+organi[sz]ations?[,:]?(?:\\s+such\\s+as)?|hosted\\s+(?:by|with|at|on|in)|provided\\s+by|performed\\s+by|(?:excludes?|excluding|included|includes|(?:did|does|do)\\s+not\\s+include)\\s+(?:any\\s+of\\s+)?(?:the\\s+)?(?:relevant\\s+)?controls\\s+(?:of|at))";
const NAME_LIST = new RegExp(`${INTRODUCERS}\\s+(?:the\\s+)?(${NAME}(?:\\s*\\([^)]{1,40}\\))?(?:(?:,\\s*|,?\\s+and\\s+)${NAME}(?:\\s*\\([^)]{1,40}\\))?){0,6})`, 'g');
const HOSTING_USE = /\b(?:uses|utilizes|utilises|relies (?:up)?on|leverages|is hosted (?:by|with|on|in|at)|hosts? (?:its|the) [a-z ]{0,40}(?:on|with|in|at)) (?:the )?(?:Amazon Web Services|AWS|Microsoft Azure|Azure|Google Cloud(?: Platform)?|GCP|Oracle Cloud(?: Infrastructure)?|IBM Cloud|DigitalOcean|Rackspace|Equinix|Digital Realty|CoreSite|Heroku)\b/g;
const TABLE_ROW_NAME = /^([A-Z][A-Za-z0-9&'.-]*(?:\s+(?:[A-Z][A-Za-z0-9&'.-]*|of|and|&))*,?\s+(?:Inc|LLC|L\.L\.C|Ltd|Corp|Corporation|Limited|plc|GmbH|AG|S\.A|B\.V|N\.V)\.?)(?=\s|$)/;
const NOT_A_NAME = /^(?:The|This|These|Those|Company|Management|Service|Services|Organization|User|Users|Customer|Customers|Section|System|Its|Their|A|An|Our|Certain|Each|Subservice|Trust|Complementary|SOC|Type|Controls?|In|For|As|All)$/;

const AUDITOR_SUBSERVICE = /sub-?service|carve[- ]?\s?out|carved[- ]out|(?:exclud(?:es|ed|ing)|includ(?:es|ed)|(?:did|does|do) not include)\s+(?:any of\s+)?the (?:relevant )?(?:controls|services)|did not extend to|inclusive method/i;

/** Sentences of a text; "Inc. ", "Ltd. " and the like do not end one. */
function splitSentences(text: string): string[] {
  const out: string[] = [];
  let from = 0;
  for (const m of text.matchAll(/\.\s+/g)) {
    const end = m.index + 1;
    if (/\b(?:Inc|Ltd|Corp|Co|L\.L\.C|P\.C|No|e\.g|i\.e|S\.A|B\.V|N\.V)\.$/.test(text.slice(Math.max(from, end - 6), end))) continue;
    out.push(text.slice(from, end));
    from = m.index + m[0].length;
  }
  if (from < text.length) out.push(text.slice(from));
  return out;
}

const INTRODUCER_RE = new RegExp(`\\b${INTRODUCERS}\\s`, 'i');
/** A company named with its legal form: "Postmark Labs LLC", "Adyen N.V.", "Equinix, Inc.". */
const LEGAL_NAME = /(?<![A-Za-z])((?:[A-Z][A-Za-z0-9&'-]*[^\S\n]+){0,4}[A-Z][A-Za-z0-9&'-]*,?[^\S\n]+(?:Inc\.|Inc\b|LLC\b|L\.L\.C\.|Ltd\.|Ltd\b|Corp\.|Corp\b|Corporation\b|Limited\b|plc\b|GmbH\b|AG\b|S\.A\.|B\.V\.|N\.V\.|Pty Ltd\b))/g;

const METHOD_CELL = /\s+(carve[- ]?out|carved[- ]out|inclusive)(?: method)?\s*$/i;

interface Candidate {
  /** The method stated for this organization alone (a "Method" column). */
  explicit?: boolean;
  name: string;
  alias: string | null;
  services: string | null;
  method: 'carve-out' | 'inclusive' | null;
  evidence: Evidence;
}

function methodIn(text: string): 'carve-out' | 'inclusive' | null {
  if (/inclusive method|inclusive basis/i.test(text)) return 'inclusive';
  if (/carve[- ]?\s?out|carved out|exclud(?:es|ed|ing)|(?:did|does|do) not (?:extend to|include)|not included|not part of (?:our|the) examination/i.test(text)) return 'carve-out';
  if (/inclusive method|includ(?:es|ed) the (?:relevant )?controls of|our examination included/i.test(text)) return 'inclusive';
  return null;
}

/** servicesAfter reads at most this many characters after a name (its pattern spans < 300). */
const SERVICES_WINDOW = 400;

function servicesAfter(text: string): string | null {
  const m = /^\s*(?:\([^)]*\)\s*)?,?\s*(?:(?:an?\s+|the\s+|its\s+)?(?:third-party\s+)?sub-?service\s+(?:organi[sz]ations?|providers?),?\s*)?(?:to (?:provide|host|deliver|perform|support|process|operate|run)|for(?: the provision of)?|as (?:its|our|the)|which provides?|that provides?|, which provides?)\s+([^.;()]{3,140})/i.exec(text);
  if (!m) return null;
  // The services end where a clause about the method or the examination starts ("…, which is presented using the
  // carve-out method").
  const services = m[1]!.replace(/\s+/g, ' ')
    // "… for cloud infrastructure and Sendwave Messaging Ltd. for SMS": the next organization is not a service.
    .replace(/\s+and\s+(?:the\s+)?[A-Z][\w&'-]*(?:\s+[A-Z][\w&'-]*)*,?\s+(?:Inc|LLC|Ltd|Corp|Corporation|Limited|GmbH|plc)\.?$/, '').replace(/,?\s+(?:which|where|whose|that) (?:is|are|was|were|has|have)\b.*$|,?\s+(?:using|under) the (?:carve|inclusive).*$/i, '').trim();
  return services.length >= 3 ? services : null;
}

/** Words of a table's column header, never of a provider's name ("Subservice Organization  Services Provided"). */
const COLUMN_WORDS = /\b(?:Subservice|Sub-service|Organi[sz]ations?|Provided|Method|Treatment|Vendors?|Criteria|Controls)\b/;

function splitNames(list: string): Array<{ name: string; alias: string | null; end: number }> {
  const out: Array<{ name: string; alias: string | null; end: number }> = [];
  const re = new RegExp(`(${NAME})(?:\\s*\\(([^)]{1,40})\\))?`, 'g');
  for (const m of list.matchAll(re)) {
    // A name ends at a full stop that is not part of "Inc." ("… controls of Microsoft Azure. Our examination …").
    const raw = m[1]!.trim().replace(/\s+and$/, '');
    const stop = raw.search(/(?<!\b(?:Inc|Ltd|Co|Corp|L\.L\.C|S\.A|B\.V|N\.V))\.\s|\b(?:Inc|Ltd|Corp|LLC)\.(?=\s+[A-Z])/);
    const name = stop < 0 ? raw : raw.slice(0, stop + (/^\.\s/.test(raw.slice(stop)) ? 0 : raw.slice(stop).indexOf('.') + 1));
    if (NOT_A_NAME.test(name) || name.length < 2 || COLUMN_WORDS.test(name)) continue;
    const alias = m[2] ? m[2].replace(/["'“”]|^the\s+/gi, '').trim() : null;
    out.push({ name, alias: alias && /^[A-Z][A-Za-z0-9 &.-]{0,30}$/.test(alias) ? alias : null, end: (m.index ?? 0) + m[0].length });
  }
  return out;
}

const normName = (s: string): string =>
  s.toLowerCase().replace(/\b(?:inc|llc|l\.l\.c|ltd|corp|corporation|limited|plc|gmbh)\b\.?/g, '').replace(/[^a-z0-9]+/g, ' ').trim();

export interface SubserviceInput {
  lines: Line[];
  auditor: TextView;
  serviceOrganization: string | null;
}

export interface SubserviceResult {
  items: SubserviceOrganization[];
  evidence: Evidence | null;
  warnings: string[];
}

/** Subservice organizations named in the auditor's report or in subservice sections, with method and services. */
export function findSubserviceOrganizations(input: SubserviceInput): SubserviceResult {
  const warnings: string[] = [];
  const candidates: Candidate[] = [];
  const tableCandidates: Candidate[] = [];
  const contexts: Array<{ text: string; page: (i: number) => number; table?: boolean }> = [];
  const orgKey = input.serviceOrganization ? normName(input.serviceOrganization) : null;

  // Auditor's report sentences about subservice organizations.
  const auditorSentences = splitSentences(input.auditor.text);
  const auditorGlobal = methodIn(input.auditor.text.match(/[^.]*(?:carve|inclusive method)[^.]*\./i)?.[0] ?? '');
  const auditorContext: string[] = [];
  auditorSentences.forEach((s, k) => {
    if (!AUDITOR_SUBSERVICE.test(s)) return;
    // "X uses Stripe, Inc. for tokenization. The description includes the relevant controls of Stripe, Inc."
    const previous = auditorSentences[k - 1];
    if (previous && !auditorContext.includes(previous) && new RegExp(`\\b${INTRODUCERS}\\s+(?:the\\s+)?[A-Z]`).test(previous)) auditorContext.push(previous);
    auditorContext.push(s);
  });
  if (auditorContext.length > 0) contexts.push({ text: auditorContext.join(' '), page: () => input.auditor.lines[0]?.page ?? 1 });

  for (const region of subRegions(input.lines, ['subservice', 'csoc'], 120)) {
    const regionLines = input.lines.slice(region.start, region.end);
    contexts.push({ text: regionLines.map((l) => l.text).join('\n'), page: () => regionLines[0]?.page ?? 1, table: true });
    // Table rows that open with a legal name: "Northwind Data Centers LLC  Colocation services  CC6.4".
    for (const line of regionLines.slice(1)) {
      const row = TABLE_ROW_NAME.exec(line.text);
      if (!row || /\b(?:uses|utilizes|is|are|was|were|has|have)\b/.test(line.text.slice(0, row[1]!.length + 12))) continue;
      const name = row[1]!.trim();
      if (orgKey && normName(name) === orgKey) continue;
      const cell = METHOD_CELL.exec(line.text);
      const rowText = cell ? line.text.slice(0, cell.index) : line.text;
      const method = cell ? methodIn(/inclusive/i.test(cell[1]!) ? 'inclusive method' : 'carve-out') : null;
      tableCandidates.push({ name, alias: null, services: tableServices(rowText, row[1]!), method, explicit: method !== null, evidence: { page: line.page, quote: line.text.slice(0, 220) } });
    }
  }
  // Description sentences that introduce a subservice organization outside a dedicated region.
  const joined = input.lines.map((l) => l.text).join(' ');
  let lastSentenceEnd = -1;
  // A hosting provider the description says it relies on is a subservice organization even when unnamed as such.
  for (const m of joined.matchAll(HOSTING_USE)) {
    const dot = joined.lastIndexOf('. ', m.index);
    const end = joined.indexOf('. ', m.index);
    contexts.push({ text: joined.slice(dot < 0 ? 0 : dot + 2, end < 0 ? joined.length : end + 1), page: () => 1 });
  }
  for (const m of joined.matchAll(/\bsub-?service organi[sz]ations?\b/gi)) {
    if (m.index < lastSentenceEnd) continue;
    // The sentence before often introduces the organization ("engaged X to provide hosting. X is a subservice …").
    const dot = sentenceEndBefore(joined, m.index);
    const previousDot = dot < 0 ? -1 : sentenceEndBefore(joined, dot - 1);
    const start = previousDot < 0 ? 0 : previousDot + 2;
    const end = joined.indexOf('. ', m.index);
    lastSentenceEnd = end < 0 ? joined.length : end + 1;
    contexts.push({ text: joined.slice(start, lastSentenceEnd), page: () => 1 });
  }

  for (const ctx of contexts) {
    const method = methodIn(ctx.text);
    for (const m of ctx.text.matchAll(NAME_LIST)) {
      for (const n of splitNames(m[1]!)) {
        if (orgKey && normName(n.name) === orgKey) continue;
        if (/^(?:[A-Z][a-z]+)$/.test(n.name) && !KNOWN_PROVIDERS.some(([re]) => re.test(n.name)) && n.name.length < 4) continue;
        // What follows the name, up to what servicesAfter can read (a bounded slice: a long list stays linear).
        const tailStart = (m.index ?? 0) + m[0].length - (m[1]!.length - n.end);
        const tail = ctx.text.slice(tailStart, tailStart + SERVICES_WINDOW);
        candidates.push({
          name: n.name,
          alias: n.alias,
          services: servicesAfter(tail),
          method: methodIn(sentenceAround(ctx.text, m.index ?? 0)) ?? method,
          evidence: { page: ctx.page(0), quote: sentenceAround(ctx.text, m.index ?? 0).slice(0, 220) },
        });
      }
    }
    // In a sentence about subservice organizations, every other company named with its legal form is one of them
    // ("outsources payment processing to Adyen N.V. and email delivery to Postmark Labs LLC").
    for (const sentence of splitSentences(ctx.text)) {
      if (!AUDITOR_SUBSERVICE.test(sentence) && !INTRODUCER_RE.test(sentence)) continue;
      // Once per sentence, not per name: a table read as one long "sentence" names thousands of companies.
      const sentenceMethod = methodIn(sentence) ?? method;
      const quote = sentence.replace(/\s+/g, ' ').trim().slice(0, 220);
      for (const m of sentence.matchAll(LEGAL_NAME)) {
        const name = m[1]!.replace(/\s+/g, ' ').trim();
        if (NOT_A_NAME.test(name.split(' ')[0]!) || COLUMN_WORDS.test(name) || /\b(?:LLP|CPAs?)\b/.test(name)) continue;
        const after = sentence.slice((m.index ?? 0) + m[0].length, (m.index ?? 0) + m[0].length + SERVICES_WINDOW);
        const paren = /^\s*\((?!the\b|an?\b)([a-z][^)]{2,60})\)/.exec(after);
        if (paren && /method|carve|inclusive|exclud|includ/i.test(paren[1]!)) paren[1] = '';
        candidates.push({
          name,
          alias: null,
          services: paren?.[1] ? paren[1].trim() : servicesAfter(after.replace(/^\s*\([^)]*\)/, '')),
          method: sentenceMethod,
          evidence: { page: ctx.page(0), quote },
        });
      }
    }
    for (const [re, canonical] of KNOWN_PROVIDERS) {
      const hit = re.exec(ctx.text);
      if (!hit) continue;
      const line = lineAround(ctx.text, hit.index);
      const cell = ctx.table && line.startsWith(hit[0]) ? METHOD_CELL.exec(line) : null;
      const cellMethod = cell ? (/inclusive/i.test(cell[1]!) ? 'inclusive' : 'carve-out') : null;
      candidates.push({
        name: hit[0].trim(),
        alias: canonical,
        services: servicesAfter(ctx.text.slice(hit.index + hit[0].length, hit.index + hit[0].length + SERVICES_WINDOW)) ?? (ctx.table ? tableServices(cell ? line.slice(0, cell.index) : line, hit[0]) : null),
        method: cellMethod ?? methodIn(sentenceAround(ctx.text, hit.index)) ?? method,
        explicit: cellMethod !== null,
        evidence: { page: ctx.page(0), quote: line.slice(0, 220) },
      });
    }
  }

  // Merge candidates that are the same organization (full name, alias, provider canonical name); prose first, so
  // that services come from sentences rather than from complementary-control tables.
  const merged: Array<Candidate & { keys: Set<string> }> = [];
  for (const c of [...candidates, ...tableCandidates]) {
    const key = normName(c.name);
    // The service organization itself, by its full or short name ("controls at Acme").
    if (orgKey && (key === orgKey || orgKey.startsWith(`${key} `))) continue;
    const keys = new Set([normName(c.name), ...(c.alias ? [normName(c.alias)] : [])]);
    for (const [re, canonical] of KNOWN_PROVIDERS) if (re.test(c.name)) keys.add(normName(canonical));
    // "PayBridge Processing, Inc." wrapped after its first word is also read as "Processing, Inc.".
    const existing = merged.find((e) => [...keys].some((k) => e.keys.has(k) || [...e.keys].some((ek) => ek.startsWith(`${k} `) || k.startsWith(`${ek} `) || ek.endsWith(` ${k}`) || k.endsWith(` ${ek}`))));
    if (existing) {
      for (const k of keys) existing.keys.add(k);
      if (c.name.length > existing.name.length && !/^[A-Z]{2,5}$/.test(c.name)) existing.name = c.name;
      existing.services ??= c.services;
      if (c.explicit && !existing.explicit) {
        existing.method = c.method;
        existing.explicit = true;
      } else existing.method ??= c.method;
    } else {
      merged.push({ ...c, keys });
    }
  }
  // Each organization's method comes from the sentences that name it; a report can mix both methods.
  const allContext = contexts.map((c) => c.text).join(' ');
  for (const c of merged) {
    const names = [c.name, ...(c.alias ? [c.alias] : [])].map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    if (c.explicit) continue;
    const named = new RegExp(`\\b(?:${names.join('|')})(?![A-Za-z])`);
    const methods = new Set(splitSentences(allContext).filter((x) => named.test(x)).map((x) => methodIn(x)).filter((x) => x !== null));
    if (methods.size === 1) c.method = [...methods][0]!;
  }
  const defaultMethod = auditorGlobal ?? 'carve-out';
  // Canonical names ("AWS" → "Amazon Web Services"; "Google LLC (Google Workspace)" → "Google Workspace"), one entry
  // per organization, and never the service organization itself.
  const items: SubserviceOrganization[] = [];
  for (const c of merged) {
    if (/^(?:Amazon|Google|Microsoft)$/.test(c.name)) continue;
    const nameAsWritten = cleanName(c.name);
    const withAlias = /\([^)]+\)\s*$/.test(c.name) ? c.name : c.alias ? `${nameAsWritten} (${c.alias})` : nameAsWritten;
    let name = canonicalOrganizationName(withAlias);
    if (name === withAlias) name = canonicalOrganizationName(nameAsWritten);
    if (input.serviceOrganization && sameOrganization(name, input.serviceOrganization)) continue;
    const existing = items.find((i) => organizationKey(i.name) === organizationKey(name));
    if (existing) {
      existing.services ??= c.services;
      continue;
    }
    items.push({ name, nameAsWritten, method: c.method ?? defaultMethod, services: c.services });
  }
  if (/inclusive method/i.test(input.auditor.text) && /carve[- ]?\s?out/i.test(input.auditor.text)) {
    warnings.push('The report uses both the carve-out and the inclusive method; check the method of each subservice organization.');
  }
  return { items, evidence: merged[0]?.evidence ?? null, warnings };
}

/** A name as written on one line, without a trailing full stop that is not part of "Inc." or "Ltd.". */
function cleanName(name: string): string {
  return name.replace(/\s+/g, ' ').replace(/\s*\([^)]*\)$/, '').replace(/(?<!\b(?:Inc|Ltd|Co|Corp|L\.L\.C|S\.A|B\.V|N\.V|P\.C))\.$/, '').trim();
}

/** Index of the ". " that ends the sentence before `index`, skipping "Inc. ", "Ltd. " and the like. */
function sentenceEndBefore(text: string, index: number): number {
  let at = text.lastIndexOf('. ', index);
  while (at > 0 && /\b(?:Inc|Ltd|Corp|Co|L\.L\.C|P\.C|No|e\.g|i\.e)$/.test(text.slice(Math.max(0, at - 6), at))) at = text.lastIndexOf('. ', at - 1);
  return at;
}

function sentenceAround(text: string, index: number): string {
  const start = Math.max(text.lastIndexOf('. ', index) + 2, 0);
  const endDot = text.indexOf('. ', index);
  return text.slice(start, endDot < 0 ? text.length : endDot + 1).replace(/\s+/g, ' ').trim();
}

function lineAround(text: string, index: number): string {
  const start = text.lastIndexOf('\n', index) + 1;
  const end = text.indexOf('\n', index);
  return text.slice(start, end < 0 ? text.length : end).trim();
}

/** In a table row "Provider  services  criteria", the cell after the name. */
function tableServices(line: string, name: string): string | null {
  const i = line.indexOf(name);
  if (i !== 0) return null;
  const rest = line.slice(name.length).replace(/^\s*\([^)]*\)/, '').replace(/^,?\s*(?:Inc|LLC|L\.L\.C|Ltd|Corp|Corporation|Limited|plc|GmbH)\b\.?/, '').replace(/(?:[\s,;]*(?:CC|PI|A|C|P)\d{1,2}\.\d{1,2})+\s*$/, '').trim();
  return rest.length >= 3 ? rest : null;
}

/** "<Org> uses," / "uses the following subservice organizations:" closing a line, then one provider per bullet. */
const USES_LIST = /\b(?:uses|utilizes|utilises|relies on|leverages|engages)(?:\s*[,:]|\s+the\s+following(?:\s+(?:subservice organi[sz]ations|service providers|vendors|third parties))?\s*[,:]?)$/i;
const BULLET_NAME = /^•\s*(?<name>[A-Z][A-Za-z0-9&.'-]*(?:\s+[A-Za-z0-9&.'-]+){0,4}?)\s*(?<alias>\([^)]{1,40}\))?\s*(?:,|\bis\b|\bare\b|-|–|:|$)/;

/**
 * Providers listed as bullets under a sentence that ends in "uses," (each bullet opens with the provider's name,
 * then a comma, "is", a dash or a parenthesised alias): "• Amazon Web services(AWS), a subservice organization …".
 */
export function providersListedAfterUses(lines: Line[]): Array<{ name: string; nameAsWritten: string; page: number }> {
  const out: Array<{ name: string; nameAsWritten: string; page: number }> = [];
  for (let i = 0; i < lines.length; i++) {
    if (!USES_LIST.test(lines[i]!.text) || !lines[i + 1]?.text.startsWith('• ')) continue;
    const found: typeof out = [];
    let aboutSubservice = /subservice|service provider/i.test(lines[i]!.text);
    for (let j = i + 1; j < Math.min(lines.length, i + 40); j++) {
      if (/subservice organi[sz]ation|service provider/i.test(lines[j]!.text)) aboutSubservice = true;
      const text = lines[j]!.text.replace(/(?<=[a-z])\(/, ' (');
      if (!text.startsWith('• ')) {
        // A bullet's own continuation lines do not end the list; a heading or a new paragraph sentence does.
        if (/^[A-Z][a-z]+ [a-z]/.test(text) && /\b(?:description|examination|controls)\b/i.test(text)) break;
        continue;
      }
      const m = BULLET_NAME.exec(text);
      const name = m?.groups?.name?.trim();
      if (!m || !name || name.split(/\s+/).length > 5 || /^(?:The|This|These|A|An|All|Each|Our|Its)\b/.test(name)) continue;
      const nameAsWritten = `${name}${m.groups?.alias ? ` ${m.groups.alias}` : ''}`;
      found.push({ name: canonicalOrganizationName(nameAsWritten), nameAsWritten, page: lines[j]!.page });
    }
    // Only a list that speaks of subservice organizations or service providers names them (not a list of policies).
    if (aboutSubservice) out.push(...found);
  }
  return out;
}
