/**
 * Canonical names for the organizations SOC 2 reports carve out, so a portfolio can see that "AWS", "Amazon Web
 * Services, Inc." and "Amazon.com Web Services" are one dependency. Pure: no I/O, no environment, never throws.
 *
 * Three forms of a name:
 *
 *   as written   the text taken from a report: "Amazon Web Services, Inc.", "(ZenDesk)", "AWS's".
 *   canonical    `canonicalOrganizationName`: the table's name for a known provider ("Amazon Web Services"); for any
 *                other name, the name as written with whitespace collapsed, wrapping quotes/parentheses and trailing
 *                punctuation removed, and its legal form KEPT ("Bluefin Payroll Cloud Ltd" stays as it is).
 *   key          `organizationKey`: lower case, accents, punctuation, possessive 's, the word "the" and trailing legal
 *                forms removed, words joined by one space; a known provider's key is the key of its canonical name.
 *
 * A name is looked up in ORGANIZATION_ALIASES by its key with the spaces removed ("Digital Ocean" = "DigitalOcean"):
 *
 *   1. the whole name ("Google LLC (Google Cloud)" is itself an alias);
 *   2. otherwise, for "Base (Qualifier)": when Base is an umbrella (a parent company named without the service, such
 *      as "Microsoft Corporation"), a Qualifier that is a known provider names the service ("Microsoft Corporation
 *      (Azure)" → Microsoft Azure); otherwise a known Base wins ("Amazon Web Services (EMEA) SARL" → Amazon Web
 *      Services). An unknown Base is never replaced by its Qualifier: "Acme Hosting (AWS)" may be a reseller.
 *
 * Ambiguous names (decided here, tested in test/unit/soc2-canonical-names.test.ts):
 *
 *   - "Google", "Google LLC", "Google Inc." → "Google"; "Microsoft", "Microsoft Corporation" → "Microsoft";
 *     "Amazon", "Amazon.com, Inc." → "Amazon"; likewise "Oracle" and "IBM". A report that names only the parent
 *     company does not say which service it relies on (Google LLC provides both Google Cloud and Google Workspace),
 *     so the name is not guessed into one; `sameOrganization` still relates it to each of the parent's services.
 *   - A service owned by another listed provider keeps its own name: Heroku and Slack (Salesforce), GitHub
 *     (Microsoft), Auth0 (Okta), SendGrid (Twilio), Linode (Akamai). Explicit aliases such as "Twilio (SendGrid)" map
 *     the combined forms.
 *   - A possessive is ignored for matching ("AWS's" → Amazon Web Services) but kept in the canonical form of an
 *     unknown name, because "Macy's" is a name and not a possessive.
 */

/** One provider: the name to show, every way reports write it, and whether it is a parent company (see above). */
export interface OrganizationAliases {
  readonly canonical: string;
  readonly aliases: readonly string[];
  /** A parent company named without its service: a known provider in a parenthetical after it names the service. */
  readonly umbrella?: true;
}

