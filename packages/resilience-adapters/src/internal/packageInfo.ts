/** The instrumentation scope name and version reported to OpenTelemetry. */
export const packageName = '@ecrkit/resilience-adapters';
export const packageVersion = '0.1.0';
