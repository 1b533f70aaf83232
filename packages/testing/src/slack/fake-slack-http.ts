import type { ServerResponse } from 'node:http';

/** Web API parameters of a form-encoded or JSON body; form fields holding JSON are parsed. */
export function parseParams(body: Buffer, contentType: string): Record<string, unknown> {
  const text = body.toString('utf8');
  if (contentType.includes('application/json')) {
    try {
      const parsed: unknown = JSON.parse(text || '{}');
      return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
    } catch {
      return {};
    }
  }
  const params: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(text)) {
    params[key] = value;
    if (/^[[{]/.test(value)) {
      try {
        params[key] = JSON.parse(value);
      } catch {
        // kept as the string it was
      }
    }
  }
  return params;
}

/** Answers with a JSON body. */
export function writeJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { ...headers, 'content-type': 'application/json; charset=utf-8' });
  response.end(text);
}