/** The alias table: one entry per provider; add a row (or an alias) to teach the analyzer a new name. */
export const ORGANIZATION_ALIASES: readonly OrganizationAliases[] = [
  // Parent companies: named alone, they do not say which service is used.
  { canonical: 'Amazon', umbrella: true, aliases: ['Amazon.com', 'Amazon.com Services', 'Amazon Technologies'] },
  { canonical: 'Google', umbrella: true, aliases: ['Google Inc', 'Google LLC', 'Alphabet'] },
  { canonical: 'Microsoft', umbrella: true, aliases: ['Microsoft Corp', 'Microsoft Corporation', 'MSFT'] },
  { canonical: 'Oracle', umbrella: true, aliases: ['Oracle Corporation', 'Oracle America'] },
  { canonical: 'IBM', umbrella: true, aliases: ['International Business Machines', 'International Business Machines Corporation'] },

  // Infrastructure and platforms.
  {
    canonical: 'Amazon Web Services',
    aliases: [
      'AWS', 'AWS Cloud', 'Amazon AWS', 'Amazon Web Service', 'Amazon Web Services Inc', 'Amazon.com Web Services',
      'Amazon Web Services Cloud', 'Amazon Web Services EMEA', 'Amazon Cloud Services', 'AWS GovCloud', 'Amazon.com (AWS)',
    ],
  },
  {
    canonical: 'Google Cloud Platform',
    aliases: [
      'GCP', 'Google Cloud', 'Google Cloud Services', 'Google Cloud Platform (GCP)', 'Google LLC (Google Cloud)',
      'Google LLC (Google Cloud Platform)', 'Google LLC (GCP)', 'Google Compute Engine', 'Google Cloud Computing',
    ],
  },
  {
    canonical: 'Google Workspace',
    aliases: ['G Suite', 'G-Suite', 'Google Apps', 'Google Apps for Work', 'Google Apps for Business', 'Google LLC (Google Workspace)', 'Google LLC (G Suite)'],
  },
  {
    canonical: 'Microsoft Azure',
    aliases: ['Azure', 'Azure Cloud', 'Microsoft Azure Cloud', 'Windows Azure', 'Microsoft Azure Government', 'Azure Government', 'Microsoft Corporation (Azure)', 'Microsoft Corporation (Microsoft Azure)'],
  },
  {
    canonical: 'Microsoft 365',
    aliases: [
      'Office 365', 'Microsoft Office 365', 'O365', 'M365', 'Microsoft 365 (Office 365)', 'Exchange Online', 'Microsoft Exchange Online',
      'Microsoft Corporation (Office 365)', 'Microsoft Corporation (Microsoft 365)',
    ],
  },
  { canonical: 'Oracle Cloud Infrastructure', aliases: ['OCI', 'Oracle Cloud', 'Oracle Cloud Infrastructure (OCI)', 'Oracle Corporation (OCI)'] },
  { canonical: 'IBM Cloud', aliases: ['SoftLayer', 'IBM SoftLayer', 'IBM Cloud (SoftLayer)', 'SoftLayer Technologies'] },
  { canonical: 'Alibaba Cloud', aliases: ['Aliyun', 'Alibaba Cloud Computing', 'Alibaba Cloud Intelligence'] },
  { canonical: 'Tencent Cloud', aliases: ['Tencent Cloud Computing', 'Tencent Cloud Computing (Beijing)'] },
  { canonical: 'DigitalOcean', aliases: ['DigitalOcean Holdings'] },
  { canonical: 'Linode', aliases: ['Akamai Connected Cloud', 'Akamai Cloud Computing', 'Akamai (Linode)', 'Linode (Akamai)', 'Linode, an Akamai company'] },
  { canonical: 'Hetzner', aliases: ['Hetzner Online', 'Hetzner Cloud'] },
  { canonical: 'OVHcloud', aliases: ['OVH', 'OVH Cloud', 'OVH Groupe', 'OVH Hosting'] },
  { canonical: 'Equinix', aliases: [] },
  { canonical: 'Rackspace', aliases: ['Rackspace Technology', 'Rackspace US', 'Rackspace Hosting'] },
  { canonical: 'Heroku', aliases: ['Salesforce (Heroku)', 'Heroku (Salesforce)', 'Salesforce Heroku', 'Heroku, a Salesforce company'] },
  { canonical: 'Vercel', aliases: [] },
  { canonical: 'Netlify', aliases: [] },
  { canonical: 'Cloudflare', aliases: [] },
  { canonical: 'Akamai', aliases: ['Akamai Technologies'] },
  { canonical: 'Fastly', aliases: [] },

  // Data and observability.
  { canonical: 'Snowflake', aliases: ['Snowflake Computing', 'Snowflake Data Cloud'] },
  { canonical: 'MongoDB', aliases: ['MongoDB Atlas', 'MongoDB Cloud'] },
  { canonical: 'Elastic', aliases: ['Elastic Cloud', 'Elasticsearch', 'Elasticsearch Service', 'Elastic (Elasticsearch)'] },
  { canonical: 'Confluent', aliases: ['Confluent Cloud'] },
  { canonical: 'Datadog', aliases: [] },
  { canonical: 'PagerDuty', aliases: [] },

  // Identity, development and collaboration.
  { canonical: 'Okta', aliases: ['Okta Workforce Identity Cloud'] },
  { canonical: 'Auth0', aliases: ['Okta (Auth0)', 'Auth0 (Okta)', 'Okta Customer Identity Cloud', 'Auth0, an Okta company'] },
  { canonical: 'GitHub', aliases: ['GitHub.com', 'GitHub Enterprise Cloud'] },
  { canonical: 'GitLab', aliases: ['GitLab.com'] },
  { canonical: 'Atlassian', aliases: ['Atlassian Cloud', 'Atlassian Jira', 'Atlassian Confluence', 'Atlassian Bitbucket'] },
  { canonical: 'Slack', aliases: ['Slack Technologies', 'Salesforce (Slack)'] },
  { canonical: 'Zoom', aliases: ['Zoom Video Communications', 'Zoom Communications'] },
  { canonical: 'Box', aliases: ['Box.com'] },
  { canonical: 'Dropbox', aliases: [] },

  // Business applications.
  { canonical: 'Salesforce', aliases: ['Salesforce.com', 'Salesforce Platform'] },
  { canonical: 'Workday', aliases: [] },
  { canonical: 'ADP', aliases: ['Automatic Data Processing', 'ADP Workforce Now'] },
  { canonical: 'Zendesk', aliases: [] },
  { canonical: 'Stripe', aliases: ['Stripe Payments', 'Stripe Payments Europe'] },

  // Messaging.
  { canonical: 'Twilio', aliases: [] },
  { canonical: 'SendGrid', aliases: ['Twilio SendGrid', 'Twilio (SendGrid)', 'SendGrid (Twilio)'] },
  { canonical: 'Mailgun', aliases: ['Mailgun Technologies', 'Sinch Mailgun'] },
  {
    canonical: 'Mailchimp',
    aliases: ['Mandrill', 'Mailchimp Transactional', 'Mailchimp (Mandrill)', 'Intuit Mailchimp', 'Intuit (Mailchimp)', 'The Rocket Science Group'],
  },
];

