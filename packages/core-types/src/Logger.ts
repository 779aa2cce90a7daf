/**
 * The structured logger every ecrkit layer writes to: pino's call shape (`logger.info(obj, msg)`),
 * so a pino logger fits as is. Every object logged carries `module` (which layer: `pipeline`,
 * `services`, `services.auth`, ...) and `event_type` (what happened, in capitals: `API_ERROR`,
 * `ACCESS_DENIED`, `CROSS_ACCOUNT_ACCESS`, `TOKEN_REFRESH_FAILED`, ...), and never a secret.
 */
export interface Logger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}
