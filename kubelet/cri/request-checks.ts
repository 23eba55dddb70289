/**
 * The checks every runtime makes on a CRI request before it does anything, with
 * containerd's codes and one wording for all runtimes: required metadata, reserved names
 * (a second sandbox with the same name/namespace/uid/attempt, or a second container with
 * the same name/attempt in one sandbox, is AlreadyExists), ready sandboxes, unknown ids.
 */
import type { ContainerConfig, PodSandboxConfig, RuntimeCondition } from './api.js';
import { CriError } from './errors.js';

/** the key a sandbox name is reserved under */
export const sandboxNameKey = (c: PodSandboxConfig): string => `${c.metadata.name}_${c.metadata.namespace}_${c.metadata.uid}_${c.metadata.attempt}`;
/** the key a container name is reserved under (per sandbox) */
export const containerNameKey = (sandboxId: string, c: ContainerConfig): string => `${sandboxId}/${c.metadata.name}_${c.metadata.attempt}`;

/** a new sandbox needs name, namespace and uid, and a name nobody holds; returns the key to reserve it under */
export function requireNewSandbox(config: PodSandboxConfig | undefined, reserved: ReadonlyMap<string, string>): string {
  if (!config?.metadata?.name || !config.metadata.namespace || !config.metadata.uid) {
    throw new CriError('InvalidArgument', 'sandbox config must have metadata.name, metadata.namespace and metadata.uid');
  }
  const nameKey = sandboxNameKey(config);
  requireNameFree('sandbox', nameKey, reserved);
  return nameKey;
}

/** a container needs a name and a ready sandbox to be created in */
export function requireContainerCreatable(config: ContainerConfig | undefined, sandbox: { id: string; ready: boolean }): asserts config is ContainerConfig {
  if (!config?.metadata?.name) throw new CriError('InvalidArgument', 'container config must have metadata.name');
  if (!sandbox.ready) throw new CriError('FailedPrecondition', `sandbox ${sandbox.id} is not ready; cannot create container ${config.metadata.name}`);
}

/** throws AlreadyExists when the name is reserved by another object */
export function requireNameFree(kind: 'sandbox' | 'container', nameKey: string, reserved: ReadonlyMap<string, string>): void {
  const taken = reserved.get(nameKey);
  if (taken) throw new CriError('AlreadyExists', `${kind} name ${JSON.stringify(nameKey)} is reserved for ${taken}`);
}

export const sandboxNotFound = (id: string): CriError => new CriError('NotFound', `sandbox ${JSON.stringify(id)} not found`);
export const containerNotFound = (id: string): CriError => new CriError('NotFound', `container ${JSON.stringify(id)} not found`);

/** the sandbox with this id, or NotFound */
export function knownSandbox<T>(sandboxes: ReadonlyMap<string, T>, id: string): T {
  const sandbox = sandboxes.get(id);
  if (sandbox === undefined) throw sandboxNotFound(id);
  return sandbox;
}

/** the container with this id, or NotFound */
export function knownContainer<T>(containers: ReadonlyMap<string, T>, id: string): T {
  const container = containers.get(id);
  if (container === undefined) throw containerNotFound(id);
  return container;
}

/** what Status reports for a runtime whose runtime and network are both up */
export const readyConditions = (): RuntimeCondition[] => [
  { type: 'RuntimeReady', status: true, reason: '', message: '' },
  { type: 'NetworkReady', status: true, reason: '', message: '' },
];
