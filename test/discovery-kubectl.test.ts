/**
 * End to end with the real kubectl (1.27 and 1.33, the oldest and newest we support):
 * a plain Fastify app on 127.0.0.1 serving only the discovery and OpenAPI routes of a
 * small test catalogue. kubectl 1.27 asks for aggregated discovery v2beta1 and needs
 * /openapi/v2 to parse before `explain`; 1.33 asks for v2. Each run gets its own HOME and
 * cache dir, so kubectl's discovery cache never leaks between runs.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Fastify from 'fastify';
import t from 'tap';
import { testCatalogue } from '../apiserver/catalogue/test-defs.js';
import { registerDiscoveryRoutes } from '../apiserver/discovery/discovery-routes.js';
import { registerOpenApiRoutes } from '../apiserver/openapi/openapi-routes.js';

const run = promisify(execFile);
const KUBECTL_DIR = '/usr/lib/google-cloud-sdk/bin';
const VERSIONS = ['1.27', '1.33'];

async function server(t: { teardown(fn: () => unknown): void }) {
  const app = Fastify();
  const catalogue = testCatalogue();
  registerDiscoveryRoutes(app, catalogue);
  registerOpenApiRoutes(app, catalogue);
  const requests: string[] = [];
  app.addHook('onRequest', async (request) => {
    requests.push(`${request.method} ${request.url.split('?')[0]}`);
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  t.teardown(() => app.close());
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('no address');
  return { url: `http://127.0.0.1:${address.port}`, requests };
}

for (const version of VERSIONS) {
  const kubectl = join(KUBECTL_DIR, `kubectl.${version}`);
  t.test(`kubectl ${version}`, { skip: existsSync(kubectl) ? false : `${kubectl} not installed` }, async (t) => {
    const { url, requests } = await server(t);
    const home = await mkdtemp(join(tmpdir(), 'k8ts-kubectl-'));
    t.teardown(() => rm(home, { recursive: true, force: true }));
    const kc = async (...args: string[]) => {
      const { stdout } = await run(kubectl, ['--server', url, '--cache-dir', join(home, 'cache'), ...args], {
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, KUBECONFIG: join(home, 'no-kubeconfig') },
        timeout: 60_000,
      });
      return stdout;
    };

    const resources = await kc('api-resources');
    t.match(resources, /^NAME\s+SHORTNAMES\s+APIVERSION\s+NAMESPACED\s+KIND$/m);
    t.match(resources, /^pods\s+po\s+v1\s+true\s+Pod$/m);
    t.match(resources, /^nodes\s+no\s+v1\s+false\s+Node$/m);
    t.match(resources, /^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment$/m);
    t.notMatch(resources, /pods\/status/, 'subresources are not listed as resources');

    const wide = await kc('api-resources', '-o', 'wide');
    t.match(wide, /^pods\s+po\s+v1\s+true\s+Pod\s+create,delete,deletecollection,get,list,patch,update,watch\s+all$/m);

    t.equal(await kc('api-versions'), 'apps/v1\nv1\n');

    const explain = await kc('explain', 'pods.spec.containers');
    t.match(explain, /KIND:\s+Pod/);
    t.match(explain, /FIELD: containers <\[\]Container>/);
    t.match(explain, /List of containers belonging to the pod/);
    t.match(explain, /^\s+name\s+<string> -required-$/m);
    t.match(explain, /^\s+ports\s+<\[\]ContainerPort>$/m);

    const deploy = await kc('explain', 'deployments.spec.strategy');
    t.match(deploy, /GROUP:\s+apps/);
    t.match(deploy, /FIELD: strategy <DeploymentStrategy>/);

    t.ok(requests.includes('GET /openapi/v3'), 'explain read the v3 index');
    t.ok(requests.includes('GET /openapi/v3/api/v1'), 'explain read the core document');
    if (version === '1.27') t.ok(requests.includes('GET /openapi/v2'), '1.27 checks /openapi/v2 first');
  });
}
