/**
 * The three files every container of a pod gets bind-mounted from the sandbox directory:
 * /etc/hosts, /etc/resolv.conf and /etc/hostname.
 *
 * hosts: kubelet's managed file, byte for byte (pkg/kubelet/kubelet_pods.go,
 * managedHostsFileContent): the "# Kubernetes-managed hosts file." header, the loopback and
 * IPv6 boilerplate, `<podIP>\t<hostname>` (`<podIP>\t<hostname>.<domain>\t<hostname>` with a
 * subdomain), then the pod's hostAliases. A host-network pod gets the node's own hosts file
 * under the "(host network)" header instead, as kubelet does.
 *
 * resolv.conf: written like containerd and CRI-O write it from the sandbox's DNSConfig
 * (search, nameservers, options). With no servers in the DNSConfig (no cluster DNS yet) the
 * host's resolvers are used; nameservers on 127.0.0.0/8 or ::1 are dropped for a pod on the
 * pod network, because inside the pod's own namespace that address is the pod itself
 * (Docker filters them the same way; kubelet instead expects --resolv-conf to point at a
 * usable file, as kubeadm does with systemd-resolved's, which is also tried here).
 *
 * hostname: the pod's hostname and a newline, as containerd writes it.
 *
 * Builders are pure; `writePodFiles` does the reading and writing.
 */
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DNSConfig } from '../../../cri/api.js';

export interface HostAlias {
  ip: string;
  hostnames: string[];
}

export const MANAGED_HOSTS_HEADER = '# Kubernetes-managed hosts file.\n';
export const MANAGED_HOSTS_HEADER_HOST_NETWORK = '# Kubernetes-managed hosts file (host network).\n';
/** the host's resolver file; systemd-resolved's real upstream list when the former is its stub */
export const HOST_RESOLV_CONF = '/etc/resolv.conf';
export const SYSTEMD_RESOLVED_RESOLV_CONF = '/run/systemd/resolve/resolv.conf';
export const HOST_HOSTS = '/etc/hosts';
/** glibc reads at most 3 nameservers (MAXNS); kubelet applies the same limit */
export const MAX_NAMESERVERS = 3;

export function hostAliasesSection(aliases: readonly HostAlias[] | undefined): string {
  if (!aliases || aliases.length === 0) return '';
  return `\n# Entries added by HostAliases.\n${aliases.map((a) => `${a.ip}\t${a.hostnames.join('\t')}\n`).join('')}`;
}

export function managedHostsContent(podIPs: readonly string[], hostname: string, hostDomainName: string | undefined, aliases?: readonly HostAlias[]): string {
  let out = MANAGED_HOSTS_HEADER;
  out += '127.0.0.1\tlocalhost\n';
  out += '::1\tlocalhost ip6-localhost ip6-loopback\n';
  out += 'fe00::0\tip6-localnet\n';
  out += 'fe00::0\tip6-mcastprefix\n';
  out += 'fe00::1\tip6-allnodes\n';
  out += 'fe00::2\tip6-allrouters\n';
  for (const ip of podIPs) out += hostDomainName ? `${ip}\t${hostname}.${hostDomainName}\t${hostname}\n` : `${ip}\t${hostname}\n`;
  return out + hostAliasesSection(aliases);
}

export function hostNetworkHostsContent(nodeHosts: string, aliases?: readonly HostAlias[]): string {
  return MANAGED_HOSTS_HEADER_HOST_NETWORK + nodeHosts + hostAliasesSection(aliases);
}

/** kubelet's parseResolvConf: nameservers accumulate, the last search and options lines win, comments are dropped */
export function parseResolvConf(text: string): DNSConfig {
  const servers: string[] = [];
  let searches: string[] = [];
  let options: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('#') || line.startsWith(';')) continue;
    const fields = line.split(/\s+/).filter(Boolean);
    if (fields.length === 0) continue;
    if (fields[0] === 'nameserver' && fields[1]) servers.push(fields[1]);
    else if (fields[0] === 'search') searches = fields.slice(1).map((s) => s.replace(/\.$/, ''));
    else if (fields[0] === 'options') options = fields.slice(1);
  }
  return { servers, searches, options };
}

/** a loopback resolver: unreachable from a pod's own network namespace */
export const isLoopbackNameserver = (server: string): boolean => /^127\./.test(server) || server === '::1' || server === '0:0:0:0:0:0:0:1';

