/**
 * Makes a container's image present per its imagePullPolicy, with the kubelet's events
 * and waiting reasons:
 *   Never + absent        → Warning ErrImageNeverPull, waiting ErrImageNeverPull
 *   IfNotPresent + present → Normal Pulled 'Container image "x" already present on machine'
 *   otherwise             → Normal Pulling, pullImage, Normal Pulled "Successfully pulled …"
 *   a failed pull         → Warning Failed 'Failed to pull image "x": …', waiting ErrImagePull,
 *                           and a per (pod uid, image) backoff; while it lasts, no pull:
 *                           Normal BackOff 'Back-off pulling image "x"', waiting ImagePullBackOff.
 * With credentials from the pod's imagePullSecrets (pull-secrets.ts) the pull is tried with
 * each matching one in turn until one works, as kube does; with none, anonymously. When all
 * fail the message is kube's aggregate: the one error, or `[e1, e2]`.
 */
import type { V1Container, V1Pod } from '@kubernetes/client-node';
import type { Clock } from '../../client/clock.js';
import type { EventRecorder } from '../../client/events/types.js';
import type { AuthConfig, ImageService, PodSandboxConfig } from '../cri/api.js';
import type { WaitingReason } from '../status/types.js';
import { errorMessage } from './api-error-code.js';
import type { Backoff } from './crash-backoff.js';
import { formatGoDuration } from './go-duration.js';
import { containerFieldPath, podReference } from './pod-events.js';

export type ImageResult =
  | { ok: true; imageRef: string }
  /** `retryAtMs`: when trying again makes sense (the backoff's end), if known */
  | { ok: false; waiting: WaitingReason; retryAtMs?: number };

export interface ImagePullerDeps {
  images: Pick<ImageService, 'imageStatus' | 'pullImage'>;
  recorder: EventRecorder;
  clock: Clock;
  backoff: Backoff;
  /** the registry credentials for the pod's image (imagePullSecrets); none → anonymous */
  pullCredentials?: (pod: V1Pod, image: string) => Promise<AuthConfig[]>;
}

/** kube's default: Always for ":latest" or an untagged image, IfNotPresent otherwise */
export function effectivePullPolicy(container: V1Container): string {
  if (container.imagePullPolicy) return container.imagePullPolicy;
  const image = container.image ?? '';
  if (image.includes('@')) return 'IfNotPresent';
  const lastSegment = image.slice(image.lastIndexOf('/') + 1);
  const tag = lastSegment.includes(':') ? lastSegment.slice(lastSegment.indexOf(':') + 1) : 'latest';
  return tag === 'latest' ? 'Always' : 'IfNotPresent';
}

export async function ensureImage(deps: ImagePullerDeps, pod: V1Pod, container: V1Container, sandboxConfig: PodSandboxConfig): Promise<ImageResult> {
  const image = container.image ?? '';
  const ref = podReference(pod);
  const fieldPath = containerFieldPath(pod, container.name);
  const event = (type: 'Normal' | 'Warning', reason: string, message: string) => deps.recorder.event(ref, type, reason, message, { fieldPath });
  const policy = effectivePullPolicy(container);

  if (policy !== 'Always') {
    const present = (await deps.images.imageStatus({ image: { image }, verbose: false })).image;
    if (present) {
      event('Normal', 'Pulled', `Container image "${image}" already present on machine`);
      return { ok: true, imageRef: present.id };
    }
    if (policy === 'Never') {
      const message = `Container image "${image}" is not present with pull policy of Never`;
      event('Warning', 'ErrImageNeverPull', message);
      event('Warning', 'Failed', 'Error: ErrImageNeverPull');
      return { ok: false, waiting: { reason: 'ErrImageNeverPull', message } };
    }
  }

  const backoffKey = `${pod.metadata?.uid}/${image}`;
  if (deps.backoff.inBackoffSinceUpdate(backoffKey)) {
    const message = `Back-off pulling image "${image}"`;
    event('Normal', 'BackOff', message);
    event('Warning', 'Failed', 'Error: ImagePullBackOff');
    return { ok: false, waiting: { reason: 'ImagePullBackOff', message }, retryAtMs: deps.backoff.expiresSinceUpdate(backoffKey) };
  }

  event('Normal', 'Pulling', `Pulling image "${image}"`);
  const started = deps.clock.now();
  try {
    const credentials = deps.pullCredentials ? await deps.pullCredentials(pod, image) : [];
    const imageRef = await pullWithCredentials(deps.images, image, sandboxConfig, credentials);
    const took = formatGoDuration(deps.clock.now() - started);
    const size = (await deps.images.imageStatus({ image: { image }, verbose: false }).catch(() => undefined))?.image?.size ?? 0;
    event('Normal', 'Pulled', `Successfully pulled image "${image}" in ${took} (${took} including waiting). Image size: ${size} bytes.`);
    deps.backoff.reset(backoffKey);
    return { ok: true, imageRef };
  } catch (err) {
    const message = errorMessage(err);
    event('Warning', 'Failed', `Failed to pull image "${image}": ${message}`);
    event('Warning', 'Failed', 'Error: ErrImagePull');
    deps.backoff.next(backoffKey, deps.clock.now());
    // no retryAtMs: the worker re-syncs soon after an error, finds the backoff and reports ImagePullBackOff
    return { ok: false, waiting: { reason: 'ErrImagePull', message } };
  }
}

/** kube's pullImage loop: anonymous without credentials, else each credential until one works */
export async function pullWithCredentials(
  images: Pick<ImageService, 'pullImage'>,
  image: string,
  sandboxConfig: PodSandboxConfig,
  credentials: AuthConfig[],
): Promise<string> {
  if (credentials.length === 0) return (await images.pullImage({ image: { image }, sandboxConfig })).imageRef;
  const errors: unknown[] = [];
  const messages: string[] = [];
  for (const auth of credentials) {
    try {
      return (await images.pullImage({ image: { image }, auth, sandboxConfig })).imageRef;
    } catch (err) {
      const message = errorMessage(err);
      if (!messages.includes(message)) {
        messages.push(message);
        errors.push(err);
      }
    }
  }
  // one distinct failure keeps its own error (and CriError code); several make kube's aggregate
  throw messages.length === 1 ? errors[0] : new Error(`[${messages.join(', ')}]`);
}
