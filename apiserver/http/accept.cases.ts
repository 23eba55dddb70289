import t from 'tap';
import { negotiateDiscovery, negotiateResponse, parseAccept, type Endpoint, type NegotiatedResponse } from './accept.js';

const KUBECTL_TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';
const KUBECTL_TABLE_BETA_FIRST = 'application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';
const PROTOBUF_PREFERRED = 'application/vnd.kubernetes.protobuf,application/json';
const METADATA_LIST = 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1';
const METADATA_LIST_CLIENT_GO =
  'application/vnd.kubernetes.protobuf;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json';
const METADATA_WATCH = 'application/vnd.kubernetes.protobuf;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,application/json';

const json = (target: NegotiatedResponse['target'], pretty = false): NegotiatedResponse => ({ mediaType: 'application/json', target, pretty });
const asIs = json({ as: 'Object' });

t.test('parseAccept: ranges, parameters, order', async (t) => {
  t.same(parseAccept(undefined), []);
  t.same(parseAccept(''), []);
  t.same(parseAccept('application/json'), [{ type: 'application', subtype: 'json', params: {}, q: 1 }]);
  t.same(parseAccept('Application/JSON; Charset=UTF-8'), [{ type: 'application', subtype: 'json', params: { charset: 'UTF-8' }, q: 1 }]);
  t.same(parseAccept('*'), [{ type: '*', subtype: '*', params: {}, q: 1 }]);
  t.same(
    parseAccept('text/plain;q=0.5, */*;q=0.5, application/*;q=0.5, application/json;q=0.5, application/yaml;q=0.9').map((r) => `${r.type}/${r.subtype};q=${r.q}`),
    ['application/yaml;q=0.9', 'text/plain;q=0.5', 'application/json;q=0.5', 'application/*;q=0.5', '*/*;q=0.5'],
  );
  t.same(parseAccept('application/json;as="Table";v=v1').map((r) => r.params), [{ as: 'Table', v: 'v1' }]);
  t.same(parseAccept('garbage, /json, application/, */json, application/json').length, 1, 'malformed ranges are dropped');
  t.same(parseAccept('a/b;q=x').map((r) => r.q), [1], 'a bad q is ignored');
});

t.test('negotiateResponse: the forms kubectl and client-go ask for', async (t) => {
  const cases: Array<[string | undefined, Endpoint, NegotiatedResponse]> = [
    [undefined, 'list', asIs],
    ['', 'object', asIs],
    ['application/json', 'list', asIs],
    ['application/json, */*', 'object', asIs],
    ['*/*', 'list', asIs],
    ['application/*', 'list', asIs],
    ['application/json;charset=utf-8', 'object', asIs],
    [KUBECTL_TABLE, 'list', json({ as: 'Table', version: 'v1' })],
    [KUBECTL_TABLE, 'object', json({ as: 'Table', version: 'v1' })],
    [KUBECTL_TABLE, 'watch', json({ as: 'Table', version: 'v1' })],
    [KUBECTL_TABLE_BETA_FIRST, 'list', json({ as: 'Table', version: 'v1beta1' })],
    [PROTOBUF_PREFERRED, 'object', asIs],
    [PROTOBUF_PREFERRED, 'watch', asIs],
    [METADATA_LIST, 'list', json({ as: 'PartialObjectMetadataList', version: 'v1' })],
    [METADATA_LIST_CLIENT_GO, 'list', json({ as: 'PartialObjectMetadataList', version: 'v1' })],
    [METADATA_LIST_CLIENT_GO, 'object', asIs],
    [METADATA_WATCH, 'watch', json({ as: 'PartialObjectMetadata', version: 'v1' })],
    [METADATA_WATCH, 'object', json({ as: 'PartialObjectMetadata', version: 'v1' })],
    [METADATA_WATCH, 'list', asIs],
    ['application/json;stream=watch', 'watch', asIs],
    ['application/json;pretty=1', 'object', json({ as: 'Object' }, true)],
    ['application/yaml', 'object', { mediaType: 'application/yaml', target: { as: 'Object' }, pretty: false }],
    ['application/yaml;as=Table;g=meta.k8s.io;v=v1', 'list', { mediaType: 'application/yaml', target: { as: 'Table', version: 'v1' }, pretty: false }],
    ['application/yaml, application/json', 'watch', asIs],
    ['application/json;as=Table;g=meta.k8s.io;v=v2,application/json', 'list', asIs],
    ['application/json;as=Table;v=v1,application/json', 'list', asIs],
    ['application/json;g=meta.k8s.io;v=v1,application/json', 'list', asIs],
    ['application/json;as=Pod;g=;v=v1,application/json', 'list', asIs],
    ['application/json;stream=other,application/yaml', 'object', { mediaType: 'application/yaml', target: { as: 'Object' }, pretty: false }],
    ['application/json;q=0,application/yaml', 'object', { mediaType: 'application/yaml', target: { as: 'Object' }, pretty: false }],
    ['application/yaml;q=0.5,application/json', 'object', asIs],
    ['text/html,*/*;q=0.1', 'list', asIs],
  ];
  for (const [accept, endpoint, want] of cases) t.same(negotiateResponse(accept, endpoint), want, `${accept} (${endpoint})`);
});

t.test('negotiateResponse: unsatisfiable → 406 with kube wording', async (t) => {
  const cases: Array<[string, Endpoint, string]> = [
    ['application/vnd.kubernetes.protobuf', 'object', 'only the following media types are accepted: application/json, application/yaml'],
    ['text/plain', 'list', 'only the following media types are accepted: application/json, application/yaml'],
    ['application/json;as=Table;g=meta.k8s.io;v=v2', 'list', 'only the following media types are accepted: application/json, application/yaml'],
    ['application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1', 'object', 'only the following media types are accepted: application/json, application/yaml'],
    ['application/yaml', 'watch', 'only the following media types are accepted: application/json'],
    ['application/json;q=0', 'list', 'only the following media types are accepted: application/json, application/yaml'],
  ];
  for (const [accept, endpoint, message] of cases) t.throws(() => negotiateResponse(accept, endpoint), { reason: 'NotAcceptable', code: 406, message }, accept);
});

t.test('negotiateDiscovery', async (t) => {
  const v2 = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';
  const v2beta1 = 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';
  t.same(negotiateDiscovery(v2), { form: 'v2', contentType: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList' });
  t.same(negotiateDiscovery(v2beta1), { form: 'v2beta1', contentType: 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList' });
  t.same(negotiateDiscovery('application/json, */*'), { form: 'legacy', contentType: 'application/json' });
  t.same(negotiateDiscovery(undefined), { form: 'legacy', contentType: 'application/json' });
  t.same(negotiateDiscovery('application/json;g=apidiscovery.k8s.io;v=v3;as=APIGroupDiscoveryList,application/json').form, 'legacy');
});
