/** A temp directory removed when the tap test that made it ends (image tests only). */
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';

export async function tempDir(t: { teardown(fn: () => unknown): void }, prefix: string): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), `k8ts-${prefix}-`));
  t.teardown(() => fs.rm(dir, { recursive: true, force: true }));
  return dir;
}
