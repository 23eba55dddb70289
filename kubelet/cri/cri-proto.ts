/**
 * The text of cri.proto, read once. The build emits only .js into dist/, so the compiled
 * code does not find the file beside itself: it walks up to the package root and reads
 * kubelet/cri/cri.proto from the source tree (which ships with the package).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PROTO_IN_PACKAGE = join('kubelet', 'cri', 'cri.proto');

function findCriProto(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  if (existsSync(join(here, 'cri.proto'))) return join(here, 'cri.proto');
  for (let dir = here; ; dir = dirname(dir)) {
    const candidate = join(dir, PROTO_IN_PACKAGE);
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) throw new Error(`cannot find ${PROTO_IN_PACKAGE} above ${here}`);
  }
}

let text: string | undefined;

export const criProtoText = (): string => (text ??= readFileSync(findCriProto(), 'utf8'));
