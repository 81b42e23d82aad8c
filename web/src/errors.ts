// Turning any failed response into one sentence a person can act on: Kubernetes Status messages and
// /v1 error bodies as the server wrote them, and a plain fallback for anything else (a proxy's HTML page).

export class RequestError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** The message of a Kubernetes Status or a /v1 `{"error": {"message"}}` body; undefined if neither. */
export function messageOf(body: unknown): string | undefined {
  if (!body || typeof body !== "object") return undefined;
  const record = body as Record<string, unknown>;
  if (record.kind === "Status" && typeof record.message === "string") return record.message;
  const error = record.error as Record<string, unknown> | undefined;
  if (error && typeof error.message === "string") return error.message;
  return undefined;
}

/** The sentence shown for a failed response whose body text is `text`. */
export function describeFailure(status: number, text: string): string {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  const message = messageOf(body);
  if (message) return message;
  if (status >= 500) return `The server failed (HTTP ${status}). Try again in a moment.`;
  return `The request failed (HTTP ${status}).`;
}

export async function failureOf(res: Response): Promise<RequestError> {
  const text = await res.text().catch(() => "");
  return new RequestError(res.status, describeFailure(res.status, text));
}

/** What to show for a thrown value: network failures get their own words. */
export function errorText(err: unknown): string {
  if (err instanceof RequestError) return err.message;
  if (err instanceof TypeError) return "Cannot reach the server. Check your connection and try again.";
  return err instanceof Error ? err.message : String(err);
}
