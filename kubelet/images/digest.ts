/**
 * Content digests ("sha256:<64 hex>"): parsing, computing, and a hashing pass-through.
 * Only sha256 is accepted: it is what every registry and the OCI layout use, and refusing
 * other algorithms keeps a malformed digest from ever becoming a file name.
 */
import { createHash, type Hash } from 'node:crypto';

const SHA256_DIGEST = /^sha256:([a-f0-9]{64})$/;

/** The hex part of a sha256 digest; throws on anything else (never a path fragment). */
export function digestHex(digest: string): string {
  const m = SHA256_DIGEST.exec(digest);
  if (!m) throw new Error(`invalid digest ${JSON.stringify(digest)}: want sha256:<64 lowercase hex>`);
  return m[1]!;
}

export function isDigest(value: string): boolean {
  return SHA256_DIGEST.test(value);
}

export function sha256Digest(data: Uint8Array | string): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

/** Incremental sha256 that also counts bytes, for hashing while streaming to disk. */
export class DigestCounter {
  private readonly hash: Hash = createHash('sha256');
  size = 0;
  update(chunk: Uint8Array): void {
    this.hash.update(chunk);
    this.size += chunk.byteLength;
  }
  digest(): string {
    return `sha256:${this.hash.digest('hex')}`;
  }
}
