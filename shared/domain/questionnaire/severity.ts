/** Severities of tips and findings, least to most severe (zod-free, so that the browser bundles can import it). */
export const SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** A severity's rank (higher is more severe); -1 for none. */
export const severityRank = (severity: Severity | undefined): number => (severity === undefined ? -1 : SEVERITIES.indexOf(severity));