/**
 * Legal forms as written in reports. Each is matched case-insensitively with its full stops optional ("L.L.C." also
 * matches "LLC" and "L. L. C."), and only as whole words.
 */
const LEGAL_FORMS: readonly string[] = [
  'Inc.', 'Incorporated', 'LLC', 'L.L.C.', 'Ltd.', 'Limited', 'Corp.', 'Corporation', 'Co.', 'Company', '& Co.', 'and Co.',
  'Co., Ltd.', 'PLC', 'P.L.C.', 'LLP', 'L.P.', 'PLLC', 'ULC',
  'Pvt. Ltd.', 'Private Limited', 'Pty. Ltd.', 'Pty. Limited', 'Pty.', 'Pte. Ltd.', 'Pte.', 'Sdn. Bhd.',
  'GmbH', 'gGmbH', 'GmbH & Co. KG', 'KG', 'AG', 'SE', 'UG',
  'S.A.', 'S.A. de C.V.', 'S.A.S.', 'SARL', 'S.à r.l.', 'S.a.r.l.', 'S.r.l.', 'S.p.A.', 'S.L.', 'S.L.U.', 'Ltda.',
  'B.V.', 'N.V.', 'BVBA', 'A/S', 'ApS', 'AS', 'ASA', 'AB', 'Oy', 'Oyj', 'Sp. z o.o.', 's.r.o.',
  'K.K.', 'G.K.', 'Kabushiki Kaisha',
];

const ESCAPE = /[.*+?^${}()|[\]\\/]/g;
const FORM_TOKEN = /(?<dotSpace>\.\s+)|(?<dot>\.)|(?<space>\s+)|(?<comma>,)|(?<text>[^.\s,]+)/g;

/** One legal form as a pattern: full stops optional, spaces flexible. */
function formPattern(form: string): string {
  const tokens = [...form.matchAll(FORM_TOKEN)];
  return tokens
    .map((token, index) => {
      const groups = token.groups ?? {};
      const last = index === tokens.length - 1;
      if (groups['dotSpace'] !== undefined) return '(?:\\.\\s*|\\s+)';
      if (groups['dot'] !== undefined) return last ? '\\.?' : '(?:\\.\\s?)?';
      if (groups['space'] !== undefined) return '\\s+';
      if (groups['comma'] !== undefined) return ',?';
      return (groups['text'] ?? '').replace(ESCAPE, '\\$&');
    })
    .join('');
}

/**
 * A legal form ("Inc.", "L.L.C.", "Pvt. Ltd.", "GmbH & Co. KG"...) as a whole word, case-insensitive. The one list of
 * legal suffixes: embed `LEGAL_SUFFIX.source` in other patterns rather than writing the alternatives again.
 */
export const LEGAL_SUFFIX: RegExp = new RegExp(
  `(?<![A-Za-z0-9])(?:${[...new Set(LEGAL_FORMS.map(formPattern))].sort((a, b) => b.length - a.length).join('|')})(?![A-Za-z0-9])`,
  'i',
);

/** More legal forms than this at the end of a name ("Acme Holdings Co. Ltd. Pte.") are not all removed. */
const MAX_LEGAL_FORMS = 4;

/** A legal form that ends the name, with the comma or space before it. */
const TRAILING_LEGAL_SUFFIX = new RegExp(`(?:\\s*,\\s*|\\s+)(?<suffix>${LEGAL_SUFFIX.source})\\s*$`, 'i');

/** A legal form that ends the text, the whole text included ("Inc."): its full stop is not the sentence's. */
const ENDS_WITH_LEGAL_FORM = new RegExp(`(?:^|[\\s,])(?<suffix>${LEGAL_SUFFIX.source})$`, 'i');

