import type { LlmScriptError } from '@ngb/plugin-sdk/testing';

/** One entry of `GET /v1/models`, with the fields of both the OpenAI and the Anthropic shapes. */
export interface FakeModelEntry {
  id: string;
  object: 'model';
  type: 'model';
  created: number;
  created_at: string;
  owned_by: string;
  display_name: string;
}

const created = Date.UTC(2025, 0, 1) / 1000;

/** The `GET /v1/models` body, readable by both SDKs' model list calls. */
export function modelsListBody(models: string[]): {
  object: 'list';
  data: FakeModelEntry[];
  has_more: false;
  first_id: string | null;
  last_id: string | null;
} {
  const data = models.map(
    (id): FakeModelEntry => ({
      id,
      object: 'model',
      type: 'model',
      created,
      created_at: new Date(created * 1000).toISOString(),
      owned_by: 'ngb-fake-llm',
      display_name: id,
    }),
  );
  return { object: 'list', data, has_more: false, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null };
}

/** The retry headers of a scripted error: `retry-after-ms` and `retry-after` (whole seconds), then the step's own. */
export function scriptErrorHeaders(step: LlmScriptError): Record<string, string> {
  const headers: Record<string, string> = {};
  if (step.retryAfterMs !== undefined) {
    headers['retry-after-ms'] = String(step.retryAfterMs);
    headers['retry-after'] = String(Math.ceil(step.retryAfterMs / 1000));
  }
  return { ...headers, ...step.headers };
}

const messages: Record<number, string> = {
  400: 'invalid request',
  401: 'invalid x-api-key',
  403: 'permission denied',
  404: 'not found',
  408: 'request timed out',
  429: 'rate limit exceeded',
  500: 'internal server error',
  502: 'bad gateway',
  503: 'service unavailable',
  529: 'Overloaded',
};

/** The default message of a scripted error. */
export function scriptErrorMessage(status: number): string {
  return messages[status] ?? `scripted error ${status}`;
}
