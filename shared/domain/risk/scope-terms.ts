/**
 * How scope fit compares words: text is normalized (lower case, accents and punctuation removed, "e-mail" → "email"),
 * multi-word phrases and synonyms are mapped to one concept, light plurals are folded, and words that say nothing
 * about what a system does ("software", "services", "inc") are dropped. The one synonyms table lives here.
 */

/**
 * Concept → the words and phrases that name it. Matching is on whole normalized words; a phrase is replaced by its
 * concept before the words are split. Keep entries specific: a word listed here matches every other word in its
 * row, so "cloud" is not a synonym of "hosting" (a "cloud payroll system" is not hosting).
 */
export const SCOPE_SYNONYMS: Readonly<Record<string, readonly string[]>> = {
  payroll: ['payroll', 'salary', 'salaries', 'wage', 'wages', 'paycheck', 'payslip', 'compensation'],
  hr: ['hr', 'human resources', 'hris', 'hcm', 'human capital', 'people management', 'workforce management'],
  email: ['email', 'mail', 'smtp', 'mailing', 'newsletter'],
  sms: ['sms', 'text message', 'text messaging', 'otp', 'one time password'],
  messaging: ['messaging', 'message', 'chat', 'instant messaging', 'communication', 'communications', 'cpaas'],
  collaboration: ['collaboration', 'collaborative', 'team', 'teamwork', 'workspace', 'chat'],
  hosting: ['hosting', 'host', 'iaas', 'paas', 'data center', 'datacenter', 'data centre', 'colocation', 'infrastructure'],
  database: ['database', 'db', 'postgres', 'postgresql', 'mysql', 'mongodb', 'data warehouse', 'dbaas'],
  payments: ['payment', 'payments', 'card processing', 'checkout', 'billing', 'invoicing', 'invoice'],
  crm: ['crm', 'customer relationship management', 'sales automation'],
  support: ['support', 'helpdesk', 'help desk', 'ticketing', 'customer service', 'service desk'],
  marketing: ['marketing', 'advertising', 'campaign', 'campaigns', 'website', 'web site', 'landing page'],
  analytics: ['analytics', 'reporting', 'business intelligence', 'bi', 'dashboard', 'dashboards'],
  identity: ['identity', 'sso', 'single sign on', 'authentication', 'iam', 'directory'],
  storage: ['storage', 'file sharing', 'file storage', 'backup', 'backups', 'document management'],
  monitoring: ['monitoring', 'observability', 'logging', 'logs', 'apm', 'alerting'],
  accounting: ['accounting', 'bookkeeping', 'ledger', 'general ledger', 'erp', 'expense', 'expenses'],
  recruiting: ['recruiting', 'recruitment', 'hiring', 'applicant tracking', 'ats', 'talent acquisition'],
  source: ['source code', 'code hosting', 'version control', 'git', 'repository', 'repositories', 'ci cd', 'continuous integration'],
};

/** Words that name no capability: dropped from both sides before comparing. */
export const SCOPE_STOPWORDS: ReadonlySet<string> = new Set([
  'a', 'an', 'and', 'as', 'by', 'for', 'from', 'in', 'of', 'on', 'or', 'the', 'to', 'with', 'its', 'our', 'their',
  'system', 'systems', 'service', 'services', 'software', 'application', 'applications', 'app', 'apps', 'platform',
  'solution', 'solutions', 'product', 'products', 'suite', 'tool', 'tools', 'online', 'web', 'saas', 'cloud', 'based',
  'provider', 'providers', 'management', 'inc', 'llc', 'ltd', 'limited', 'private', 'corp', 'corporation', 'company',
  'gmbh', 'plc', 'co', 'related', 'supporting', 'data', 'customer', 'customers', 'user', 'users',
]);

/** Lower case, accents and punctuation removed, hyphenated words joined ("e-mail" → "email"), single spaces. */
export function normalizeScopeText(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/(\w)-(\w)/g, '$1$2')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

const fold = (word: string) => (word.length > 4 && word.endsWith('ies') ? `${word.slice(0, -3)}y` : word.length > 3 && word.endsWith('s') && !word.endsWith('ss') ? word.slice(0, -1) : word);

/** Phrases longest first, so "human resources" is taken before "resources" could be. */
const PHRASES: readonly { phrase: string; concept: string }[] = Object.entries(SCOPE_SYNONYMS)
  .flatMap(([concept, words]) => words.filter((w) => w.includes(' ')).map((w) => ({ phrase: normalizeScopeText(w), concept })))
  .sort((a, b) => b.phrase.length - a.phrase.length);

/** Single word (as listed and plural-folded) → every concept it names (a word may name two, e.g. "chat"). */
const WORD_CONCEPTS: ReadonlyMap<string, readonly string[]> = (() => {
  const map = new Map<string, string[]>();
  for (const [concept, words] of Object.entries(SCOPE_SYNONYMS)) {
    for (const w of words.filter((x) => !x.includes(' '))) {
      for (const key of new Set([normalizeScopeText(w), fold(normalizeScopeText(w))])) map.set(key, [...new Set([...(map.get(key) ?? []), concept])]);
    }
  }
  return map;
})();

/** One meaningful term of a text: the word as written (normalized) and the concepts it stands for. */
export interface ScopeTerm {
  word: string;
  concepts: string[];
}

/** The terms of a text: phrases of the synonyms table first, then the remaining words minus stop words. */
export function scopeTerms(text: string): ScopeTerm[] {
  let rest = ` ${normalizeScopeText(text)} `;
  const terms: ScopeTerm[] = [];
  for (const { phrase, concept } of PHRASES) {
    const needle = ` ${phrase} `;
    while (rest.includes(needle)) {
      terms.push({ word: phrase, concepts: [concept] });
      rest = rest.replace(needle, ' ');
    }
  }
  for (const raw of rest.split(' ')) {
    if (raw.length < 2 || SCOPE_STOPWORDS.has(raw)) continue;
    // A word the table lists as written keeps its form ("postgres" is not the plural of "postgre").
    const word = WORD_CONCEPTS.has(raw) ? raw : fold(raw);
    if (SCOPE_STOPWORDS.has(word)) continue;
    terms.push({ word, concepts: [...(WORD_CONCEPTS.get(word) ?? [word])] });
  }
  const seen = new Set<string>();
  return terms.filter((t) => (seen.has(t.word) ? false : (seen.add(t.word), true)));
}

/** The capabilities of the synonyms table a text names ("Marketing Website" → marketing), in order. */
export function knownCapabilities(terms: ScopeTerm[]): string[] {
  return [...new Set(terms.flatMap((t) => t.concepts.filter((c) => Object.hasOwn(SCOPE_SYNONYMS, c))))];
}

/** The concept two terms share, or null: same concept through the synonyms table, or the same word. */
export function sharedConcept(a: ScopeTerm, b: ScopeTerm): string | null {
  return a.concepts.find((c) => b.concepts.includes(c)) ?? null;
}
