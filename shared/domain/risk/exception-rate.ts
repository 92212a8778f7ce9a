/** Reads the failure rate a SOC 2 exception states ("2 of 25", "two of 25 samples", "3/40"). */

export interface ExceptionRate {
  failures: number;
  sample: number;
}

const NUMBER_WORDS: Readonly<Record<string, number>> = {
  one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17, eighteen: 18,
  nineteen: 19, twenty: 20, twenty_five: 25, thirty: 30, forty: 40, fifty: 50, sixty: 60,
};

const NUMBER = String.raw`(\d{1,5}|${Object.keys(NUMBER_WORDS).map((w) => w.replace('_', '[- ]')).join('|')})`;
/** "2 of 25", "two out of 25", "1 of the 60". */
const OF_PATTERN = new RegExp(String.raw`\b${NUMBER}(?:\s*\(\d{1,5}\))?\s+(?:out\s+)?of\s+(?:the\s+|a\s+total\s+of\s+)?${NUMBER}\b`, 'gi');
/** "3/40", but not a date such as 06/30/2025. */
const SLASH_PATTERN = /(?<![\d/.])(\d{1,4})\s*\/\s*(\d{1,5})(?![\d/])/g;
/** Words just before a match that mean it is the sample's selection ("a sample of 25 of 61 users"), not failures. */
const SELECTION_BEFORE = /\b(?:sample(?:d)?|selected|selection|population|inspected|tested)\s*(?:of\s*)?$/i;

function toNumber(token: string): number | null {
  if (/^\d+$/.test(token)) return Number(token);
  return NUMBER_WORDS[token.toLowerCase().replace(/[- ]/, '_')] ?? null;
}

/**
 * The first stated rate in an exception's description, or null when none is stated. Selections of a sample from a
 * population ("a sample of 25 of 61") are skipped, as are ratios that cannot be rates (failures above the sample).
 */
export function parseExceptionRate(description: string): ExceptionRate | null {
  const text = description.replace(/\s+/g, ' ');
  const candidates: { index: number; failures: number; sample: number }[] = [];
  for (const pattern of [OF_PATTERN, SLASH_PATTERN]) {
    for (const match of text.matchAll(pattern)) {
      const failures = toNumber(match[1]!);
      const sample = toNumber(match[2]!);
      if (failures === null || sample === null) continue;
      if (SELECTION_BEFORE.test(text.slice(Math.max(0, match.index - 30), match.index))) continue;
      candidates.push({ index: match.index, failures, sample });
    }
  }
  const best = candidates
    .filter((c) => c.sample > 0 && c.failures > 0 && c.failures <= c.sample)
    .sort((a, b) => a.index - b.index)[0];
  return best ? { failures: best.failures, sample: best.sample } : null;
}
