/** An EventRecorder that keeps every event in order, for assertions. */
import type { EventRecorder, EventType } from '../../../client/events/types.js';
import type { KubeObject } from '../../../client/types.js';

export interface RecordedEvent {
  type: EventType;
  reason: string;
  message: string;
  fieldPath?: string;
  podName?: string;
}

export class RecordingEventRecorder implements EventRecorder {
  readonly events: RecordedEvent[] = [];

  event(regarding: KubeObject, type: EventType, reason: string, message: string, opts?: { fieldPath?: string }): void {
    this.events.push({ type, reason, message, ...(opts?.fieldPath ? { fieldPath: opts.fieldPath } : {}), ...(regarding.metadata?.name ? { podName: regarding.metadata.name } : {}) });
  }

  /** "Reason: message" lines, compact for t.match / t.same */
  lines(reason?: string): string[] {
    return this.events.filter((e) => !reason || e.reason === reason).map((e) => `${e.reason}: ${e.message}`);
  }
}
