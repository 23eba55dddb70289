/**
 * kube's ServiceAccounts controller: a ServiceAccount named `default` in every active
 * namespace, re-created if someone deletes it (pods without spec.serviceAccountName run
 * as it, and `kubectl create token default` needs it).
 */
import type { Logger } from 'pino';
import type { Clock } from '../../client/clock.js';
import { isAlreadyExists, isForbidden, isNotFound } from '../../client/api-error.js';
import type { SharedInformerFactory } from '../../client/informers/informer-factory.js';
import type { KubeClient, KubeObject } from '../../client/types.js';
import { isActiveNamespace, NamespaceKeyedController } from '../namespace-keyed-controller.js';

export const DEFAULT_SERVICE_ACCOUNT = 'default';

export function serviceAccountsController(opts: { client: KubeClient; informers: SharedInformerFactory; clock: Clock; logger: Logger }): NamespaceKeyedController {
  const namespaces = opts.informers.informerFor('v1', 'Namespace');
  const accounts = opts.informers.informerFor('v1', 'ServiceAccount');
  const logger = opts.logger;
  const api = opts.client.resource('v1', 'ServiceAccount');
  return new NamespaceKeyedController({
    name: 'serviceaccount',
    namespaces,
    objects: accounts,
    objectName: DEFAULT_SERVICE_ACCOUNT,
    clock: opts.clock,
    logger,
    async reconcile(namespace) {
      if (!isActiveNamespace(namespaces.lister().get(namespace))) return;
      if (accounts.lister().get(DEFAULT_SERVICE_ACCOUNT, namespace)) return;
      const sa: KubeObject = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: DEFAULT_SERVICE_ACCOUNT, namespace } };
      try {
        await api.create(sa, { fieldManager: 'kube-controller-manager' });
        logger.debug({ namespace }, 'created the default ServiceAccount');
      } catch (err) {
        // already there (our cache lags), or the namespace is going away: nothing to do
        if (isAlreadyExists(err) || isNotFound(err) || isForbidden(err)) return;
        throw err;
      }
    },
  });
}