/** the file a pod gets: containerd's layout (search, nameservers, options), no comments */
export function formatResolvConf(dns: DNSConfig): string {
  let out = '';
  if (dns.searches.length > 0) out += `search ${dns.searches.join(' ')}\n`;
  for (const server of dns.servers) out += `nameserver ${server}\n`;
  if (dns.options.length > 0) out += `options ${dns.options.join(' ')}\n`;
  return out;
}

/**
 * What a pod's resolv.conf says: the sandbox's DNSConfig when it names servers; otherwise
 * the host's resolvers (loopback ones dropped unless the pod shares the host's network),
 * with the DNSConfig's searches and options taking precedence when it has any.
 */
export function podResolvConf(dnsConfig: DNSConfig | undefined, host: DNSConfig, hostNetwork = false): string {
  if (dnsConfig && dnsConfig.servers.length > 0) return formatResolvConf(dnsConfig);
  const servers = (hostNetwork ? host.servers : host.servers.filter((s) => !isLoopbackNameserver(s))).slice(0, MAX_NAMESERVERS);
  return formatResolvConf({
    servers,
    searches: dnsConfig && dnsConfig.searches.length > 0 ? dnsConfig.searches : host.searches,
    options: dnsConfig && dnsConfig.options.length > 0 ? dnsConfig.options : host.options,
  });
}

/**
 * The host's resolver configuration: /etc/resolv.conf, or systemd-resolved's upstream file
 * when /etc/resolv.conf names only loopback resolvers (its 127.0.0.53 stub) and that file
 * exists. Empty when neither can be read.
 */
export function chooseHostResolvConf(etcResolvConf: string | undefined, resolvedResolvConf: string | undefined): DNSConfig {
  const etc = parseResolvConf(etcResolvConf ?? '');
  if (etc.servers.length > 0 && etc.servers.every(isLoopbackNameserver) && resolvedResolvConf !== undefined) {
    const upstream = parseResolvConf(resolvedResolvConf);
    if (upstream.servers.some((s) => !isLoopbackNameserver(s))) return upstream;
  }
  return etc;
}

export interface PodFilesOptions {
  hostname: string;
  /** `<subdomain>.<namespace>.svc.<clusterDomain>` when the pod has a subdomain */
  hostDomainName?: string;
  /** the pod's IP; a pod on the pod network without one gets no hostname line */
  podIP?: string;
  hostAliases?: HostAlias[];
  dnsConfig?: DNSConfig;
  hostNetwork?: boolean;
  /** the host files read (defaults: /etc/resolv.conf, systemd-resolved's, /etc/hosts); tests point them elsewhere */
  hostResolvConfPath?: string;
  resolvedResolvConfPath?: string;
  hostHostsPath?: string;
}

export interface PodFilePaths {
  hosts: string;
  resolvConf: string;
  hostname: string;
}

export const podFilePaths = (dir: string): PodFilePaths => ({
  hosts: join(dir, 'hosts'),
  resolvConf: join(dir, 'resolv.conf'),
  hostname: join(dir, 'hostname'),
});

const readOptional = (path: string): Promise<string | undefined> => readFile(path, 'utf8').catch(() => undefined);

/**
 * Rewritten in place, as kubelet does (os.WriteFile), not via rename: the files are
 * bind-mounted into running containers, and a bind mount keeps showing the old inode.
 */
async function writeInPlace(path: string, content: string): Promise<void> {
  await writeFile(path, content, { mode: 0o644 });
  await chmod(path, 0o644);
}

/** writes hosts, resolv.conf and hostname into `dir` (created when missing); returns their paths */
export async function writePodFiles(dir: string, opts: PodFilesOptions): Promise<PodFilePaths> {
  await mkdir(dir, { recursive: true, mode: 0o755 });
  const paths = podFilePaths(dir);
  const hosts = opts.hostNetwork
    ? hostNetworkHostsContent((await readOptional(opts.hostHostsPath ?? HOST_HOSTS)) ?? '', opts.hostAliases)
    : managedHostsContent(opts.podIP ? [opts.podIP] : [], opts.hostname, opts.hostDomainName, opts.hostAliases);
  const host = chooseHostResolvConf(
    await readOptional(opts.hostResolvConfPath ?? HOST_RESOLV_CONF),
    await readOptional(opts.resolvedResolvConfPath ?? SYSTEMD_RESOLVED_RESOLV_CONF),
  );
  await writeInPlace(paths.hosts, hosts);
  await writeInPlace(paths.resolvConf, podResolvConf(opts.dnsConfig, host, opts.hostNetwork));
  await writeInPlace(paths.hostname, `${opts.hostname}\n`);
  return paths;
}
