/**
 * kube's root CA publisher: a ConfigMap `kube-root-ca.crt` in every active namespace
 * holding the cluster CA (`ca.crt`), so pods can verify the API server; put back when it
 * is deleted or edited.
 */
import type { Logger } from 'pino';
import type { Clock } from '../../client/clock.js';
import { isAlreadyExists, isForbidden, isNotFound } from '../../client/api-error.js';
import type { SharedInformerFactory } from '../../client/informers/informer-factory.js';
import type { KubeClient, KubeObject } from '../../client/types.js';
import { isActiveNamespace, NamespaceKeyedController } from '../namespace-keyed-controller.js';

export const ROOT_CA_CONFIGMAP = 'kube-root-ca.crt';
const DESCRIPTION =
  'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.';

export function rootCaController(opts: { client: KubeClient; informers: SharedInformerFactory; clock: Clock; logger: Logger; caPem: string }): NamespaceKeyedController {
  const namespaces = opts.informers.informerFor('v1', 'Namespace');
  const configMaps = opts.informers.informerFor('v1', 'ConfigMap');
  const logger = opts.logger;
  const api = opts.client.resource('v1', 'ConfigMap');
  return new NamespaceKeyedController({
    name: 'root-ca-cert-publisher',
    namespaces,
    objects: configMaps,
    objectName: ROOT_CA_CONFIGMAP,
    clock: opts.clock,
    logger,
    async reconcile(namespace) {
      if (!isActiveNamespace(namespaces.lister().get(namespace))) return;
      const current = configMaps.lister().get(ROOT_CA_CONFIGMAP, namespace) as (KubeObject & { data?: Record<string, string> }) | undefined;
      const data = { 'ca.crt': opts.caPem };
      try {
        if (!current) {
          await api.create(
            { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: ROOT_CA_CONFIGMAP, namespace, annotations: { 'kubernetes.io/description': DESCRIPTION } }, data } as KubeObject,
            { fieldManager: 'kube-controller-manager' },
          );
        } else if (current.data?.['ca.crt'] !== opts.caPem || Object.keys(current.data ?? {}).length !== 1) {
          await api.update({ ...structuredClone(current), data } as KubeObject, { fieldManager: 'kube-controller-manager' });
        }
      } catch (err) {
        if (isAlreadyExists(err) || isNotFound(err) || isForbidden(err)) return;
        throw err;
      }
    },
  });
}
