/**
 * The AICPA 2017 Trust Services Criteria ids (unchanged by the 2022 points of focus) and the category each belongs
 * to. Questionnaire questions map to these ids so that answers and SOC 2 evidence can be scored side by side.
 */

export const TSC_CATEGORIES = ['security', 'availability', 'confidentiality', 'processing-integrity', 'privacy'] as const;
export type TscCategory = (typeof TSC_CATEGORIES)[number];

const range = (prefix: string, major: number, count: number): string[] =>
  Array.from({ length: count }, (_, i) => `${prefix}${major}.${i + 1}`);

/** All 61 criteria ids, in the order the AICPA publishes them. */
export const TSC_CRITERIA_IDS: readonly string[] = [
  ...range('CC', 1, 5),
  ...range('CC', 2, 3),
  ...range('CC', 3, 4),
  ...range('CC', 4, 2),
  ...range('CC', 5, 3),
  ...range('CC', 6, 8),
  ...range('CC', 7, 5),
  ...range('CC', 8, 1),
  ...range('CC', 9, 2),
  ...range('A', 1, 3),
  ...range('C', 1, 2),
  ...range('PI', 1, 5),
  ...range('P', 1, 1),
  ...range('P', 2, 1),
  ...range('P', 3, 2),
  ...range('P', 4, 3),
  ...range('P', 5, 2),
  ...range('P', 6, 7),
  ...range('P', 7, 1),
  ...range('P', 8, 1),
];

const criteriaSet = new Set(TSC_CRITERIA_IDS);

/**
 * The shape of a criterion id as reports write it, 2017 or pre-2017 numbering ("CC6.1", "CC5.8", "A1.2", "PI1.3",
 * "P4.3"), as a pattern source to anchor or search with.
 */
export const CRITERION_ID_PATTERN = String.raw`(?:CC\d\.\d{1,2}|A1\.\d|C1\.\d|PI1\.\d|P\d\.\d)`;

/** True when `id` is one of the 61 Trust Services Criteria ids (case-sensitive, e.g. "CC6.1", "A1.2", "P4.3"). */
export function isCriterionId(id: string): boolean {
  return criteriaSet.has(id);
}

/** The category a criterion id belongs to; the common criteria (CC) are the Security category. */
export function categoryOfCriterion(id: string): TscCategory {
  if (id.startsWith('CC')) return 'security';
  if (id.startsWith('PI')) return 'processing-integrity';
  if (id.startsWith('A')) return 'availability';
  if (id.startsWith('C')) return 'confidentiality';
  return 'privacy';
}

/** The common-criteria group of an id ("CC6.1" → "CC6"), or undefined for the other categories. */
export function commonCriteriaGroup(id: string): string | undefined {
  const match = /^(CC\d)\./.exec(id);
  return match?.[1];
}
