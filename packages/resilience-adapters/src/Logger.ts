/**
 * The structured logger the instrumentation writes to: pino's call shape (`logger.info(obj, msg)`),
 * so a pino logger fits as is. Objects given to it are already redacted.
 */
export interface Logger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}
