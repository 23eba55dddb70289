import t from 'tap';
import {
  dns1035Label,
  dns1123Label,
  dns1123Subdomain,
  ipv4,
  labelValue,
  pathSegmentName,
  portNumber,
  qualifiedName,
  validateNameByRule,
} from './names.js';

const LABEL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const DNS1035_MSG =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
const QNAME_MSG =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const LABEL_VALUE_MSG =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

type Case = [string, (v: string) => string[], string, string[]];
const cases: Case[] = [
  ['label ok', dns1123Label, 'my-name', []],
  ['label digits first ok', dns1123Label, '123-abc', []],
  ['label uppercase', dns1123Label, 'My-name', [LABEL_MSG]],
  ['label dot', dns1123Label, 'a.b', [LABEL_MSG]],
  ['label trailing dash', dns1123Label, 'abc-', [LABEL_MSG]],
  ['label empty', dns1123Label, '', [LABEL_MSG]],
  ['label too long', dns1123Label, 'a'.repeat(64), ['must be no more than 63 characters']],
  ['subdomain ok', dns1123Subdomain, 'example.com', []],
  ['subdomain underscore', dns1123Subdomain, 'my_pod', [SUBDOMAIN_MSG]],
  ['subdomain too long', dns1123Subdomain, 'a'.repeat(254), ['must be no more than 253 characters']],
  ['1035 ok', dns1035Label, 'my-svc', []],
  ['1035 digit first', dns1035Label, '1svc', [DNS1035_MSG]],
  ['path segment ok', (v) => pathSegmentName(v), 'system:admin', []],
  ['path segment dot', (v) => pathSegmentName(v), '..', ["may not be '..'"]],
  ['path segment slash', (v) => pathSegmentName(v), 'a/b%', ["may not contain '/'", "may not contain '%'"]],
  ['qname ok', qualifiedName, 'app.kubernetes.io/name', []],
  ['qname plain ok', qualifiedName, 'MyName', []],
  ['qname bad name', qualifiedName, '-x', [`name part ${QNAME_MSG}`]],
  ['qname empty prefix', qualifiedName, '/x', ['prefix part must be non-empty']],
  ['qname bad prefix', qualifiedName, 'Example.com/x', [`prefix part ${SUBDOMAIN_MSG}`]],
  ['qname empty', qualifiedName, '', ['name part must be non-empty', `name part ${QNAME_MSG}`]],
  ['qname long', qualifiedName, 'a'.repeat(64), ['name part must be no more than 63 characters']],
  [
    'qname two slashes',
    qualifiedName,
    'a/b/c',
    [`a qualified name ${QNAME_MSG} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`],
  ],
  ['label value empty ok', labelValue, '', []],
  ['label value ok', labelValue, 'my_value', []],
  ['label value space', labelValue, 'a b', [LABEL_VALUE_MSG]],
  ['label value long', labelValue, 'a'.repeat(64), ['must be no more than 63 characters']],
  ['ipv4 ok', ipv4, '10.0.0.1', []],
  ['ipv4 bad', ipv4, '10.0.0.256', ['must be a valid IPv4 address']],
  ['ipv4 v6', ipv4, '::1', ['must be a valid IPv4 address']],
];

for (const [name, fn, value, want] of cases) {
  t.test(name, async (t) => t.same(fn(value), want));
}

t.test('portNumber', async (t) => {
  t.same(portNumber(1), []);
  t.same(portNumber(65535), []);
  t.same(portNumber(0), ['must be between 1 and 65535, inclusive']);
  t.same(portNumber(65536), ['must be between 1 and 65535, inclusive']);
  t.same(portNumber(1.5), ['must be between 1 and 65535, inclusive']);
});

t.test('validateNameByRule: generateName prefixes may end in a dash', async (t) => {
  t.same(validateNameByRule('dns1123-subdomain', 'web-', true), []);
  t.same(validateNameByRule('dns1123-label', 'web-', true), []);
  t.same(validateNameByRule('dns1123-subdomain', 'web-'), [SUBDOMAIN_MSG]);
  t.same(validateNameByRule('dns1123-label', 'a.b'), [LABEL_MSG]);
  t.same(validateNameByRule('path-segment', '.', true), []);
  t.same(validateNameByRule('path-segment', '.'), ["may not be '.'"]);
});
