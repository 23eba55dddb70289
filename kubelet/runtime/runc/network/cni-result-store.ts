/**
 * One small JSON file per sandbox recording what its network setup did: the netns path,
 * the port mappings handed to portmap, and the bridge's ADD result.
 *
 * Why on disk: CNI DEL must repeat the ADD's configuration, and portmap's DEL does nothing
 * without the same runtimeConfig (its chains would leak), so the record must survive a
 * runtime restart (libcni keeps the same kind of cache in /var/lib/cni/results). The record
 * is written BEFORE the first plugin runs and completed after, so a crash half-way still
 * leaves enough for a DEL. Written atomically (temp file + rename).
 */
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CniPortMapping } from './cni-config.js';
import type { CniResult } from './cni-exec.js';

export interface SandboxNetworkRecord {
  sandboxId: string;
  netnsPath: string;
  portMappings: CniPortMapping[];
  /** the bridge's ADD result, once it succeeded */
  bridgeResult?: CniResult;
}

const SUFFIX = '.json';
/** sandbox ids are CRI ids (hex) but come from outside: keep them inside the directory */
const safeId = (id: string): string => {
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(id) || id.length > 200) throw new Error(`invalid sandbox id ${JSON.stringify(id)}`);
  return id;
};

export class CniResultStore {
  constructor(readonly dir: string) {}

  private file(sandboxId: string): string {
    return join(this.dir, safeId(sandboxId) + SUFFIX);
  }

  async save(record: SandboxNetworkRecord): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const file = this.file(record.sandboxId);
    const tmp = `${file}.${process.pid}.tmp`;
    await writeFile(tmp, JSON.stringify(record), { mode: 0o600 });
    await rename(tmp, file);
  }

  /** undefined when there is no (readable) record */
  async load(sandboxId: string): Promise<SandboxNetworkRecord | undefined> {
    try {
      const record = JSON.parse(await readFile(this.file(sandboxId), 'utf8')) as SandboxNetworkRecord;
      return record && typeof record === 'object' && typeof record.netnsPath === 'string' ? { ...record, portMappings: record.portMappings ?? [] } : undefined;
    } catch {
      return undefined;
    }
  }

  async remove(sandboxId: string): Promise<void> {
    await rm(this.file(sandboxId), { force: true });
  }

  async list(): Promise<string[]> {
    try {
      return (await readdir(this.dir))
        .filter((n) => n.endsWith(SUFFIX))
        .map((n) => n.slice(0, -SUFFIX.length))
        .sort();
    } catch {
      return [];
    }
  }
}
