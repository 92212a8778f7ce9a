/**
 * The portfolio of the scale benchmark (`npm run bench:scale`), vendor by vendor: realistic profiles, an assessment in
 * a plausible status, a scored register line, its audit history and, once approved, its review schedule. Also loaded
 * by `test/integration/bulk-loader.test.ts`, which checks that what the bulk loader writes reads back through the
 * repositories.
 */
import type { PortfolioEntry } from '../shared/adapters/aws/dynamo-bulk-loader.ts';
import { addDays, addMonths, newAssessment, type Assessment, type AssessmentStatus } from '../shared/domain/assessment.ts';
import { nextWatchDay, type ReviewSchedule } from '../shared/domain/review-schedule.ts';
import { lineWithVendor, type RegisterLine } from '../shared/domain/risk-register.ts';
import { RISK_RATINGS } from '../shared/domain/risk/risk-policy.ts';
import { newVendor, vendorIntakeSchema, type Vendor } from '../shared/domain/vendor.ts';

const PROVIDERS = Array.from({ length: 40 }, (_, i) => `Provider ${String.fromCharCode(65 + (i % 26))}${i} Cloud Inc.`);
export const pad = (i: number) => String(i).padStart(6, '0');
/** Seeded vendors are watched from this many days after `today` at the earliest: only the vendors a scenario makes due are swept. */
export const SEEDED_WATCH_AFTER_DAYS = 5;

/** A realistic vendor: profile spread over the tiers, an assessment in a plausible status, a scored line, its history. */
export function scalePortfolioEntry(i: number, today: string): PortfolioEntry {
  const criticality = (['low', 'medium', 'high', 'critical'] as const)[i % 4];
  const created = new Date(Date.parse('2024-01-01T00:00:00Z') + (i % 1000) * 86_400_000).toISOString();
  const vendor: Vendor = {
    ...newVendor(
      vendorIntakeSchema.parse({
        name: `Scale Vendor ${pad(i)}`,
        website: `https://vendor-${i}.example`,
        contactEmail: `security@vendor-${i}.example`,
        criticality,
        dataClassification: (['public', 'internal', 'confidential', 'restricted'] as const)[(i >> 2) % 4],
        dataTypes: i % 3 === 0 ? ['personal'] : ['customer-content'],
        systemAccess: (['none', 'network', 'privileged'] as const)[i % 3],
        recordVolume: '1k-100k',
      }),
      { id: `v-${pad(i)}`, now: created, actor: 'procurement@example.com' },
    ),
    status: i % 20 === 0 ? 'offboarded' : i % 7 === 0 ? 'onboarding' : 'active',
  };
  const statuses: AssessmentStatus[] = ['approved', 'approved', 'approved', 'approved', 'approved', 'approved', 'awaiting-review', 'awaiting-vendor', 'needs-attention', 'rejected'];
  const status = statuses[i % 10]!;
  const base = newAssessment({ id: `a-${pad(i)}`, vendor: { id: vendor.id, name: vendor.name, contactEmail: vendor.contactEmail, tier: vendor.inherentRisk.tier }, templates: [{ id: 'baseline-security', version: '1.0.0' }], dueDate: addDays(created.slice(0, 10), 30), requestedBy: 'procurement@example.com', now: created });
  const final = status === 'approved' || status === 'rejected';
  const nextReviewDate = status === 'approved' ? addMonths(created.slice(0, 10), 12 + (i % 24)) : null;
  const assessment: Assessment = { ...base, status, nextReviewDate, version: 4, updatedAt: created };
  const scored = status !== 'awaiting-vendor';
  const rating = scored ? RISK_RATINGS[(i * 7) % 4]! : null;
  const line: RegisterLine = {
    ...lineWithVendor(null, vendor, created),
    rating,
    computedRating: rating,
    score: scored ? (i * 13) % 100 : null,
    openFindings: scored ? i % 5 : 0,
    highestOpenSeverity: scored && i % 5 ? 'medium' : null,
    nextReviewDate,
    assessmentId: assessment.id,
    assessmentStatus: status,
    policyVersion: scored ? '2026-11' : null,
    subservices: scored ? PROVIDERS.slice(i % 40, (i % 40) + (i % 3)) : [],
  };
  const event = (n: number, target: { type: 'vendor' | 'assessment'; id: string }, action: string, at: string) => ({
    id: `e-${pad(i)}-${n}`,
    at,
    actor: 'procurement@example.com',
    role: 'procurement' as const,
    action,
    target,
    targetVersion: null,
    summary: `${action} (seeded)`,
    changes: null,
  });
  const events = [
    event(1, { type: 'vendor', id: vendor.id }, 'vendor.registered', created),
    event(2, { type: 'assessment', id: assessment.id }, 'assessment.started', created),
    event(3, { type: 'assessment', id: assessment.id }, 'assessment.submitted', created),
    ...(final ? [event(4, { type: 'assessment', id: assessment.id }, 'assessment.decided', created)] : []),
  ];
  const schedule: ReviewSchedule | null = nextReviewDate
    ? { vendorId: vendor.id, assessmentId: assessment.id, nextReviewDate, watchFrom: [nextWatchDay({ nextReviewDate }, today), addDays(today, SEEDED_WATCH_AFTER_DAYS)].sort().at(-1)! }
    : null;
  return { vendor, line, assessments: [assessment], events, schedule };
}

/** Seeded vendors with an approved assessment and not offboarded: the sweep can reassess or notify them. */
export const sweepable = (i: number) => i % 10 < 6 && i % 20 !== 0;
