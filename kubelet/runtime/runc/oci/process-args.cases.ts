import t from 'tap';
import { isCriError } from '../../../cri/errors.js';
import { processArgs } from './process-args.js';

type Image = { Entrypoint?: string[]; Cmd?: string[] } | undefined;
const image: Image = { Entrypoint: ['/entry'], Cmd: ['default-arg'] };

const cases: Array<[name: string, command: string[], args: string[], image: Image, want: string[]]> = [
  ['command and args replace the image', ['sh', '-c'], ['echo hi'], image, ['sh', '-c', 'echo hi']],
  ['command alone drops the image Cmd', ['sleep'], [], image, ['sleep']],
  ['args alone keep the Entrypoint', [], ['x', 'y'], image, ['/entry', 'x', 'y']],
  ['neither: Entrypoint + Cmd', [], [], image, ['/entry', 'default-arg']],
  ['neither, only Cmd', [], [], { Cmd: ['sh'] }, ['sh']],
  ['neither, only Entrypoint', [], [], { Entrypoint: ['/bin/app'] }, ['/bin/app']],
  ['args without an image Entrypoint', [], ['httpd', '-f'], { Cmd: ['sh'] }, ['httpd', '-f']],
  ['no image config', ['true'], [], undefined, ['true']],
];
for (const [name, command, args, img, want] of cases) t.same(processArgs(command, args, img), want, name);

for (const [name, img] of [
  ['empty image', {}],
  ['no image config', undefined],
  ['empty lists', { Entrypoint: [], Cmd: [] }],
] as Array<[string, Image]>) {
  t.test(`no command: ${name}`, async (t) => {
    try {
      processArgs([], [], img);
      t.fail('should throw');
    } catch (err) {
      t.ok(isCriError(err, 'InvalidArgument'));
      t.equal((err as Error).message, 'no command specified');
    }
  });
}
