/**
 * The SPDY/3 header-compression dictionary (SPDY Protocol draft 3, section 2.6.10.1).
 *
 * Both ends prime their zlib streams with these exact 1423 bytes; a single byte off and
 * the peer's inflater rejects the first header block ("need dictionary" / bad Adler-32).
 * The spec gives the bytes as a hex table; they are a run of u32-length-prefixed words
 * followed by one raw string, so we write them out in that shape (easier to review than
 * 1423 hex numbers) and the tests pin the total length and the Adler-32 (0xE3C6A7C2)
 * that kubectl's Go reader expects in the zlib header.
 */

/** Each word is stored as a big-endian u32 length followed by its ASCII bytes. */
const LENGTH_PREFIXED_WORDS = [
  'options', 'head', 'post', 'put', 'delete', 'trace', 'accept', 'accept-charset',
  'accept-encoding', 'accept-language', 'accept-ranges', 'age', 'allow', 'authorization',
  'cache-control', 'connection', 'content-base', 'content-encoding', 'content-language',
  'content-length', 'content-location', 'content-md5', 'content-range', 'content-type',
  'date', 'etag', 'expect', 'expires', 'from', 'host', 'if-match', 'if-modified-since',
  'if-none-match', 'if-range', 'if-unmodified-since', 'last-modified', 'location',
  'max-forwards', 'pragma', 'proxy-authenticate', 'proxy-authorization', 'range', 'referer',
  'retry-after', 'server', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'user-agent',
  'vary', 'via', 'warning', 'www-authenticate', 'method', 'get', 'status', '200 OK',
  'version', 'HTTP/1.1', 'url', 'public', 'set-cookie', 'keep-alive', 'origin',
];

/** The raw tail: status codes, reason phrases, dates and common values, no prefixes. */
const RAW_TAIL =
  '100101201202205206300302303304305306307402405406407408409410411412413414415416417502504505' +
  '203 Non-Authoritative Information204 No Content301 Moved Permanently400 Bad Request' +
  '401 Unauthorized403 Forbidden404 Not Found500 Internal Server Error501 Not Implemented' +
  '503 Service UnavailableJan Feb Mar Apr May Jun Jul Aug Sept Oct Nov Dec 00:00:00 ' +
  'Mon, Tue, Wed, Thu, Fri, Sat, Sun, GMTchunked,text/html,image/png,image/jpg,image/gif,' +
  'application/xml,application/xhtml+xml,text/plain,text/javascript,publicprivatemax-age=' +
  'gzip,deflate,sdchcharset=utf-8charset=iso-8859-1,utf-,*,enq=0.';

function buildDictionary(): Buffer {
  const parts: Buffer[] = [];
  for (const word of LENGTH_PREFIXED_WORDS) {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(word.length, 0);
    parts.push(len, Buffer.from(word, 'latin1'));
  }
  parts.push(Buffer.from(RAW_TAIL, 'latin1'));
  return Buffer.concat(parts);
}

/** The 1423-byte SPDY/3 dictionary. Treat as read-only. */
export const SPDY3_DICTIONARY: Buffer = buildDictionary();

/** The dictionary's Adler-32, as carried in the zlib header of the first header block. */
export const SPDY3_DICTIONARY_ADLER32 = 0xe3c6a7c2;
