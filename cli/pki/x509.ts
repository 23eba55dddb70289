/**
 * Making certificates: the one module that builds X.509 (everything else only reads
 * them, with node:crypto's X509Certificate).
 *
 * Why @peculiar/x509: it is a maintained TypeScript library over WebCrypto, so keys are
 * made by node's own crypto (ECDSA P-256: about a millisecond each, where RSA 2048 takes
 * tens to hundreds) and we write no ASN.1 of our own. node-forge has no ECDSA and makes
 * RSA keys in JavaScript; selfsigned only makes self-signed certificates, not a CA chain.
 * Go's crypto/tls (kubectl, client-go) accepts ECDSA P-256 certificates and PKCS#8 keys.
 *
 * It costs about 100 ms to load (and needs the reflect-metadata polyfill for its
 * dependency injection), so it is imported only when a certificate must be made: a
 * restart that finds every certificate in place never loads it.
 */
import { randomBytes, webcrypto } from 'node:crypto';

type X509Module = typeof import('@peculiar/x509');

let loaded: Promise<X509Module> | undefined;

function x509(): Promise<X509Module> {
  return (loaded ??= (async () => {
    await import('reflect-metadata'); // must run before @peculiar/x509 loads (tsyringe checks for it)
    const lib = await import('@peculiar/x509');
    lib.cryptoProvider.set(webcrypto);
    return lib;
  })());
}

/** ECDSA P-256 with SHA-256: fast to make, and what kubeadm's "ECDSA-P256" option uses. */
const KEY_ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGNING_ALGORITHM = { name: 'ECDSA', hash: 'SHA-256' } as const;

/** A certificate and its private key, both PEM (the key is PKCS#8, "PRIVATE KEY"). */
export interface CertAndKey {
  cert: string;
  key: string;
}

export interface CertificateRequest {
  commonName: string;
  /** O= entries; kube reads them as the user's groups */
  organizations?: readonly string[];
  /** serverAuth for the API server, clientAuth for everyone who calls it */
  usage: 'server' | 'client';
  dnsNames?: readonly string[];
  ipAddresses?: readonly string[];
  validDays: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;
// a little slack for clocks that are behind ours (other hosts, later)
const BACKDATE_MS = 5 * 60 * 1000;

/** 16 random bytes, first bit cleared: a positive serial of at most 20 bytes, as RFC 5280 asks. */
function serialNumber(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0]! & 0x7f) | 0x01; // positive, and no leading zero byte to strip
  return bytes.toString('hex');
}

/** O entries first, then CN, each its own RDN: the order Go's pkix.Name writes. */
function subject(commonName: string, organizations: readonly string[] = []) {
  return [...organizations.map((o) => ({ O: [o] })), { CN: [commonName] }];
}

async function newKeys(): Promise<webcrypto.CryptoKeyPair> {
  return webcrypto.subtle.generateKey(KEY_ALGORITHM, true, ['sign', 'verify']);
}

async function pemKey(lib: X509Module, key: webcrypto.CryptoKey): Promise<string> {
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', key);
  return lib.PemConverter.encode(pkcs8, 'PRIVATE KEY');
}

async function importKey(lib: X509Module, pem: string): Promise<webcrypto.CryptoKey> {
  return webcrypto.subtle.importKey('pkcs8', lib.PemConverter.decodeFirst(pem), KEY_ALGORITHM, false, ['sign']);
}

/** A self-signed CA; `commonName` should differ per CA made (we add a timestamp). */
export async function createCertificateAuthority(commonName: string, validDays: number): Promise<CertAndKey> {
  const lib = await x509();
  const keys = await newKeys();
  const now = Date.now();
  const cert = await lib.X509CertificateGenerator.createSelfSigned({
    serialNumber: serialNumber(),
    name: subject(commonName),
    notBefore: new Date(now - BACKDATE_MS),
    notAfter: new Date(now + validDays * DAY_MS),
    keys,
    signingAlgorithm: SIGNING_ALGORITHM,
    extensions: [
      new lib.BasicConstraintsExtension(true, undefined, true),
      new lib.KeyUsagesExtension(lib.KeyUsageFlags.keyCertSign | lib.KeyUsageFlags.cRLSign | lib.KeyUsageFlags.digitalSignature, true),
      await lib.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { cert: cert.toString('pem'), key: await pemKey(lib, keys.privateKey) };
}

/** A leaf certificate signed by `ca`, with a fresh key. */
export async function issueCertificate(ca: CertAndKey, request: CertificateRequest): Promise<CertAndKey> {
  const lib = await x509();
  const caCert = new lib.X509Certificate(ca.cert);
  const [caKey, keys] = await Promise.all([importKey(lib, ca.key), newKeys()]);
  const sans = [
    ...(request.dnsNames ?? []).map((value) => ({ type: 'dns' as const, value })),
    ...(request.ipAddresses ?? []).map((value) => ({ type: 'ip' as const, value })),
  ];
  const now = Date.now();
  const cert = await lib.X509CertificateGenerator.create({
    serialNumber: serialNumber(),
    subject: subject(request.commonName, request.organizations),
    issuer: caCert.subjectName, // the CA's own encoding: Go matches issuer to subject byte for byte
    notBefore: new Date(now - BACKDATE_MS),
    notAfter: new Date(now + request.validDays * DAY_MS),
    publicKey: keys.publicKey,
    signingKey: caKey,
    signingAlgorithm: SIGNING_ALGORITHM,
    extensions: [
      new lib.BasicConstraintsExtension(false, undefined, true),
      // ECDSA keys only sign; keyEncipherment is an RSA thing
      new lib.KeyUsagesExtension(lib.KeyUsageFlags.digitalSignature, true),
      new lib.ExtendedKeyUsageExtension([request.usage === 'server' ? lib.ExtendedKeyUsage.serverAuth : lib.ExtendedKeyUsage.clientAuth]),
      await lib.AuthorityKeyIdentifierExtension.create(caCert.publicKey),
      ...(sans.length > 0 ? [new lib.SubjectAlternativeNameExtension(sans)] : []),
    ],
  });
  return { cert: cert.toString('pem'), key: await pemKey(lib, keys.privateKey) };
}
