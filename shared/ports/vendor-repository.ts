import type { AuditEvent } from '../domain/audit.ts';
import type { Page } from './page.ts';
import type { Criticality, Tier, Vendor, VendorStatus } from '../domain/vendor.ts';

export interface VendorListFilter {
  /** Case-insensitive prefix of the vendor's name. */
  namePrefix?: string;
  tier?: Tier;
  criticality?: Criticality;
  status?: VendorStatus;
}

/** Vendors, each write carrying the audit event of the change so both land together or not at all. */
export interface VendorRepository {
  /** Stores a new vendor; `ConflictError` (vendor-exists) when the name is taken. */
  insertVendor(vendor: Vendor, event: AuditEvent): Promise<void>;
  getVendor(id: string): Promise<Vendor | null>;
  /** Vendors sorted by name, filtered, one page at a time. */
  listVendors(filter: VendorListFilter, page: { limit: number; cursor?: string }): Promise<Page<Vendor>>;
  /** Replaces the vendor if its stored version is still `expectedVersion`, else `ConcurrentUpdateError`. */
  replaceVendor(vendor: Vendor, expectedVersion: number, event: AuditEvent): Promise<void>;
}
