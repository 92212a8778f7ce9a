/** Vendor use cases: register, list, read, change. Each change is stored with its audit event. */
import { eventOf, staffActor, SYSTEM } from './audit-events.ts';
import { ConcurrentUpdateError, NotFoundError, TrustgateError } from '../domain/errors.ts';
import type { Principal } from '../domain/roles.ts';
import { newVendor, patchVendor, type Vendor, type VendorIntake, type VendorPatch } from '../domain/vendor.ts';
import type { Page } from '../ports/page.ts';
import type { VendorListFilter } from '../ports/vendor-repository.ts';
import type { AppDeps } from './deps.ts';

type Deps = Pick<AppDeps, 'vendors' | 'clock' | 'ids'>;

const actorOf = (p: Principal) => p.email ?? p.subject;

/** The caller's `If-Match` version did not match the stored one. */
export class VersionMismatchError extends TrustgateError {
  constructor(id: string, current: number) {
    super('version-mismatch', `Vendor ${id} is at version ${current}; read it again before changing it`);
    this.name = 'VersionMismatchError';
  }
}

/** Registers a vendor from procurement's intake; computes its inherent-risk tier. */
export async function registerVendor(deps: Deps, principal: Principal, intake: VendorIntake): Promise<Vendor> {
  const now = deps.clock.now().toISOString();
  const vendor = newVendor(intake, { id: deps.ids.newId(), now, actor: actorOf(principal) });
  const event = eventOf(deps, staffActor(principal), 'vendor.registered', { type: 'vendor', id: vendor.id }, `Registered ${vendor.name} (${vendor.criticality} criticality, tier ${vendor.inherentRisk.tier})`, {
    targetVersion: vendor.version,
    at: now,
  });
  await deps.vendors.insertVendor(vendor, event);
  return vendor;
}

/** One vendor, or `NotFoundError`. */
export async function getVendor(deps: Pick<AppDeps, 'vendors'>, id: string): Promise<Vendor> {
  const vendor = await deps.vendors.getVendor(id);
  if (!vendor) throw new NotFoundError('Vendor', id);
  return vendor;
}

/** Vendors sorted by name, filtered, a page at a time. */
export async function listVendors(deps: Pick<AppDeps, 'vendors'>, filter: VendorListFilter, page: { limit: number; cursor?: string }): Promise<Page<Vendor>> {
  return deps.vendors.listVendors(filter, page);
}

/**
 * Changes a vendor's profile. With `expectedVersion` (the client's If-Match) a stale copy is refused;
 * without it the patch is re-applied on the fresh record when a concurrent write wins, up to 3 times.
 */
export async function updateVendor(deps: Deps, principal: Principal, id: string, patch: VendorPatch, expectedVersion?: number): Promise<Vendor> {
  for (let attempt = 1; ; attempt++) {
    const current = await getVendor(deps, id);
    if (expectedVersion !== undefined && current.version !== expectedVersion) throw new VersionMismatchError(id, current.version);
    const now = deps.clock.now().toISOString();
    const { vendor, changed } = patchVendor(current, patch, now);
    if (changed.length === 0) return current;
    const changes = Object.fromEntries(changed.map((k) => [k, { from: (current as unknown as Record<string, unknown>)[k], to: (vendor as unknown as Record<string, unknown>)[k] }]));
    const tierNote = vendor.inherentRisk.tier !== current.inherentRisk.tier ? `; tier ${current.inherentRisk.tier} → ${vendor.inherentRisk.tier}` : '';
    const event = eventOf(deps, staffActor(principal), 'vendor.updated', { type: 'vendor', id }, `Changed ${changed.join(', ')}${tierNote}`, { targetVersion: vendor.version, changes, at: now });
    try {
      await deps.vendors.replaceVendor(vendor, current.version, event);
      return vendor;
    } catch (error) {
      if (error instanceof ConcurrentUpdateError && expectedVersion === undefined && attempt < 3) continue;
      throw error;
    }
  }
}

/**
 * An approved assessment makes an onboarding vendor active (an offboarded or already active one is left as it is).
 * Idempotent, so the workflow's finalize step may run it again after a crash.
 */
export async function activateVendorAfterApproval(deps: Deps, vendorId: string, assessmentId: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const current = await getVendor(deps, vendorId);
    if (current.status !== 'onboarding') return;
    const now = deps.clock.now().toISOString();
    const { vendor } = patchVendor(current, { status: 'active' }, now);
    const event = eventOf(deps, SYSTEM, 'vendor.activated', { type: 'vendor', id: vendorId }, `Active: assessment ${assessmentId} approved`, {
      targetVersion: vendor.version,
      changes: { status: { from: current.status, to: vendor.status } },
      at: now,
    });
    try {
      await deps.vendors.replaceVendor(vendor, current.version, event);
      return;
    } catch (error) {
      if (error instanceof ConcurrentUpdateError && attempt < 4) continue;
      throw error;
    }
  }
}

/** Every vendor, all pages (for reports over the whole portfolio: the register, the daily sweep). */
export async function listAllVendors(deps: Pick<AppDeps, 'vendors'>): Promise<Vendor[]> {
  const vendors: Vendor[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.vendors.listVendors({}, { limit: 100, ...(cursor ? { cursor } : {}) });
    vendors.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return vendors;
}
