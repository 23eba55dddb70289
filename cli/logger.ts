/**
 * The process logger: pretty for a human at a terminal, JSON lines otherwise (CI, log
 * collectors, tests). Both streams are synchronous so that everything logged before a
 * shutdown or a crash is on stdout when the process exits; k8ts logs little, so the
 * cost of sync writes does not matter.
 */
import { pino, type Logger } from 'pino';
import pretty from 'pino-pretty';
import type { LogLevel } from './options.js';

export function createLogger(level: LogLevel, tty = process.stdout.isTTY === true): Logger {
  if (tty) {
    return pino({ level }, pretty({ sync: true, colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,component' }));
  }
  return pino({ level }, pino.destination({ dest: 1, sync: true }));
}
