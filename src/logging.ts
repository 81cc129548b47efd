/**
 * The root pino logger and per-component child loggers. `LOG_LEVEL=info,hub=debug` gives the
 * root `info` and the `hub` component `debug`; pino child loggers carry their own level, so a
 * component can be more (or less) verbose than the rest.
 */
import { pino, type Logger, type LoggerOptions } from 'pino';
import type { Config, LogLevels } from './config.js';

export type { Logger } from 'pino';

/** Request headers that must never reach a log line. */
const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'token',
  '*.token',
];

export function createLogger(config: Pick<Config, 'logLevel' | 'environment'>, opts: { pretty?: boolean } = {}): Logger {
  const pretty = opts.pretty ?? (config.environment === 'development' && process.stdout.isTTY === true);
  const options: LoggerOptions = {
    level: lowestLevel(config.logLevel),
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    base: undefined,
  };
  if (pretty) {
    return pino({
      ...options,
      transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' } },
    });
  }
  const root = pino(options);
  return root;
}

/**
 * A child logger for one component, at the component's own level when LOG_LEVEL names one,
 * else at the base level.
 */
export function componentLogger(root: Logger, levels: LogLevels, component: string): Logger {
  return root.child({ component }, { level: levels.components[component] ?? levels.base });
}

/** The root logger must let through the most verbose level that any component asks for. */
function lowestLevel(levels: LogLevels): string {
  const order = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];
  const all = [levels.base, ...Object.values(levels.components)];
  return all.reduce((lowest, level) => (order.indexOf(level) < order.indexOf(lowest) ? level : lowest), levels.base);
}
