/**
 * The cluster's certificates in DATA_DIR/pki: one CA, the API server's serving
 * certificate, and a client certificate per identity that calls the API server.
 *
 *   ca.crt / ca.key                         the cluster CA (self-signed, 10 years)
 *   apiserver.crt / .key                    serving: 127.0.0.1, ::1, localhost, hostname,
 *                                           --address, the `kubernetes` service names and IP
 *   admin.crt / .key                        CN=admin, O=system:masters (the kubeconfig user)
 *   kube-scheduler.crt / .key               CN=system:kube-scheduler
 *   kube-controller-manager.crt / .key      CN=system:kube-controller-manager
 *   kubelet-k8ts-node-N.crt / .key          CN=system:node:k8ts-node-N, O=system:nodes
 *   apiserver-kubelet-client.crt / .key     CN=kube-apiserver-kubelet-client, O=system:masters:
 *                                           the API server's identity towards kubelets (logs)
 *   kubelet-serving-k8ts-node-N.crt / .key  the kubelet's HTTPS server: CN=system:node:<node>,
 *                                           O=system:nodes; SANs 127.0.0.1, --address,
 *                                           localhost and the node name
 *   kube-scheduler-serving.crt / .key       the scheduler's HTTPS server (/debug/decisions):
 *                                           CN=system:kube-scheduler; SANs 127.0.0.1, localhost
 *
 * The API server maps a client certificate's CN to the user name and its O entries to
 * groups, as kube-apiserver does. Keys are 0600, the directory 0700.
 *
 * Every start checks what is there and makes only what is missing or unusable: a file
 * gone or unreadable, a certificate not signed by the current CA (so a new CA reissues
 * everything), a key that does not match, less than 30 days left, a subject that is not
 * the identity's, or a serving certificate whose SANs do not cover the current address.
 * Checking uses node:crypto only, so a restart with everything in place stays fast; the
 * X.509 library is loaded only to make something (see x509.ts).
 */
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { chmod, mkdir, readFile, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from '../write-file-atomic.js';
import { createCertificateAuthority, issueCertificate, type CertAndKey } from './x509.js';

export type { CertAndKey };

export const PKI_DIR = 'pki';

const CA_VALID_DAYS = 3650;
const LEAF_VALID_DAYS = 365;
/** reissue when less than this is left, so a restart renews before anything expires */
const RENEW_BEFORE_MS = 30 * 24 * 60 * 60 * 1000;

/** Who a client certificate says its holder is: the CN and the O entries. */
export interface Identity {
  user: string;
  groups: readonly string[];
}

export interface ClientCredentials extends Identity, CertAndKey {}

/** The built-in identities (kube's names, so RBAC's default bindings will fit them). */
export const ADMIN: Identity = { user: 'admin', groups: ['system:masters'] };
export const SCHEDULER: Identity = { user: 'system:kube-scheduler', groups: [] };
export const CONTROLLERS: Identity = { user: 'system:kube-controller-manager', groups: [] };
export const nodeName = (n: number): string => `k8ts-node-${n}`;
export const kubeletIdentity = (node: string): Identity => ({ user: `system:node:${node}`, groups: ['system:nodes'] });
/** how the API server presents itself to kubelets (kube-apiserver's --kubelet-client-certificate) */
export const KUBELET_CLIENT: Identity = { user: 'kube-apiserver-kubelet-client', groups: ['system:masters'] };

/** File base name of an identity's pair: "system:node:x" is not a friendly file name. */
function fileBase(identity: Identity): string {
  if (identity.user === ADMIN.user) return 'admin';
  if (identity.user === KUBELET_CLIENT.user) return 'apiserver-kubelet-client';
  const node = /^system:node:(.+)$/.exec(identity.user)?.[1];
  if (node !== undefined) return `kubelet-${node}`;
  return identity.user.replace(/^system:/, '').replace(/[^A-Za-z0-9._-]/g, '_');
}

export interface PkiOptions {
  /** --address; a wildcard (0.0.0.0, ::) adds no SAN: clients reach it as 127.0.0.1/::1 */
  address: string;
  /** the `kubernetes` service's cluster IP (first address of --service-cidr), also a SAN */
  serviceIP?: string;
  /** node names; each gets a kubelet client certificate and a kubelet serving certificate */
  nodes: readonly string[];
}

export interface Pki {
  /** absolute DATA_DIR/pki */
  dir: string;
  ca: CertAndKey;
  serving: CertAndKey;
  /** client credentials by user name (CN): admin, scheduler, controllers, each kubelet */
  clients: ReadonlyMap<string, ClientCredentials>;
  /** the API server's client certificate for calling kubelets (CN kube-apiserver-kubelet-client) */
  kubeletClient: ClientCredentials;
  /** each node's kubelet serving certificate, by node name */
  kubeletServing: ReadonlyMap<string, CertAndKey>;
  /** the scheduler's serving certificate, for its /debug/decisions endpoint (kube-scheduler serves its own port too) */
  schedulerServing: CertAndKey;
  /** what this load had to make, and why (for the log); empty on a plain restart */
  issued: Array<{ file: string; reason: string }>;
}

/** The SANs the serving certificate must carry for these options. */
export function servingNames(options: Pick<PkiOptions, 'address' | 'serviceIP'>): { dnsNames: string[]; ipAddresses: string[] } {
  const wildcard = options.address === '0.0.0.0' || options.address === '::';
  const ipAddresses = ['127.0.0.1', '::1', ...(wildcard ? [] : [options.address]), ...(options.serviceIP ? [options.serviceIP] : [])];
  // the in-cluster names of the `kubernetes` service, for pods that call the API later
  const dnsNames = ['localhost', hostname().toLowerCase(), 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster.local'];
  return { dnsNames: [...new Set(dnsNames)], ipAddresses: [...new Set(ipAddresses)] };
}

/** The SANs a node's kubelet serving certificate must carry (kubelet: hostname and node IPs). */
export function kubeletServingNames(node: string, address: string): { dnsNames: string[]; ipAddresses: string[] } {
  const wildcard = address === '0.0.0.0' || address === '::';
  return { dnsNames: [...new Set([node, 'localhost'])], ipAddresses: [...new Set(['127.0.0.1', ...(wildcard ? [] : [address])])] };
}

async function readPair(dir: string, base: string): Promise<CertAndKey | undefined> {
  try {
    const [cert, key] = await Promise.all([readFile(join(dir, `${base}.crt`), 'utf8'), readFile(join(dir, `${base}.key`), 'utf8')]);
    // keys stay private even if someone copied them in with a looser mode
    const keyPath = join(dir, `${base}.key`);
    if (((await stat(keyPath)).mode & 0o077) !== 0) await chmod(keyPath, 0o600);
    return { cert, key };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

async function writePair(dir: string, base: string, pair: CertAndKey): Promise<void> {
  // key first: a crash in between leaves a mismatch, which the next start repairs
  await writeFileAtomic(join(dir, `${base}.key`), pair.key, 0o600);
  await writeFileAtomic(join(dir, `${base}.crt`), pair.cert, 0o644);
}

/** Why `pair` cannot be used as it is, or undefined when it can. */
function unusable(pair: CertAndKey | undefined, issuer: X509Certificate | undefined, now: number): string | undefined {
  if (!pair) return 'missing';
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(pair.cert);
    if (!cert.checkPrivateKey(createPrivateKey(pair.key))) return 'key does not match the certificate';
  } catch {
    return 'unreadable';
  }
  if (issuer && !(cert.checkIssued(issuer) && cert.verify(issuer.publicKey))) return 'not signed by the current CA';
  if (Date.parse(cert.validTo) - now < RENEW_BEFORE_MS) return 'expires within 30 days';
  if (Date.parse(cert.validFrom) > now + 60 * 60 * 1000) return 'not valid yet';
  return undefined;
}

/** Node prints a subject as lines "O=system:masters\nCN=admin". */
function subjectMatches(cert: X509Certificate, identity: Identity): boolean {
  const have = cert.subject.split('\n').sort();
  const want = [...identity.groups.map((g) => `O=${g}`), `CN=${identity.user}`].sort();
  return have.length === want.length && have.every((line, i) => line === want[i]);
}

function missingSans(cert: X509Certificate, names: { dnsNames: string[]; ipAddresses: string[] }): string[] {
  return [
    ...names.ipAddresses.filter((ip) => cert.checkIP(ip) === undefined),
    ...names.dnsNames.filter((dns) => cert.checkHost(dns, { subject: 'never', wildcards: false }) === undefined),
  ];
}

/** Run `fn` over `items`, at most `limit` at a time (thousands of nodes must not hit EMFILE). */
async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** Issue one more client certificate from the cluster CA (not written anywhere). */
export async function issueClientCert(pki: Pick<Pki, 'ca'>, user: string, groups: readonly string[] = [], validDays = LEAF_VALID_DAYS): Promise<ClientCredentials> {
  const pair = await issueCertificate(pki.ca, { commonName: user, organizations: groups, usage: 'client', validDays });
  return { user, groups: [...groups], ...pair };
}

/** Load DATA_DIR/pki, making whatever is missing or unusable (see the header). */
export async function loadOrCreatePki(dataDir: string, options: PkiOptions): Promise<Pki> {
  const dir = join(dataDir, PKI_DIR);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const now = Date.now();
  const issued: Pki['issued'] = [];

  let ca = await readPair(dir, 'ca');
  const caProblem = unusable(ca, undefined, now);
  if (caProblem !== undefined || !ca) {
    ca = await createCertificateAuthority(`k8ts-ca@${Math.floor(now / 1000)}`, CA_VALID_DAYS);
    await writePair(dir, 'ca', ca);
    issued.push({ file: 'ca', reason: caProblem ?? 'missing' });
  }
  const caCert = new X509Certificate(ca.cert);
  const caPair = ca;

  const names = servingNames(options);
  const servingProblem = (pair: CertAndKey | undefined) => {
    const problem = unusable(pair, caCert, now);
    if (problem !== undefined || !pair) return problem ?? 'missing';
    const missing = missingSans(new X509Certificate(pair.cert), names);
    return missing.length > 0 ? `SANs do not cover ${missing.join(', ')}` : undefined;
  };
  let serving = await readPair(dir, 'apiserver');
  const servingReason = servingProblem(serving);
  if (servingReason !== undefined || !serving) {
    serving = await issueCertificate(caPair, { commonName: 'k8ts-apiserver', usage: 'server', ...names, validDays: LEAF_VALID_DAYS });
    await writePair(dir, 'apiserver', serving);
    issued.push({ file: 'apiserver', reason: servingReason ?? 'missing' });
  }

  const clientPair = async (identity: Identity) => {
    const base = fileBase(identity);
    const pair = await readPair(dir, base);
    let reason = unusable(pair, caCert, now);
    if (reason === undefined && pair && !subjectMatches(new X509Certificate(pair.cert), identity)) reason = 'subject is not the identity';
    if (reason === undefined && pair) return { credentials: { ...identity, ...pair } };
    const made = await issueClientCert({ ca: caPair }, identity.user, identity.groups);
    await writePair(dir, base, made);
    return { credentials: made, issued: { file: base, reason: reason ?? 'missing' } };
  };
  const identities = [ADMIN, SCHEDULER, CONTROLLERS, ...options.nodes.map(kubeletIdentity)];
  const clients = await mapLimit(identities, 16, clientPair);
  for (const client of clients) if (client.issued) issued.push(client.issued); // in identity order, for a stable log line
  const kubeletClient = await clientPair(KUBELET_CLIENT);
  if (kubeletClient.issued) issued.push(kubeletClient.issued);

  // a component's serving pair: checked like the API server's (CA, key, expiry, SANs) plus its subject
  const componentServing = async (base: string, identity: Identity, wanted: { dnsNames: string[]; ipAddresses: string[] }) => {
    const pair = await readPair(dir, base);
    let reason = unusable(pair, caCert, now);
    if (reason === undefined && pair) {
      const cert = new X509Certificate(pair.cert);
      const missing = missingSans(cert, wanted);
      if (!subjectMatches(cert, identity)) reason = 'subject is not the identity';
      else if (missing.length > 0) reason = `SANs do not cover ${missing.join(', ')}`;
    }
    if (reason === undefined && pair) return { pair };
    const made = await issueCertificate(caPair, { commonName: identity.user, organizations: identity.groups, usage: 'server', ...wanted, validDays: LEAF_VALID_DAYS });
    await writePair(dir, base, made);
    return { pair: made, issued: { file: base, reason: reason ?? 'missing' } };
  };
  const kubeletServing = await mapLimit(options.nodes, 16, async (node) => ({
    node,
    ...(await componentServing(`kubelet-serving-${node}`, kubeletIdentity(node), kubeletServingNames(node, options.address))),
  }));
  for (const serving of kubeletServing) if (serving.issued) issued.push(serving.issued);
  const schedulerServing = await componentServing('kube-scheduler-serving', SCHEDULER, { dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'] });
  if (schedulerServing.issued) issued.push(schedulerServing.issued);

  return {
    dir,
    ca: caPair,
    serving,
    clients: new Map(clients.map(({ credentials }) => [credentials.user, credentials])),
    kubeletClient: kubeletClient.credentials,
    kubeletServing: new Map(kubeletServing.map(({ node, pair }) => [node, pair])),
    schedulerServing: schedulerServing.pair,
    issued,
  };
}
