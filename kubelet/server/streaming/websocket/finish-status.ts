/**
 * The bytes that end an exec/attach session on the error channel, per protocol version.
 *
 * kube's rules (remotecommand v1WriteStatusFunc / v4WriteStatusFunc):
 *   v4, v5 (and v4.base64): the metav1.Status as JSON, always, success included —
 *     `{"metadata":{},"status":"Success"}`; kubectl reads the exit code from it.
 *   v1-v3 (and base64.channel.k8s.io, ""): nothing on success; on failure only the
 *     Status message text.
 * Field order follows Go's struct order (metadata, status, message, reason, details, code)
 * with empty fields omitted, so the bytes match kube's json.Marshal.
 */

export interface FinishStatus {
  status: 'Success' | 'Failure';
  message?: string;
  reason?: string;
  details?: unknown;
  code?: number;
}

/** undefined = write nothing on the error channel */
export function encodeFinishStatus(statusAsJson: boolean, status: FinishStatus): Buffer | undefined {
  if (statusAsJson) {
    const ordered: Record<string, unknown> = { metadata: {}, status: status.status };
    if (status.message) ordered.message = status.message;
    if (status.reason) ordered.reason = status.reason;
    if (status.details !== undefined && status.details !== null) ordered.details = status.details;
    if (status.code) ordered.code = status.code;
    return Buffer.from(JSON.stringify(ordered));
  }
  if (status.status === 'Success') return undefined;
  return Buffer.from(status.message ?? '');
}
