/**
 * Identifiers as people write them: "soc2-report" is a "SOC 2 report", "type2" is "Type II", "iso-certificate" an
 * "ISO 27001 certificate". One table for every page and mail that shows one of these words (issue 16, item 5);
 * anything else is its words with the first letter capitalised ("approved-with-conditions" → "Approved with
 * conditions"). Pure, unit-tested in test/unit/labels.test.ts.
 */

/** The words of identifiers whose plain spelling would be wrong (acronyms, numerals, proper names), lower-case start. */
const TERMS: Readonly<Record<string, string>> = {
  'soc2-report': 'SOC 2 report',
  'bridge-letter': 'bridge letter',
  'iso-certificate': 'ISO 27001 certificate',
  iso27001: 'ISO 27001 certificate',
  soc1: 'SOC 1 report',
  soc2: 'SOC 2 report',
  soc3: 'SOC 3 report',
  type1: 'Type I',
  type2: 'Type II',
  'soc2-type1': 'SOC 2 Type I',
  'soc2-type2': 'SOC 2 Type II',
  'soc2-unknown-type': 'SOC 2 (type not stated)',
  'yes-no': 'yes or no',
  na: 'not applicable',
  'n/a': 'not applicable',
};

const capitalised = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

/**
 * An identifier in words. `position: 'start'` (the default) capitalises the first letter, as a label or the start
 * of a sentence needs; `'inside'` keeps the term's own case for the middle of a sentence ("upload the bridge
 * letter"). Empty → "—".
 */
export function humanLabel(value: string | number | null | undefined, position: 'start' | 'inside' = 'start'): string {
  if (value === null || value === undefined || value === '') return '—';
  const text = String(value);
  const known = TERMS[text.toLowerCase()];
  const words = known ?? text.replace(/-/g, ' ');
  return position === 'start' ? capitalised(words) : known ?? words.toLowerCase();
}
