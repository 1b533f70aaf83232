import * as v from 'valibot';

const idSchema = (field: string) =>
  v.pipe(
    v.string(`"${field}" must be a string`),
    v.minLength(1, `"${field}" must not be empty`),
    v.maxLength(128, `"${field}" must be at most 128 characters`),
  );

/** The body of `POST <path>/api/choices`: the button a visitor pressed under one of the agent's messages. */
const webChoiceRequestSchema = v.object(
  { messageId: idSchema('messageId'), choiceId: idSchema('choiceId') },
  'the body must be a JSON object',
);

/** A parsed choice request. */
type WebChoiceRequest = v.InferOutput<typeof webChoiceRequestSchema>;

/** Parses the body text: the request, or the error code and message to answer 400 with. */
export function parseWebChoiceRequest(
  body: string,
): { ok: true; request: WebChoiceRequest } | { ok: false; code: string; message: string } {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { ok: false, code: 'invalid-json', message: 'the request body is not valid JSON' };
  }
  const result = v.safeParse(webChoiceRequestSchema, json);
  if (result.success) return { ok: true, request: result.output };
  return { ok: false, code: 'invalid-choice', message: result.issues[0].message };
}
