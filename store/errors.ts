/**
 * Every error the store throws, by name. The API server maps these to Kubernetes
 * Status reasons in one place; nothing else should need to look inside them.
 */

export class StoreError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The requested revision is older than the compaction point. */
export class CompactedError extends StoreError {
  constructor(readonly requested: number, readonly compactedRevision: number) {
    super(`required revision ${requested} has been compacted (compacted revision ${compactedRevision})`);
  }
}

/** The requested revision is newer than the latest committed one. */
export class FutureRevisionError extends StoreError {
  constructor(readonly requested: number, readonly currentRevision: number) {
    super(`required revision ${requested} is a future revision (current revision ${currentRevision})`);
  }
}

/** A key that cannot be stored: empty, or containing NUL. */
export class InvalidKeyError extends StoreError {}

/** rangeEnd sorts before key, or an option is out of range. */
export class InvalidRangeError extends StoreError {}

/** A compare whose target or value is not one the store knows. */
export class InvalidCompareError extends StoreError {}

/** The same key written twice in one transaction (etcd rejects this too). */
export class DuplicateKeyError extends StoreError {}

export class LeaseNotFoundError extends StoreError {
  constructor(readonly leaseId: number) {
    super(`lease ${leaseId} not found`);
  }
}

export class LeaseExistsError extends StoreError {
  constructor(readonly leaseId: number) {
    super(`lease ${leaseId} already exists`);
  }
}

/**
 * A watch ended by the store: the consumer fell too far behind, the store closed, or
 * the history it needed was compacted. `lastRevision` is the last revision the consumer
 * was given; resume with startRevision = lastRevision + 1.
 */
export class WatchCancelledError extends StoreError {
  constructor(readonly reason: 'slow-consumer' | 'closed' | 'compacted', readonly lastRevision: number) {
    super(`watch cancelled (${reason}) after revision ${lastRevision}`);
  }
}

export class StoreClosedError extends StoreError {
  constructor() {
    super('store is closed');
  }
}

/** The backend failed to persist a write; the write (and any queued after it) is not applied. */
export class PersistError extends StoreError {
  constructor(override readonly cause: unknown) {
    super(`store write failed: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}

/** A malformed request: unknown operation, a value that is not bytes, a bad TTL or revision. */
export class InvalidRequestError extends StoreError {}