/** A legal form just before a parenthetical: "Google LLC (Google Cloud)" is looked up as "Google (Google Cloud)". */
const LEGAL_FORM_BEFORE_PARENTHETICAL = new RegExp(`(?:\\s*,\\s*|\\s+)(?:${LEGAL_SUFFIX.source})(?=\\s*\\()`, 'gi');

/**
 * The name without its trailing legal forms ("Acme Co., Ltd." → "Acme"); a name that is nothing but a legal form, or
 * has none, is returned unchanged.
 */
export function stripLegalSuffix(name: string): string {
  let rest = name;
  let stripped = 0;
  for (let match = TRAILING_LEGAL_SUFFIX.exec(rest); match !== null && match.index > 0 && stripped < MAX_LEGAL_FORMS; match = TRAILING_LEGAL_SUFFIX.exec(rest)) {
    stripped += 1;
    const shorter = rest.slice(0, match.index).trimEnd();
    if (!/[\p{L}\p{N}]/u.test(shorter)) break;
    rest = shorter;
  }
  return rest;
}

// ---------------------------------------------------------------- tidying a name as written

const DOUBLE_QUOTES = '"“”„«»';
const SINGLE_QUOTES = "'‘’";
const OPENERS: Readonly<Record<string, string>> = { '(': ')', '[': ']' };

/** True when the bracket at 0 closes at the last character (so it wraps the whole text). */
function wrapped(text: string): boolean {
  const open = text[0];
  const close = open === undefined ? undefined : OPENERS[open];
  if (close === undefined || !text.endsWith(close) || text.length < 2) return false;
  let depth = 0;
  for (let i = 0; i < text.length; i += 1) {
    if (text[i] === open) depth += 1;
    else if (text[i] === close) depth -= 1;
    if (depth === 0 && i < text.length - 1) return false;
  }
  return depth === 0;
}

function count(text: string, chars: string): number {
  let n = 0;
  for (const c of text) if (chars.includes(c)) n += 1;
  return n;
}

/** One tidying step, or the text unchanged when there is nothing left to remove. Every step only removes. */
function tidyOnce(text: string): string {
  const first = text[0] ?? '';
  const last = text.at(-1) ?? '';
  if (wrapped(text)) return text.slice(1, -1).trim();
  if (DOUBLE_QUOTES.includes(first) && DOUBLE_QUOTES.includes(last) && count(text, DOUBLE_QUOTES) === 2) return text.slice(1, -1).trim();
  if (SINGLE_QUOTES.includes(first) && SINGLE_QUOTES.includes(last) && text.length >= 2) return text.slice(1, -1).trim();
  // A quote or bracket with no partner at the other end was left by the extractor.
  if (DOUBLE_QUOTES.includes(first) && count(text, DOUBLE_QUOTES) === 1) return text.slice(1).trim();
  if (DOUBLE_QUOTES.includes(last) && count(text, DOUBLE_QUOTES) === 1) return text.slice(0, -1).trim();
  if ((first === '(' || first === '[') && count(text, '([') > count(text, ')]')) return text.slice(1).trim();
  if ((last === ')' || last === ']') && count(text, ')]') > count(text, '([')) return text.slice(0, -1).trim();
  if (/^[\s•·*,;:\-–—]/u.test(text)) return text.slice(1).trim();
  if (/[\s,;:!?*\-–—/\\|]$/u.test(text)) return text.slice(0, -1).trim();
  // A full stop ends the sentence, unless it belongs to the legal form ("Acme Corp.").
  if (last === '.' && !ENDS_WITH_LEGAL_FORM.exec(text)?.groups?.['suffix']?.endsWith('.')) return text.slice(0, -1).trim();
  return text;
}

/**
 * Longer text is not an organization name (a sentence or a table row taken whole): it is only whitespace-collapsed,
 * which also bounds the work done on any input.
 */
export const MAX_ORGANIZATION_NAME_LENGTH = 300;

/** The name as written, tidied; a name that tidying would empty ("()") is kept with its whitespace collapsed. */
function tidy(asWritten: string): string {
  const collapsed = asWritten.replace(/\s+/g, ' ').trim();
  if (collapsed.length > MAX_ORGANIZATION_NAME_LENGTH) return collapsed;
  let text = collapsed;
  for (let next = tidyOnce(text); next !== text; next = tidyOnce(text)) text = next;
  return text === '' ? collapsed : text;
}

// ---------------------------------------------------------------- keys and lookup

