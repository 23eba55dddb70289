/**
 * meta.k8s.io Tables: what `kubectl get` asks for (Accept …;as=Table;v=v1;g=meta.k8s.io)
 * and prints verbatim (kubectl-contract §4.2). Built from the kind's printer columns:
 *
 *   { kind: 'Table', apiVersion: 'meta.k8s.io/v1',
 *     metadata: { resourceVersion: '111', continue?: '…', remainingItemCount?: 3 },
 *     columnDefinitions: [{ name: 'Name', type: 'string', format: 'name', description, priority: 0 }, …],
 *     rows: [{ cells: ['web-1', '5m'], object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata } }] }
 *
 * Row `object` follows ?includeObject= (kube's asTable): absent/Metadata → the object's
 * whole metadata as a PartialObjectMetadata (kubectl needs it for -A, --show-labels, -L);
 * Object → the full object (--sort-by); None → no object. A kind without printer columns
 * gets Name and Age. Watch events carry a one-row Table each; the column definitions may be
 * left out after the first event (kubectl reuses the previous ones).
 */
import { apiVersionOf, type KubeObject, type PrinterColumn, type ResourceDef } from '../catalogue/resource-def.js';
import { ApiError } from '../errors/api-error.js';
import { timestampAge } from './age.js';
import { asPartialObjectMetadata, type MetaVersion } from './partial-object-metadata.js';

export type IncludeObject = 'None' | 'Metadata' | 'Object';

export interface TableColumnDefinition {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

export interface TableRow {
  cells: Array<string | number | boolean | null>;
  object?: KubeObject;
}

export interface ListMeta {
  resourceVersion?: string;
  continue?: string;
  remainingItemCount?: number;
}

export interface Table {
  kind: 'Table';
  apiVersion: `meta.k8s.io/${MetaVersion}`;
  metadata: ListMeta;
  columnDefinitions: TableColumnDefinition[];
  rows: TableRow[];
}

/** ObjectMeta's swagger text, which kube's printers use for the Name and Age columns */
export const NAME_DESCRIPTION =
  'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names';
export const CREATION_TIMESTAMP_DESCRIPTION =
  'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata';

/** kube's Name column: the one kubectl prefixes with `pod/` when printing several kinds */
export const NAME_COLUMN: PrinterColumn = {
  name: 'Name',
  type: 'string',
  format: 'name',
  description: NAME_DESCRIPTION,
  priority: 0,
  cell: (obj) => obj.metadata?.name ?? '',
};

/** kube's Age column: a string cell ("5m"), "<unknown>" without creationTimestamp */
export const AGE_COLUMN: PrinterColumn = {
  name: 'Age',
  type: 'string',
  description: CREATION_TIMESTAMP_DESCRIPTION,
  priority: 0,
  cell: (obj, now) => timestampAge(obj.metadata?.creationTimestamp, now),
};

export const DEFAULT_COLUMNS: readonly PrinterColumn[] = [NAME_COLUMN, AGE_COLUMN];

const INCLUDE_OBJECT_VALUES: readonly IncludeObject[] = ['Metadata', 'None', 'Object'];

/**
 * ?includeObject= → the policy; absent or "" = Metadata. Anything else is kube's 400:
 * `Unable to convert to Table as requested: includeObject: Invalid value: "x": must be 'Metadata', 'Object', 'None', or empty`.
 */
export function parseIncludeObject(value: string | undefined): IncludeObject {
  if (value === undefined || value === '') return 'Metadata';
  if ((INCLUDE_OBJECT_VALUES as readonly string[]).includes(value)) return value as IncludeObject;
  throw new ApiError(
    'BadRequest',
    `Unable to convert to Table as requested: includeObject: Invalid value: ${JSON.stringify(value)}: must be 'Metadata', 'Object', 'None', or empty`,
  );
}

type Columns = Pick<ResourceDef, 'printerColumns'>;
type RowDef = Pick<ResourceDef, 'printerColumns' | 'group' | 'version' | 'kind'>;

const columnsOf = (def: Columns): readonly PrinterColumn[] => (def.printerColumns?.length ? def.printerColumns : DEFAULT_COLUMNS);

export function columnDefinitions(def: Columns): TableColumnDefinition[] {
  return columnsOf(def).map((c) => ({ name: c.name, type: c.type, format: c.format ?? '', description: c.description, priority: c.priority }));
}

export interface RowOptions {
  now: Date;
  /** default Metadata */
  includeObject?: IncludeObject;
  /** the Table's version; PartialObjectMetadata rows follow it. Default v1 */
  version?: MetaVersion;
}

export function tableRow(def: RowDef, obj: KubeObject, opts: RowOptions): TableRow {
  const cells = columnsOf(def).map((c) => c.cell(obj, opts.now));
  switch (opts.includeObject ?? 'Metadata') {
    case 'None':
      return { cells };
    case 'Object':
      return { cells, object: withTypeMeta(def, obj) };
    case 'Metadata':
      return { cells, object: asPartialObjectMetadata(obj, opts.version ?? 'v1') };
  }
}

/** the stored object may lack kind/apiVersion; a full object in a row carries them first */
function withTypeMeta(def: Pick<ResourceDef, 'group' | 'version' | 'kind'>, obj: KubeObject): KubeObject {
  const { apiVersion, kind, ...rest } = obj;
  return { apiVersion: apiVersion ?? apiVersionOf(def), kind: kind ?? def.kind, ...rest } as KubeObject;
}

export interface TableOptions extends RowOptions {
  /** the list's metadata (resourceVersion of the read, continue, remainingItemCount) */
  listMeta?: ListMeta;
}

/** A Table for a list (or for one object: pass [obj] and its resourceVersion in listMeta). */
export function buildTable(def: RowDef, objects: readonly KubeObject[], opts: TableOptions): Table {
  const version = opts.version ?? 'v1';
  return {
    kind: 'Table',
    apiVersion: `meta.k8s.io/${version}`,
    metadata: cleanListMeta(opts.listMeta),
    columnDefinitions: columnDefinitions(def),
    rows: objects.map((o) => tableRow(def, o, { ...opts, version })),
  };
}

/** A one-row Table for GET of one object; like kube, its resourceVersion is the object's. */
export function buildObjectTable(def: RowDef, obj: KubeObject, opts: RowOptions): Table {
  const rv = obj.metadata?.resourceVersion;
  return buildTable(def, [obj], { ...opts, listMeta: rv ? { resourceVersion: rv } : {} });
}

export interface WatchTableOptions extends RowOptions {
  /** false after the first event of a stream: kubectl reuses the columns it already has */
  includeColumnDefinitions: boolean;
}

/** The `object` of one watch event when a Table was asked for: one row, the object's RV. */
export function buildWatchEventTable(def: RowDef, obj: KubeObject, opts: WatchTableOptions): Table {
  const table = buildObjectTable(def, obj, opts);
  if (!opts.includeColumnDefinitions) table.columnDefinitions = [];
  return table;
}

function cleanListMeta(meta: ListMeta | undefined): ListMeta {
  const out: ListMeta = {};
  if (meta?.resourceVersion) out.resourceVersion = meta.resourceVersion;
  if (meta?.continue) out.continue = meta.continue;
  if (meta?.remainingItemCount !== undefined && meta.remainingItemCount !== null) out.remainingItemCount = meta.remainingItemCount;
  return out;
}
