import type { FakeQQSegment, FakeQQSentMessage, FakeQQUpload } from './fake-qq-types';

/** What the actions read and change. */
export interface FakeQQState {
  selfId: number;
  nickname: string;
  maxTextLength: number;
  nextMessageId(): number;
  messages: Map<number, { chatId: string; userId: number; segments: FakeQQSegment[]; time: number }>;
  sent: FakeQQSentMessage[];
  uploads: FakeQQUpload[];
  deletions: Array<{ chatId: string; messageId: number }>;
}

/** An action's answer before the envelope (`status`, `echo`) is put around it. */
export interface FakeQQAnswer {
  retcode: number;
  data: unknown;
  message?: string;
  wording?: string;
}

const ok = (data: unknown): FakeQQAnswer => ({ retcode: 0, data });
const failed = (retcode: number, wording: string): FakeQQAnswer => ({ retcode, data: null, message: wording, wording });

function decodeBase64File(file: unknown): Uint8Array | undefined {
  if (typeof file !== 'string' || !file.startsWith('base64://')) return undefined;
  return Buffer.from(file.slice('base64://'.length), 'base64');
}

function segmentsOf(message: unknown): FakeQQSegment[] | undefined {
  if (typeof message === 'string') return [{ type: 'text', data: { text: message } }];
  if (!Array.isArray(message)) return undefined;
  const segments: FakeQQSegment[] = [];
  for (const item of message) {
    if (typeof item !== 'object' || item === null || typeof (item as FakeQQSegment).type !== 'string') return undefined;
    segments.push({ type: (item as FakeQQSegment).type, data: { ...((item as FakeQQSegment).data ?? {}) } });
  }
  return segments;
}

function send(state: FakeQQState, chatId: string, message: unknown): FakeQQAnswer {
  const segments = segmentsOf(message);
  if (!segments || segments.length === 0) return failed(1400, 'message is empty or malformed');
  let text = '';
  let replyTo: string | undefined;
  const images: FakeQQSentMessage['images'] = [];
  for (const segment of segments) {
    if (segment.type === 'text') text += String(segment.data.text ?? '');
    else if (segment.type === 'reply') replyTo = String(segment.data.id);
    else if (segment.type === 'image') {
      const data = decodeBase64File(segment.data.file);
      if (!data) return failed(1400, 'image file must be base64:// in this fake');
      images.push({ ...(typeof segment.data.name === 'string' ? { name: segment.data.name } : {}), size: data.length });
    } else if (segment.type === 'at') text += `@${String(segment.data.qq)}`;
    else return failed(1400, `segment type ${segment.type} is not supported by this fake`);
  }
  if (text.length > state.maxTextLength) return failed(1400, `消息过长 (${text.length} > ${state.maxTextLength})`);
  if (text.trim() === '' && images.length === 0) return failed(1400, 'message is empty');
  const messageId = state.nextMessageId();
  state.messages.set(messageId, { chatId, userId: state.selfId, segments, time: 0 });
  state.sent.push({ messageId, chatId, segments, text, ...(replyTo === undefined ? {} : { replyTo }), images });
  return ok({ message_id: messageId });
}

const numberParam = (value: unknown) => (typeof value === 'number' || typeof value === 'string' ? Number(value) : Number.NaN);

/** Answers one OneBot v11 action the way NapCat does, for the actions the QQ adapter uses. */
export function answerFakeQQAction(state: FakeQQState, action: string, params: Record<string, unknown>): FakeQQAnswer {
  switch (action) {
    case 'get_login_info':
      return ok({ user_id: state.selfId, nickname: state.nickname });
    case 'get_status':
      return ok({ online: true, good: true });
    case 'send_private_msg':
    case 'send_group_msg': {
      const group = action === 'send_group_msg';
      const id = numberParam(group ? params.group_id : params.user_id);
      if (!Number.isSafeInteger(id)) return failed(1400, `${group ? 'group_id' : 'user_id'} is missing`);
      return send(state, `${group ? 'group' : 'private'}:${id}`, params.message);
    }
    case 'delete_msg': {
      const id = numberParam(params.message_id);
      const message = state.messages.get(id);
      if (!message) return failed(1404, 'message not found');
      state.messages.delete(id);
      state.deletions.push({ chatId: message.chatId, messageId: id });
      return ok(null);
    }
    case 'get_msg': {
      const id = numberParam(params.message_id);
      const message = state.messages.get(id);
      if (!message) return failed(1404, 'message not found');
      return ok({ message_id: id, time: message.time, sender: { user_id: message.userId }, message: message.segments });
    }
    case 'upload_private_file':
    case 'upload_group_file': {
      const group = action === 'upload_group_file';
      const id = numberParam(group ? params.group_id : params.user_id);
      const data = decodeBase64File(params.file);
      if (!Number.isSafeInteger(id) || !data || typeof params.name !== 'string')
        return failed(1400, 'user_id/group_id, file (base64://) and name are required');
      const fileId = `/${state.uploads.length + 1}-${params.name}`;
      state.uploads.push({ fileId, chatId: `${group ? 'group' : 'private'}:${id}`, name: params.name, size: data.length });
      return ok({ file_id: fileId });
    }
    default:
      return failed(1404, `action ${action} not found`);
  }
}
