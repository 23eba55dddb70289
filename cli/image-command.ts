/**
 * `k8ts image import FILE [--name REF]` and `k8ts image ls`: images for nodes without a
 * registry, in the same store the runc runtime reads (<data-dir>/images, an OCI layout), so
 * an image imported here is what a pod with imagePullPolicy IfNotPresent or Never runs.
 * `ls` prints what `crictl images` prints: IMAGE ID (12 hex), REPOSITORY:TAG, SIZE.
 *
 * Parsing is apart from running (parseImageCommand is pure) so the flags are table-tested.
 */
import { StartupError, UsageError } from './errors.js';
import { DEFAULTS } from './options.js';
import { parseStringFlags } from './string-flags.js';

export const IMAGE_HELP = `Usage:
  k8ts image import FILE [--name REF] [--data-dir DIR]
  k8ts image ls [--data-dir DIR]

Keeps images in DIR/images (an OCI image layout), where the runc runtime finds them.

  import FILE   load an OCI layout tarball (oci-layout, index.json, blobs/) or a
                docker-archive (\`docker save\` output) and name its images
  ls            list the images: IMAGE ID, REPOSITORY:TAG, SIZE

Flags:
  --name REF            name for the archive's image (an archive with one image, or one
                        whose entries are named by bare tags such as "1.0")
  --data-dir DIR        the data directory (default ${DEFAULTS.dataDir})
  -h, --help            show this help
`;

export type ImageCommand =
  | { kind: 'help' }
  | { kind: 'import'; file: string; name?: string; dataDir: string }
  | { kind: 'ls'; dataDir: string };

const STRING_FLAGS = ['name', 'data-dir'] as const;

export function parseImageCommand(args: readonly string[]): ImageCommand {
  const { given, positionals, help } = parseStringFlags(args, STRING_FLAGS, 'k8ts image', 'collect');
  if (help) return { kind: 'help' };
  const [verb, ...rest] = positionals;
  const dataDir = given.get('data-dir') ?? DEFAULTS.dataDir;
  if (dataDir.trim() === '') throw new UsageError('--data-dir must be a directory path');
  switch (verb) {
    case 'import': {
      if (rest.length !== 1) throw new UsageError('k8ts image import needs exactly one FILE (see k8ts image --help)');
      const name = given.get('name');
      return { kind: 'import', file: rest[0]!, dataDir, ...(name !== undefined ? { name } : {}) };
    }
    case 'ls':
    case 'list':
      if (rest.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(rest[0])} for "k8ts image ls"`);
      if (given.has('name')) throw new UsageError('--name only applies to k8ts image import');
      return { kind: 'ls', dataDir };
    case undefined:
      throw new UsageError('k8ts image needs a command: import or ls (see k8ts image --help)');
    default:
      throw new UsageError(`unknown command "k8ts image ${verb}": want import or ls (see k8ts image --help)`);
  }
}

export interface ImageRow {
  id: string;
  repoTags: string[];
  size: number;
}

/**
 * crictl's table: one row per repoTag (an untagged image shows <none>), the id's first 12
 * hex digits, the size in human units. Pure.
 */
export function formatImageTable(images: readonly ImageRow[]): string {
  const rows: string[][] = [['IMAGE ID', 'REPOSITORY:TAG', 'SIZE']];
  for (const image of images) {
    const id = image.id.replace(/^sha256:/, '').slice(0, 12);
    const tags = image.repoTags.length > 0 ? image.repoTags : ['<none>:<none>'];
    for (const tag of tags) rows.push([id, tag, humanSize(image.size)]);
  }
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((r) => r[col]!.length)));
  return rows.map((r) => r.map((cell, col) => (col === r.length - 1 ? cell : cell.padEnd(widths[col]! + 3))).join('')).join('\n') + '\n';
}

/** docker's units.HumanSize: decimal units, 4 significant digits ("4.26MB", "897kB"). */
export function humanSize(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'];
  let value = bytes;
  let i = 0;
  while (value >= 1000 && i < units.length - 1) {
    value /= 1000;
    i++;
  }
  return `${Number(value.toPrecision(4))}${units[i]}`;
}

/** Runs a parsed command; output to `out`. A bad or unreadable archive is a StartupError (one line, exit 1). */
export async function runImage(command: Exclude<ImageCommand, { kind: 'help' }>, out: (text: string) => void): Promise<void> {
  const { resolve } = await import('node:path');
  const [{ ContentStore }, { imageStoreDir }, { StoredImageReader }, { hostPlatform }] = await Promise.all([
    import('../kubelet/images/content-store.js'),
    import('../kubelet/images/image-names.js'),
    import('../kubelet/images/stored-images.js'),
    import('../kubelet/images/platform.js'),
  ]);
  const store = await ContentStore.open(imageStoreDir(resolve(command.dataDir)));
  if (command.kind === 'import') {
    const { importArchive, ImportError } = await import('../kubelet/images/import-archive.js');
    let imported;
    try {
      imported = await importArchive(store, command.file, command.name !== undefined ? { name: command.name } : {});
    } catch (err) {
      if (err instanceof ImportError || (err as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new StartupError(`image import ${command.file}: ${(err as Error).message}`);
      }
      throw err;
    }
    for (const { ref, digest } of imported) out(`imported ${ref} (${digest})\n`);
    return;
  }
  const images = await new StoredImageReader(store, hostPlatform()).list();
  out(formatImageTable(images));
}

/** `k8ts image …` in the foreground. */
export async function runImageCommand(args: readonly string[]): Promise<void> {
  const command = parseImageCommand(args);
  if (command.kind === 'help') {
    process.stdout.write(IMAGE_HELP);
    return;
  }
  await runImage(command, (text) => process.stdout.write(text));
}
