/**
 * Small helpers the registry client's tests share (the fake-server cases and the
 * real-registry host cases): awaiting the RegistryError a call must fail with, and reading
 * a blob stream to the end.
 */
import { RegistryError } from '../registry-client.js';

/** the RegistryError p rejects with; anything else (success, another error) fails the test */
export async function registryRejection(p: Promise<unknown>): Promise<RegistryError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof RegistryError) return err;
    throw err;
  }
  throw new Error('expected a RegistryError, got success');
}

export async function collectBytes(stream: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  for await (const c of stream) chunks.push(c);
  return Buffer.concat(chunks);
}
