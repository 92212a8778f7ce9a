/** What the use cases need from the outside world, built once per process by a composition root. */
import type { AuditLog } from '../ports/audit-log.ts';
import type { Clock, IdGenerator } from '../ports/clock.ts';
import type { DocumentStore } from '../ports/document-store.ts';
import type { Mailer, Outbox } from '../ports/mailer.ts';
import type { TokenVerifier } from '../ports/token-verifier.ts';
import type { VendorRepository } from '../ports/vendor-repository.ts';

export interface AppDeps {
  vendors: VendorRepository;
  auditLog: AuditLog;
  documents: DocumentStore;
  mailer: Mailer;
  /** Local mode only: the mail that was written instead of sent. */
  outbox: Outbox | null;
  tokens: TokenVerifier;
  clock: Clock;
  ids: IdGenerator;
  mode: 'local' | 'aws';
  publicBaseUrl: string;
}
