/** Fourth parties: the providers our vendors depend on, their concentration, and the vendors on each. */
import { createRoute, z } from '@hono/zod-openapi';
import type { AppDeps } from '../../app/deps.ts';
import { getFourthParty, listFourthParties } from '../../app/fourth-parties.ts';
import { staff } from '../access.ts';
import type { ApiBuilder } from '../api-builder.ts';
import { commonProblems, jsonResponse, pageQuerySchema, problemResponse } from '../schemas.ts';

const STAFF = staff('procurement', 'security', 'admin');

const counts = z.record(z.string(), z.number());
const citation = z.object({ documentId: z.string(), fileName: z.string(), page: z.number().nullable() });
const finding = z
  .object({
    ruleId: z.literal('fourth-party-concentration'),
    severity: z.string(),
    policyVersion: z.string(),
    title: z.string(),
    share: z.number(),
    tier1Vendors: z.number(),
    portfolioTier1Vendors: z.number(),
    threshold: z.object({ maxShareOfTier1: z.number(), minVendors: z.number() }),
  })
  .openapi('FourthPartyConcentrationFinding');
const provider = z
  .object({
    providerKey: z.string(),
    provider: z.string(),
    vendors: z.number(),
    byTier: counts,
    byDataClassification: counts,
    byMethod: counts,
    tier1Share: z.number(),
    concentration: finding.nullable(),
  })
  .openapi('FourthParty');
const member = z
  .object({
    providerKey: z.string(),
    provider: z.string(),
    vendorId: z.string(),
    vendorName: z.string(),
    tier: z.number(),
    criticality: z.string(),
    dataClassification: z.string().nullable(),
    method: z.enum(['carve-out', 'inclusive']),
    services: z.string().nullable(),
    region: z.string().nullable(),
    citation,
    assessmentId: z.string().nullable(),
  })
  .openapi('FourthPartyVendor');

export function registerFourthPartyRoutes(api: ApiBuilder, deps: AppDeps): void {
  api.route(
    createRoute({
      method: 'get',
      path: '/api/fourth-parties',
      tags: ['Risk'],
      summary: "The providers our vendors' current reports name (fourth parties): vendors on each by tier and data classification, share of tier-1 vendors, concentration finding",
      description:
        'From counters maintained with every change of a vendor or its scored evidence (no scan). `sort=concentration` (default) lists the providers with the most tier-1 vendors first; ' +
        '`sort=name` by provider. A provider above the policy’s `fourthPartyConcentration` threshold carries its portfolio-level finding.',
      request: { query: z.object({ ...pageQuerySchema, sort: z.enum(['concentration', 'name']).default('concentration') }).strict() },
      responses: {
        200: jsonResponse(
          z.object({ items: z.array(provider), nextCursor: z.string().nullable(), portfolioTier1Vendors: z.number(), policy: z.object({ version: z.string(), maxShareOfTier1: z.number(), minVendors: z.number(), severity: z.string() }) }),
          'One page of providers',
        ),
        ...commonProblems,
      },
    }),
    STAFF,
    async (c) => {
      const q = c.req.valid('query');
      return c.json(await listFourthParties(deps, q.sort, { limit: q.limit, ...(q.cursor ? { cursor: q.cursor } : {}) }), 200);
    },
  );

  api.route(
    createRoute({
      method: 'get',
      path: '/api/fourth-parties/{provider}',
      tags: ['Risk'],
      summary: 'One provider and the vendors that depend on it (which of our vendors go down if it fails): tier, data classification, method, services, region, citation',
      description: 'Vendors tier 1 first, then by name, a page at a time. When the provider raises the concentration finding, `evidence` lists its tier-1 vendors on this page with the report and page that name it.',
      request: {
        params: z.object({ provider: z.string().regex(/^[\p{L}\p{N}-]{1,200}$/u, { message: 'a providerKey from the list' }).openapi({ param: { name: 'provider', in: 'path' }, example: 'amazon-web-services' }) }),
        query: z.object(pageQuerySchema).strict(),
      },
      responses: {
        200: jsonResponse(
          z.object({ provider, vendors: z.array(member), nextCursor: z.string().nullable(), evidence: z.array(z.object({ vendorId: z.string(), vendorName: z.string(), documentId: z.string(), fileName: z.string(), page: z.number().nullable() })) }),
          'The provider and one page of its vendors',
        ),
        404: problemResponse('No vendor depends on this provider'),
        ...commonProblems,
      },
    }),
    STAFF,
    async (c) => {
      const q = c.req.valid('query');
      return c.json(await getFourthParty(deps, c.req.valid('param').provider, { limit: q.limit, ...(q.cursor ? { cursor: q.cursor } : {}) }), 200);
    },
  );
}
