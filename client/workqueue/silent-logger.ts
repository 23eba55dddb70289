/**
 * The logger used when a caller gives none: pino at level "silent", so library code can
 * always log without checking, and tests stay quiet. Shared by workqueue/ and informers/.
 */
import { pino, type Logger } from 'pino';

export const silentLogger: Logger = pino({ level: 'silent' });
