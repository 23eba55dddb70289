/**
 * The Status a remote command ends with (kube's remotecommand server, protocol v4+): what
 * kubectl turns into its own exit status. Success → exit 0. A non-zero exit is reason
 * NonZeroExitCode with the code as an ExitCode cause — kubectl prints "command terminated
 * with exit code N" and exits N. Anything else is an InternalError whose message kubectl
 * prints as "error: …".
 */
export interface RemoteCommandStatus {
  metadata: Record<string, never>;
  status: 'Success' | 'Failure';
  message?: string;
  reason?: string;
  details?: { causes: Array<{ reason: string; message: string }> };
  code?: number;
}

export const successStatus = (): RemoteCommandStatus => ({ metadata: {}, status: 'Success' });

export function exitStatus(command: readonly string[], exitCode: number): RemoteCommandStatus {
  if (exitCode === 0) return successStatus();
  return {
    metadata: {},
    status: 'Failure',
    message: `command terminated with non-zero exit code: error executing command [${command.join(' ')}], exit code ${exitCode}`,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(exitCode) }] },
  };
}

export function errorStatus(message: string): RemoteCommandStatus {
  return { metadata: {}, status: 'Failure', message, reason: 'InternalError', code: 500 };
}
