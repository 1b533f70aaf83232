import * as v from 'valibot';

/** The body of `POST <path>/api/messages`. */
function webMessageRequestSchema(maxMessageLength: number) {
  return v.object(
    {
      text: v.pipe(
        v.string('"text" must be a string'),
        v.check((text) => text.trim().length > 0, '"text" must not be empty'),
        v.maxLength(maxMessageLength, `"text" must be at most ${maxMessageLength} characters`),
      ),
      replyTo: v.optional(
        v.pipe(
          v.string('"replyTo" must be a message id'),
          v.minLength(1, '"replyTo" must be a message id'),
          v.maxLength(128, '"replyTo" must be a message id'),
        ),
      ),
      // A label the visitor chose; identity is the signed cookie, never this.
      name: v.optional(
        v.pipe(
          v.string('"name" must be a string'),
          v.trim(),
          v.minLength(1, '"name" must not be empty'),
          v.maxLength(64, '"name" must be at most 64 characters'),
          v.regex(/^[^\p{Cc}\p{Cf}]*$/u, '"name" must not hold control characters'),
        ),
      ),
    },
    'the body must be a JSON object',
  );
}

/** A parsed message request. */
type WebMessageRequest = v.InferOutput<ReturnType<typeof webMessageRequestSchema>>;

/** Parses the body text: the request, or the error code and message to answer 400 with. */
export function parseWebMessageRequest(
  body: string,
  maxMessageLength: number,
): { ok: true; request: WebMessageRequest } | { ok: false; code: string; message: string } {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { ok: false, code: 'invalid-json', message: 'the request body is not valid JSON' };
  }
  const result = v.safeParse(webMessageRequestSchema(maxMessageLength), json);
  if (result.success) return { ok: true, request: result.output };
  const issue = result.issues[0];
  const tooLong = issue.type === 'max_length' && v.getDotPath(issue) === 'text';
  return { ok: false, code: tooLong ? 'text-too-long' : 'invalid-message', message: issue.message };
}
