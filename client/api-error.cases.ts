/** ApiError from Statuses (and from bodies that are not Statuses), and the reason helpers. */
import t from 'tap';
import { ApiError, asStatus, isAlreadyExists, isConflict, isGone, isNotFound, isTimeout, syntheticStatus } from './api-error.js';

t.test('helpers by reason and code', async (t) => {
  const rows: Array<{ status: ConstructorParameters<typeof ApiError>[0]; is: Array<(e: unknown) => boolean> }> = [
    { status: { code: 404, reason: 'NotFound' }, is: [isNotFound] },
    { status: { code: 409, reason: 'AlreadyExists' }, is: [isAlreadyExists] },
    { status: { code: 409, reason: 'Conflict' }, is: [isConflict] },
    { status: { code: 410, reason: 'Expired' }, is: [isGone] },
    { status: { code: 410 }, is: [isGone] },
    { status: { code: 504, reason: 'Timeout' }, is: [isTimeout] },
    { status: { code: 500, reason: 'ServerTimeout' }, is: [isTimeout] },
  ];
  const all = [isNotFound, isAlreadyExists, isConflict, isGone, isTimeout];
  for (const row of rows) {
    const err = new ApiError(row.status);
    for (const is of all) t.equal(is(err), row.is.includes(is), `${row.status.code} ${row.status.reason ?? ''}: ${is.name}`);
  }
  t.notOk(isNotFound(Object.assign(new Error('x'), { code: 404 })), 'only ApiErrors');
});

t.test('a Status without a reason gets kube reason for its code; bodies that are not Statuses', async (t) => {
  t.equal(new ApiError({ code: 410 }).reason, 'Expired');
  t.match(new ApiError({ code: 418 }).message, /418/);
  const s = syntheticStatus(502, '<html>bad gateway</html>', 'Bad Gateway');
  t.same([s.code, s.reason, s.message, s.kind], [502, 'InternalError', '<html>bad gateway</html>', 'Status']);
  t.match(syntheticStatus(404, '').message, /404 with no body/);
  t.equal(asStatus({ kind: 'ConfigMap' }), undefined);
  t.equal(asStatus('text'), undefined);
  t.ok(asStatus({ kind: 'Status', code: 403 }));
});
