/**
 * The container's argv, by CRI's rule (containerd's WithProcessArgs, CRI-O the same):
 * the pod's `command` replaces the image's Entrypoint *and* drops its Cmd; `args` alone
 * replace only Cmd; neither keeps Entrypoint + Cmd. An empty result is the user's mistake
 * (no command anywhere), reported as InvalidArgument before anything is created.
 */
import { CriError } from '../../../cri/errors.js';

export function processArgs(
  command: readonly string[],
  args: readonly string[],
  image: { Entrypoint?: string[] | null; Cmd?: string[] | null } | undefined,
): string[] {
  let result: string[];
  if (command.length > 0) result = [...command, ...args];
  else if (args.length > 0) result = [...(image?.Entrypoint ?? []), ...args];
  else result = [...(image?.Entrypoint ?? []), ...(image?.Cmd ?? [])];
  if (result.length === 0) throw new CriError('InvalidArgument', 'no command specified');
  return result;
}
