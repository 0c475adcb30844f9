import { FunnelConfig } from './funnel-config';

/** pino's transport option: a target module with its options. */
export interface LogTransport {
  target: string;
  options: Record<string, unknown>;
}

/**
 * Human-readable logs (pino-pretty) when a person watches: development, in a terminal, and
 * pino-pretty installed (a dev dependency). JSON lines otherwise, for log collectors.
 */
export function logTransport(
  config: Pick<FunnelConfig, 'NODE_ENV'>,
  isTerminal: boolean = process.stdout.isTTY === true,
  resolve: (name: string) => string = require.resolve,
): LogTransport | undefined {
  if (config.NODE_ENV !== 'development' || !isTerminal) return undefined;
  try {
    resolve('pino-pretty');
  } catch {
    return undefined;
  }
  return { target: 'pino-pretty', options: { colorize: true, singleLine: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' } };
}
