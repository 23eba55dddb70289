import t from 'tap';
import { classifyContentType, mediaTypeOf, objectBodyFormat, patchFormat, type BodyFormat } from './content-type.js';

t.test('classifyContentType', async (t) => {
  const cases: Array<[string | undefined, BodyFormat | undefined]> = [
    ['application/json', 'json'],
    ['application/json; charset=utf-8', 'json'],
    ['Application/JSON;charset=UTF-8', 'json'],
    ['application/yaml', 'yaml'],
    ['application/vnd.kubernetes.protobuf', 'protobuf'],
    ['application/json-patch+json', 'json-patch'],
    ['application/merge-patch+json', 'merge-patch'],
    ['application/strategic-merge-patch+json; charset=utf-8', 'strategic-merge-patch'],
    ['application/apply-patch+yaml', 'apply-patch'],
    ['text/plain', undefined],
    ['application/xml', undefined],
    ['', undefined],
    [undefined, undefined],
  ];
  for (const [ct, want] of cases) t.equal(classifyContentType(ct), want, String(ct));
  t.equal(mediaTypeOf(' Application/Yaml ; x=y'), 'application/yaml');
});

t.test('objectBodyFormat: json/yaml/protobuf, json when absent, else 415', async (t) => {
  t.equal(objectBodyFormat(undefined), 'json');
  t.equal(objectBodyFormat(''), 'json');
  t.equal(objectBodyFormat('application/json; charset=utf-8'), 'json');
  t.equal(objectBodyFormat('application/yaml'), 'yaml');
  t.equal(objectBodyFormat('application/vnd.kubernetes.protobuf'), 'protobuf');
  for (const ct of ['text/plain', 'application/merge-patch+json', 'application/x-www-form-urlencoded']) {
    t.throws(() => objectBodyFormat(ct), { reason: 'UnsupportedMediaType', code: 415, message: /^the body of the request was in an unknown format - accepted media types include: / }, ct);
  }
});

t.test('patchFormat: the four patch types, else 415 with kube wording', async (t) => {
  t.equal(patchFormat('application/json-patch+json'), 'json-patch');
  t.equal(patchFormat('application/merge-patch+json; charset=utf-8'), 'merge-patch');
  t.equal(patchFormat('application/strategic-merge-patch+json'), 'strategic-merge-patch');
  t.equal(patchFormat('application/apply-patch+yaml'), 'apply-patch');
  const all =
    'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json, application/apply-patch+yaml';
  for (const ct of [undefined, '', 'application/json', 'text/plain']) {
    t.throws(() => patchFormat(ct), { reason: 'UnsupportedMediaType', code: 415, message: all }, String(ct));
  }
  t.throws(() => patchFormat('application/strategic-merge-patch+json', { strategicMerge: false }), {
    code: 415,
    message:
      'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml',
  });
  t.equal(patchFormat('application/merge-patch+json', { strategicMerge: false }), 'merge-patch');
});
