/** Whether a D1 error (possibly wrapped by drizzle, which keeps the driver's error as `cause`) is a UNIQUE violation. */
export function isUniqueViolation(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++)
    if (/UNIQUE constraint failed/i.test(String((e as Error).message ?? e))) return true;
  return false;
}
