/** Vendor intake and profile routes. */
import { createRoute, z } from '@hono/zod-openapi';
import { listAuditTrail } from '../../app/audit.ts';
import type { AppDeps } from '../../app/deps.ts';
import { getVendor, listVendors, registerVendor, updateVendor } from '../../app/vendors.ts';
import type { Tier } from '../../domain/vendor.ts';
import { CRITICALITIES, VENDOR_STATUSES, vendorIntakeSchema, vendorPatchSchema } from '../../domain/vendor.ts';
import { staff } from '../access.ts';
import type { ApiBuilder } from '../api-builder.ts';
import { auditEventSchema, commonProblems, idParamSchema, jsonBody, jsonResponse, pageOf, pageQuerySchema, problemResponse, vendorSchema } from '../schemas.ts';


const ifMatchHeader = z.object({
  'if-match': z
    .string()
    .regex(/^(W\/)?"?\d+"?$/, { message: 'If-Match is the ETag of the vendor, e.g. "3"' })
    .optional()
    .openapi({ description: 'ETag from GET: refuse the change if the vendor changed since' }),
});

const parseEtag = (value: string | undefined) => (value === undefined ? undefined : Number(value.replace(/^W\//, '').replaceAll('"', '')));

export function registerVendorRoutes(api: ApiBuilder, deps: AppDeps): void {
  api.route(
    createRoute({
      method: 'post',
      path: '/api/vendors',
      tags: ['Vendors'],
      summary: 'Register a vendor',
      description: 'Creates a vendor from procurement intake and computes its inherent-risk tier.',
      request: { body: jsonBody(vendorIntakeSchema) },
      responses: {
        201: jsonResponse(vendorSchema, 'Vendor registered'),
        ...commonProblems,
        409: problemResponse('A vendor with that name exists'),
      },
    }),
    staff('procurement', 'admin'),
    async (c) => {
      const vendor = await registerVendor(deps, c.get('principal'), c.req.valid('json'));
      c.header('Location', `/api/vendors/${vendor.id}`);
      c.header('ETag', `"${vendor.version}"`);
      return c.json(vendor, 201);
    },
  );

  api.route(
    createRoute({
      method: 'get',
      path: '/api/vendors',
      tags: ['Vendors'],
      summary: 'List vendors',
      description: 'Sorted by name. Filters combine; `q` matches the start of the name, case-insensitively.',
      request: {
        query: z
          .object({
            q: z.string().trim().min(1).max(200).optional(),
            tier: z.coerce.number().int().min(1).max(4).optional(),
            criticality: z.enum(CRITICALITIES).optional(),
            status: z.enum(VENDOR_STATUSES).optional(),
            ...pageQuerySchema,
          })
          .strict(),
      },
      responses: { 200: jsonResponse(pageOf(vendorSchema, 'VendorPage'), 'A page of vendors'), ...commonProblems },
    }),
    staff('procurement', 'security', 'admin'),
    async (c) => {
      const q = c.req.valid('query');
      const page = await listVendors(
        deps,
        { ...(q.q ? { namePrefix: q.q } : {}), ...(q.tier ? { tier: q.tier as Tier } : {}), ...(q.criticality ? { criticality: q.criticality } : {}), ...(q.status ? { status: q.status } : {}) },
        { limit: q.limit, ...(q.cursor ? { cursor: q.cursor } : {}) },
      );
      return c.json(page, 200);
    },
  );

  api.route(
    createRoute({
      method: 'get',
      path: '/api/vendors/{id}',
      tags: ['Vendors'],
      summary: 'Read a vendor',
      request: { params: idParamSchema },
      responses: { 200: jsonResponse(vendorSchema, 'The vendor'), ...commonProblems, 404: problemResponse('No such vendor') },
    }),
    staff('procurement', 'security', 'admin'),
    async (c) => {
      const vendor = await getVendor(deps, c.req.valid('param').id);
      c.header('ETag', `"${vendor.version}"`);
      return c.json(vendor, 200);
    },
  );

  api.route(
    createRoute({
      method: 'patch',
      path: '/api/vendors/{id}',
      tags: ['Vendors'],
      summary: 'Change a vendor',
      description: 'Send only the fields to change. With If-Match, a change to a vendor someone else changed meanwhile is refused (412).',
      request: { params: idParamSchema, headers: ifMatchHeader, body: jsonBody(vendorPatchSchema) },
      responses: {
        200: jsonResponse(vendorSchema, 'The changed vendor'),
        ...commonProblems,
        404: problemResponse('No such vendor'),
        409: problemResponse('Name taken, or a concurrent change won'),
        412: problemResponse('If-Match does not match the current version'),
      },
    }),
    staff('procurement', 'admin'),
    async (c) => {
      const expected = parseEtag(c.req.valid('header')['if-match']);
      const vendor = await updateVendor(deps, c.get('principal'), c.req.valid('param').id, c.req.valid('json'), expected);
      c.header('ETag', `"${vendor.version}"`);
      return c.json(vendor, 200);
    },
  );

  api.route(
    createRoute({
      method: 'get',
      path: '/api/vendors/{id}/audit',
      tags: ['Vendors', 'Audit'],
      summary: "A vendor's audit trail",
      request: { params: idParamSchema, query: z.object(pageQuerySchema).strict() },
      responses: { 200: jsonResponse(pageOf(auditEventSchema, 'AuditEventPage'), 'Audit events, oldest first'), ...commonProblems, 404: problemResponse('No such vendor') },
    }),
    staff('procurement', 'security', 'admin'),
    async (c) => {
      const { id } = c.req.valid('param');
      await getVendor(deps, id);
      const q = c.req.valid('query');
      return c.json(await listAuditTrail(deps, { type: 'vendor', id }, { limit: q.limit, ...(q.cursor ? { cursor: q.cursor } : {}) }), 200);
    },
  );
}
