// The token, maybe dressed in markdown emphasis or code marks, maybe with trailing punctuation.
const token = String.raw`[*_\x60]*HEARTBEAT_OK[*_\x60]*[.!]*`;
const leading = new RegExp(String.raw`^\s*${token}(?:\s+|$)`, 'i');
const trailing = new RegExp(String.raw`(?:^|\s+)${token}\s*$`, 'i');

/**
 * What of a heartbeat answer goes to the user: nothing when the answer is only `HEARTBEAT_OK`
 * (trimmed, any case, with trailing `.` or `!`, bold or in code marks); otherwise the answer with a
 * token that opens or closes it removed (the model said "nothing" and then something: the something
 * is delivered). A token in the middle of a text is left as written.
 * @returns the text to deliver, or '' for none
 */
export function heartbeatReply(answer: string): string {
  return answer.replace(leading, '').replace(trailing, '').trim();
}