/** The words a name is compared by: see the key form at the top of this file. */
function keyWords(name: string): string[] {
  const words = stripLegalSuffix(name.replace(/['’]s?$/u, '').replace(LEGAL_FORM_BEFORE_PARENTHETICAL, ''))
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/['’]s(?![\p{L}\p{N}])/gu, '')
    .replace(/[.'’`´]/gu, '')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word !== '' && word !== 'the');
  return words;
}

const compact = (words: readonly string[]) => words.join('');

const ENTRY_BY_ALIAS: ReadonlyMap<string, OrganizationAliases> = new Map(
  ORGANIZATION_ALIASES.flatMap((entry) => [entry.canonical, ...entry.aliases].map((alias) => [compact(keyWords(alias)), entry] as const)),
);

const entryOf = (name: string) => ENTRY_BY_ALIAS.get(compact(keyWords(name)));

/** "(…)", or an unclosed "(…" that ends the name ("Amazon Web Services (AWS"). */
const PARENTHETICAL = /\s*\((?<inner>[^()]*)(?:\)|$)/g;

/** The table entry for a tidied name, by the lookup order at the top of this file. */
function lookup(name: string): OrganizationAliases | undefined {
  if (name.length > MAX_ORGANIZATION_NAME_LENGTH) return undefined;
  const whole = entryOf(name);
  if (whole !== undefined) return whole;
  const qualifiers = [...name.matchAll(PARENTHETICAL)].map((m) => m.groups?.['inner'] ?? '');
  if (qualifiers.length === 0) return undefined;
  const base = entryOf(name.replace(PARENTHETICAL, ' ').replace(/\s+/g, ' ').trim());
  if (base?.umbrella === true) {
    const service = qualifiers.map(entryOf).findLast((entry) => entry !== undefined && entry.umbrella !== true);
    if (service !== undefined) return service;
  }
  return base;
}

/** The table's name for a known provider; any other name tidied, with its legal form kept. "" only for a blank name. */
export function canonicalOrganizationName(asWritten: string): string {
  const name = tidy(asWritten);
  return lookup(name)?.canonical ?? name;
}

function keyOf(asWritten: string): string[] {
  const name = tidy(asWritten);
  const entry = lookup(name);
  const words = keyWords(entry?.canonical ?? name);
  // A name made only of punctuation or "the" still has a key.
  return words.length > 0 ? words : name === '' ? [] : [name.toLowerCase()];
}

/** The comparison key: equal keys mean the same organization ("AWS" and "Amazon Web Services, Inc."). */
export function organizationKey(name: string): string {
  return keyOf(name).join(' ');
}

/** Words too common in company names to identify one on their own ("Cloud Services" is nobody in particular). */
const GENERIC_WORDS: ReadonlySet<string> = new Set([
  'and', 'of', 'for', 'cloud', 'service', 'services', 'solution', 'solutions', 'system', 'systems', 'technology', 'technologies',
  'tech', 'group', 'holding', 'holdings', 'global', 'international', 'data', 'software', 'web', 'network', 'networks',
  'digital', 'computing', 'platform', 'communications', 'online', 'consulting', 'partners', 'management', 'enterprise',
  'enterprises', 'industries', 'labs', 'hosting', 'center', 'centers', 'centre', 'centres', 'infrastructure', 'it',
  'internet', 'america', 'americas', 'american', 'usa', 'us', 'uk', 'eu', 'europe', 'north', 'south', 'east', 'west',
  'national', 'united', 'general', 'first', 'new', 'payments', 'payment', 'security', 'media', 'capital', 'financial',
]);

const distinctive = (word: string) => word.length >= 2 && /\p{L}/u.test(word) && !GENERIC_WORDS.has(word);

/**
 * Whether two names are the same organization: their keys are equal (ignoring spaces), or the words of one key are a
 * leading run of the other's and that shorter key has at least one distinctive word (not generic like "Cloud" or
 * "Services"). So "Acme Solutions" = "Acme Solutions India Private Limited" and "Google LLC" = "Google Cloud Platform"
 * (the parent and its service), but "Google Workspace" ≠ "Google Cloud Platform" and "Cloud Services" ≠ "Cloud
 * Services Acme". The rule compares names, not ownership: "GitHub" ≠ "Microsoft". Blank names match nothing.
 */
export function sameOrganization(a: string, b: string): boolean {
  const keyA = keyOf(a);
  const keyB = keyOf(b);
  if (keyA.length === 0 || keyB.length === 0) return false;
  if (compact(keyA) === compact(keyB)) return true;
  const [shorter, longer] = keyA.length <= keyB.length ? [keyA, keyB] : [keyB, keyA];
  return shorter.every((word, i) => longer[i] === word) && shorter.some(distinctive);
}
