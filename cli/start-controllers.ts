/**
 * The controller manager inside `k8ts up`, with its own client certificate
 * (system:kube-controller-manager) against the API server's URL, as a remote
 * kube-controller-manager would run.
 */
import type { Logger } from 'pino';
import type { Clock } from '../client/clock.js';
import { createClient } from '../client/create-client.js';
import { startControllers, type ControllerManagerSettings } from '../controllers/controller-manager.js';
import { StartupError } from './errors.js';
import { CONTROLLERS, type Pki } from './pki/pki.js';

export type ControllerSettings = ControllerManagerSettings;

export async function startClusterControllers(input: { pki: Pki; url: string; settings?: ControllerSettings; clock?: Clock; log: Logger }): Promise<{ stop(): Promise<void> }> {
  const credentials = input.pki.clients.get(CONTROLLERS.user);
  if (!credentials) throw new StartupError(`no controller-manager certificate in ${input.pki.dir}`);
  const client = createClient({ server: input.url, ca: input.pki.ca.cert, cert: credentials.cert, key: credentials.key });
  try {
    const running = await startControllers({ client, logger: input.log, caPem: input.pki.ca.cert, ...(input.clock ? { clock: input.clock } : {}), ...(input.settings ? { settings: input.settings } : {}) });
    return {
      stop: async () => {
        await running.stop();
        client.close();
      },
    };
  } catch (err) {
    client.close();
    throw new StartupError(`controllers: ${(err as Error).message}`, { cause: err });
  }
}
