/**
 * Building blocks shared by the analyzer's rules: criterion ids, result phrases, deviation rates. One owner for each
 * pattern; named capture groups only.
 */

/** A 2017 trust services criterion id written alone ("CC6.1", "A1.2", "PI1.5", "P4.3"). */
export const TSC_ID = /^(?:CC|PI|A|C|P)\d{1,2}\.\d{1,2}$/;
/** Trust services criterion ids inside text. */
export const TSC_ID_G = /\b(?:CC|PI|A|C|P)\d{1,2}\.\d{1,2}(?![.\d])/g;
/** A control id that extends a criterion: "CC6.1.3", "CC6.1-2", "CC6.1a". */
export const EXTENDED_TSC_ID = /^(?<criterion>(?:CC|PI|A|C|P)\d{1,2}\.\d{1,2})(?:[.-]\d{1,3}[a-z]?|[a-z])$/;

/** The criterion a control or criterion id stands for, when it is one. */
export function criterionOf(id: string): string | null {
  if (TSC_ID.test(id)) return id;
  return EXTENDED_TSC_ID.exec(id)?.groups?.criterion ?? null;
}

/** Every trust services criterion id in a text, in order, once each. */
export function criteriaIn(text: string): string[] {
  return [...new Set([...text.matchAll(TSC_ID_G)].map((m) => m[0]))];
}

/**
 * References to other frameworks in a mapping cell: CSA CCM ("IAM-07", "DSP-01"), ISO 27001 Annex A ("A.9.2.1",
 * "A.5.15"), NIST ("AC-2"), HIPAA ("164.308(a)(1)").
 */
const OTHER_REFERENCE_G = /\b(?:A\.\d{1,2}(?:\.\d{1,2}){1,2}|[A-Z]{2,4}-\d{2}(?:\.\d{1,2})?|\d{3}\.\d{3}(?:\([a-z0-9]{1,3}\))+)(?![\w.]\w)/g;

export function otherReferencesIn(text: string): string[] {
  return [...new Set([...text.matchAll(OTHER_REFERENCE_G)].map((m) => m[0]))];
}

export type ResultClass = 'pass' | 'exception' | 'not-tested' | 'not-applicable';

const NOT_APPLICABLE = /^(?:n\/?a\.?|not applicable\b)/i;
/** The control had nothing to operate on: not tested, not an exception. */
const NOT_TESTED = /did not (?:occur|operate|take place)|could not be tested|no [a-z -]{1,50} (?:were|was) (?:received|made|requested|initiated|submitted|hired|terminated|identified|reported)\b[^.]{0,80}\bduring the (?:examination |review )?period|(?:were|was) no (?:instances?|occurrences?|new hires|terminations|changes|incidents)\b|no (?:instances?|occurrences?)\b[^.]{0,80}\b(?:occurred|during|noted)|no testing (?:of (?:the )?operating effectiveness )?(?:was|could be|has been) performed|not tested\b|no testing performed|(?:testing|tests?) (?:was|were) not performed|circumstances that warrant the operation/i;
const PASS =
  /\bno (?:relevant |material |significant |other )?(?:exceptions?|deviations?)(?: (?:were|was))?(?: (?:noted|identified|found|observed|reported))?\b|\bnone noted\b|without (?:exception|deviation)|^(?:none|effective|passed|satisfactory|operating effectively|no exceptions?)\.?$|control operated as (?:described|designed)|(?:exceptions?|deviations?)(?:\(s\))?(?: noted)?\s*:\s*none\b/i;
const EXCEPTION = /\b(?:exceptions?|deviations?)(?:\(s\))?\b|\bnot (?:performed|retained|completed|approved|revoked|reviewed|removed|documented|obtained|available|provided|signed|acknowledged)\b/i;
/** "For 2 of 25 …": a sample rate, named group `failed` / `sample`. */
export const DEVIATION_RATE = /\b(?<failed>\d{1,4}|one|two|three|four|five|six|seven|eight|nine|ten)\s+(?:of|out of)\s+(?:the\s+)?(?<sample>\d{1,5})\b/i;
const FAILURE_WORD = /\b(?:not|late|without|lack(?:ed|ing)?|missing|no evidence|exceed(?:ed|ing)|unable|incomplete|outdated|expired|after)\b/i;

/** What a result cell says about the test: passed, found an exception, not tested, or not applicable. */
export function classifyResult(cell: string): ResultClass | null {
  const text = cell.replace(/\s+/g, ' ').trim();
  if (text.length === 0) return null;
  if (NOT_APPLICABLE.test(text)) return 'not-applicable';
  if (NOT_TESTED.test(text) && !/\b(?:exceptions?|deviations?)(?:\(s\))? (?:(?:was|were) )?noted:/i.test(text)) return 'not-tested';
  const pass = PASS.exec(text);
  // "No exceptions noted." then a second sentence describing a failure is still an exception.
  if (pass && !(DEVIATION_RATE.test(text) && FAILURE_WORD.test(text.slice(pass.index + pass[0].length)))) return 'pass';
  if (EXCEPTION.test(text)) return 'exception';
  if (DEVIATION_RATE.test(text) && FAILURE_WORD.test(text)) return 'exception';
  return null;
}

/** "2 of 25" as written, when the text states a deviation rate. */
export function deviationRateIn(text: string): string | null {
  const m = DEVIATION_RATE.exec(text);
  return m?.groups ? `${m.groups.failed} of ${m.groups.sample}` : null;
}

/** Where a management response starts inside a cell or paragraph. */
export const RESPONSE_LABEL = /(?:management'?s?\s+responses?(?:\s+to\s+(?:the\s+)?(?:exceptions?|deviations?))?|responses?\s+(?:from|of)\s+management)\s*:?/i;
