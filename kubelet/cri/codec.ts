/**
 * Protobuf encoding of every Runtime call, for the unix-socket transport: cri.proto is
 * parsed once into a protobufjs Root, and each api.ts method maps to its rpc there
 * (runPodSandbox ↔ RuntimeService.RunPodSandbox).
 *
 * Decoding hands back the plain objects api.ts promises, not protobufjs messages:
 * int64 as number, enums as their names, bytes as Uint8Array, every non-optional field
 * present (proto3 defaults filled), and optional sub-messages (or proto3 `optional`
 * scalars) left out when the sender left them out — protobufjs' toObject gives such
 * sub-messages as null, which we drop so `status.network === undefined` reads as in api.ts.
 */
import protobuf from 'protobufjs';
import type { Runtime } from './api.js';
import { criProtoText } from './cri-proto.js';
import { CriError } from './errors.js';

/** Every call a Runtime answers (close() is local to each side, never sent). */
// streaming is live streams in-process only: it never crosses the socket
export type RuntimeMethod = Exclude<keyof Runtime, 'close' | 'streaming'>;

export const RUNTIME_METHODS = [
  'version',
  'runPodSandbox',
  'stopPodSandbox',
  'removePodSandbox',
  'podSandboxStatus',
  'listPodSandbox',
  'createContainer',
  'startContainer',
  'stopContainer',
  'removeContainer',
  'listContainers',
  'containerStatus',
  'updateContainerResources',
  'reopenContainerLog',
  'execSync',
  'containerStats',
  'listContainerStats',
  'status',
  'probeContainer',
  'listImages',
  'imageStatus',
  'pullImage',
  'removeImage',
  'imageFsInfo',
] as const satisfies readonly RuntimeMethod[];

// compile-time: a method added to api.ts but not listed above fails here
type Unlisted = Exclude<RuntimeMethod, (typeof RUNTIME_METHODS)[number]>;
const everyMethodListed: [Unlisted] extends [never] ? true : Unlisted = true;
void everyMethodListed;

export interface MethodCodec {
  method: RuntimeMethod;
  /** the rpc's name in cri.proto, which is also what a Frame's `method` carries */
  rpc: string;
  request: protobuf.Type;
  response: protobuf.Type;
}

const PACKAGE = 'k8ts.cri.v1';

function buildRoot(): protobuf.Root {
  // keepCase off: protobufjs turns log_directory into logDirectory, the names api.ts uses
  const root = protobuf.parse(criProtoText(), { keepCase: false }).root;
  root.resolveAll();
  return root;
}

export const CRI_ROOT = buildRoot();

function buildMethodTable(): { byMethod: Map<RuntimeMethod, MethodCodec>; byRpc: Map<string, MethodCodec> } {
  const byMethod = new Map<RuntimeMethod, MethodCodec>();
  const byRpc = new Map<string, MethodCodec>();
  const wanted = new Set<string>(RUNTIME_METHODS);
  for (const serviceName of ['RuntimeService', 'ImageService']) {
    const service = CRI_ROOT.lookupService(`${PACKAGE}.${serviceName}`);
    for (const rpc of service.methodsArray) {
      rpc.resolve();
      const method = (rpc.name.charAt(0).toLowerCase() + rpc.name.slice(1)) as RuntimeMethod;
      if (!wanted.has(method)) throw new Error(`cri.proto: rpc ${serviceName}.${rpc.name} has no method in api.ts`);
      const codec: MethodCodec = { method, rpc: rpc.name, request: rpc.resolvedRequestType!, response: rpc.resolvedResponseType! };
      byMethod.set(method, codec);
      byRpc.set(rpc.name, codec);
    }
  }
  for (const method of RUNTIME_METHODS) {
    if (!byMethod.has(method)) throw new Error(`cri.proto: no rpc for api.ts method ${method}`);
  }
  return { byMethod, byRpc };
}

const TABLE = buildMethodTable();

export function methodCodec(method: RuntimeMethod): MethodCodec {
  return TABLE.byMethod.get(method)!;
}

/** undefined for an rpc name cri.proto does not have (the server answers Unimplemented) */
export function methodCodecByRpc(rpc: string): MethodCodec | undefined {
  return TABLE.byRpc.get(rpc);
}

const TO_OBJECT: protobuf.IConversionOptions = { longs: Number, enums: String, defaults: true, arrays: true, objects: true };

/** toObject's output → api.ts' shape: absent sub-messages undefined, bytes plain Uint8Array */
function toPlain(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = toPlain(value[i]);
    return value;
  }
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    const field = record[key];
    if (field === null || field === undefined) delete record[key];
    else record[key] = toPlain(field);
  }
  return record;
}

function encodeWith(type: protobuf.Type, value: unknown, what: string): Uint8Array {
  try {
    return type.encode(type.fromObject((value ?? {}) as Record<string, unknown>)).finish();
  } catch (err) {
    throw new CriError('InvalidArgument', `cannot encode ${what}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function decodeWith(type: protobuf.Type, bytes: Uint8Array, what: string): unknown {
  try {
    return toPlain(type.toObject(type.decode(bytes), TO_OBJECT));
  } catch (err) {
    throw new CriError('InvalidArgument', `cannot decode ${what}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

export type RequestOf<M extends RuntimeMethod> = Parameters<Runtime[M]>[0];
export type ResponseOf<M extends RuntimeMethod> = Awaited<ReturnType<Runtime[M]>>;

export function encodeRequest<M extends RuntimeMethod>(method: M, request: RequestOf<M>): Uint8Array {
  const codec = methodCodec(method);
  return encodeWith(codec.request, request, `${codec.rpc} request`);
}

export function decodeRequest<M extends RuntimeMethod>(method: M, bytes: Uint8Array): RequestOf<M> {
  const codec = methodCodec(method);
  return decodeWith(codec.request, bytes, `${codec.rpc} request`) as RequestOf<M>;
}

export function encodeResponse<M extends RuntimeMethod>(method: M, response: ResponseOf<M>): Uint8Array {
  const codec = methodCodec(method);
  return encodeWith(codec.response, response, `${codec.rpc} response`);
}

export function decodeResponse<M extends RuntimeMethod>(method: M, bytes: Uint8Array): ResponseOf<M> {
  const codec = methodCodec(method);
  return decodeWith(codec.response, bytes, `${codec.rpc} response`) as ResponseOf<M>;
}

// ---- transport frames ---------------------------------------------------------------------

export interface Frame {
  id: number;
  /** rpc name on a call; '' on an answer */
  method: string;
  payload: Uint8Array;
  /** a CriErrorCode on a failed answer, else '' */
  errorCode: string;
  errorMessage: string;
}

const FRAME = CRI_ROOT.lookupType(`${PACKAGE}.Frame`);

export function encodeFrame(frame: Partial<Frame> & { id: number }): Uint8Array {
  return FRAME.encode(FRAME.create(frame)).finish();
}

/** throws (a plain Error) on bytes that are not a Frame: the stream is corrupt */
export function decodeFrame(bytes: Uint8Array): Frame {
  const message = FRAME.decode(bytes) as unknown as Frame;
  return {
    id: message.id,
    method: message.method,
    payload: message.payload,
    errorCode: message.errorCode,
    errorMessage: message.errorMessage,
  };
}
