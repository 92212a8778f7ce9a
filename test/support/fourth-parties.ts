/** Vendors whose analyzed SOC 2 reports name given subservice organizations, through the API (fourth-party tests). */
import { expect } from 'vitest';
import { renderReport } from '../fixtures/soc2-corpus/render-report.ts';
import type { SocReportSpec, SubserviceFact } from '../fixtures/soc2-corpus/spec-types.ts';
import { corpusSpecs } from '../fixtures/soc2-corpus/specs.ts';
import { answerEverything, inDays, portalTokenFromOutbox, registerVendor, startAssessmentFor, upload } from './journey.ts';
import type { TestStack } from './test-stack.ts';

export const AWS_US_EAST: SubserviceFact = { name: 'Amazon Web Services, Inc.', alias: 'AWS', services: 'cloud hosting in the us-east-1 region', method: 'carve-out' };
export const NORTHWIND: SubserviceFact = { name: 'Northwind Data Centers LLC', services: 'colocation data center services', method: 'inclusive' };
/** An intake profile whose inherent risk is tier 1, and one of tier 4. */
export const TIER_1 = { criticality: 'critical', dataClassification: 'restricted', dataTypes: ['health', 'payment'], systemAccess: 'privileged', recordVolume: 'over-1m' };
export const TIER_4 = { criticality: 'low', dataClassification: 'internal', dataTypes: [], systemAccess: 'none', recordVolume: 'under-1k' };

/** A clean, fresh SOC 2 Type II of the corpus naming `subservice`. */
export async function reportNaming(id: string, subservice: SubserviceFact[]): Promise<Buffer> {
  const base = corpusSpecs.find((s): s is SocReportSpec => s.id === 'classic-01-unqualified')!;
  const spec: SocReportSpec = { ...base, id, exceptions: [], subservice, periodStart: inDays(-396), periodEnd: inDays(-31), reportDate: inDays(-14) };
  return Buffer.from((await renderReport(spec)).bytes);
}

/** Starts an assessment of the vendor and takes it through submission with `report`; returns its id. */
export async function submittedWith(stack: TestStack, vendorId: string, contact: string, report: Buffer): Promise<string> {
  const assessmentId = await startAssessmentFor(stack, vendorId);
  const portal = await portalTokenFromOutbox(stack, contact);
  await answerEverything(stack, portal);
  expect((await upload(stack, portal, report)).status).toBe(201);
  expect((await stack.call('POST', '/api/portal/submit', { token: portal })).status).toBe(200);
  await stack.settle();
  return assessmentId;
}

/** Registers a vendor (its own contact address) and takes one assessment through submission with `report`. */
export async function assessedVendor(stack: TestStack, name: string, profile: Record<string, unknown>, report: Buffer): Promise<{ vendorId: string; assessmentId: string; contact: string }> {
  const contact = `security@${name.toLowerCase().replaceAll(' ', '-')}.example`;
  const vendorId = await registerVendor(stack, { name, contactEmail: contact, ...profile });
  return { vendorId, assessmentId: await submittedWith(stack, vendorId, contact, report), contact };
}
