// Test support: the channel contract's harness for the web chat, driving it over HTTP as a page would.
import type { ChannelHarness, HarnessSent } from '@ngb/plugin-sdk/testing';
import { createManualClock, createRecordingChannelContext } from '@ngb/plugin-sdk/testing';
import { createWebChannel, type WebChannel } from './web-channel';
import { readWebEvents } from './web-event-reader';
import type { WebChannelOptions } from './web-options';
import { visitorCookieName, visitorCookieValue } from './web-visitor-cookie';

/** The key the harness's channels sign cookies with. */
export const harnessSecret = 'a-test-secret-of-at-least-32-characters';

/** The cookie header of visitor `id`, signed with {@link harnessSecret}. */
export function visitorCookie(id: string, secret = harnessSecret): string {
  return `${visitorCookieName}=${visitorCookieValue(id, secret)}`;
}

/** What a visitor's page was sent, read from a fresh event stream from the start of its buffer. */
async function receivedBy(channel: WebChannel, chatId: string): Promise<Array<{ event: string; data: Record<string, unknown> }>> {
  const headers = { cookie: visitorCookie(chatId) };
  const history = await channel.handleRequest(new Request('http://localhost/chat/api/history', { headers }));
  const { lastEventId } = (await history.json()) as { lastEventId: number };
  if (lastEventId === 0) return [];
  const response = await channel.handleRequest(new Request('http://localhost/chat/api/events?lastEventId=0', { headers }));
  const reader = readWebEvents(response);
  const events = await reader.until((event) => event.id === String(lastEventId));
  await reader.cancel();
  return events.map((event) => ({ event: event.event ?? 'message', data: JSON.parse(event.data ?? '{}') }));
}

/**
 * Visitors are chats: a message "from" chat `77` is posted with the cookie of visitor `77` (the sender
 * named in the input only gives the display name, since a visitor's sender id is its chat id).
 */
export function createWebChannelHarness(options: Partial<WebChannelOptions> = {}): ChannelHarness & {
  readonly channel: WebChannel | undefined;
} {
  let channel: WebChannel | undefined;
  const chats = new Set<string>();
  const current = () => {
    if (!channel) throw new Error('[test] call create() first');
    return channel;
  };
  return {
    get channel() {
      return channel;
    },
    platform: { directChatId: '77', groups: false, echoesOwnMessages: false, replies: true },
    async create() {
      chats.clear();
      channel = createWebChannel({ secret: harnessSecret, clock: createManualClock(), ...options });
      return channel;
    },
    async injectInbound(input) {
      if (input.kind !== undefined && input.kind !== 'message') throw new Error('[test] visitors cannot edit or delete');
      chats.add(input.chatId);
      const response = await current().handleRequest(
        new Request('http://localhost/chat/api/messages', {
          method: 'POST',
          headers: { 'content-type': 'application/json', cookie: visitorCookie(input.chatId) },
          body: JSON.stringify({ text: input.text, name: input.sender.name, replyTo: input.replyTo }),
        }),
      );
      if (!response.ok) throw new Error(`[test] the web chat answered ${response.status}: ${await response.text()}`);
    },
    async pressButton(input) {
      chats.add(input.chatId);
      const response = await current().handleRequest(
        new Request('http://localhost/chat/api/choices', {
          method: 'POST',
          headers: { 'content-type': 'application/json', cookie: visitorCookie(input.chatId) },
          body: JSON.stringify({ messageId: input.platformMessageId, choiceId: input.choiceId }),
        }),
      );
      // The contract's context takes no press as an answer: 409 `not-taken` is what the page then gets.
      if (!response.ok && response.status !== 409)
        throw new Error(`[test] the web chat answered ${response.status}: ${await response.text()}`);
    },
    async sent(): Promise<HarnessSent> {
      const sent: HarnessSent = { messages: [], edits: [], deletions: [], typing: [], files: [] };
      for (const chatId of new Set(['77', ...chats])) {
        for (const { event, data } of await receivedBy(current(), chatId)) {
          const platformMessageId = String(data.id);
          const text = String(data.text);
          const format = data.format === 'markdown' ? 'markdown' : 'plain';
          if (event === 'message') {
            const replyTo = typeof data.replyTo === 'string' ? { replyTo: data.replyTo } : {};
            const buttons = Array.isArray(data.choices) ? { buttons: data.choices as Array<{ id: string; label: string }> } : {};
            sent.messages.push({ chatId, platformMessageId, text, format, ...replyTo, ...buttons });
          } else if (event === 'edit') sent.edits.push({ chatId, platformMessageId, text, format });
          else if (event === 'delete') sent.deletions.push({ chatId, platformMessageId });
          else if (event === 'typing') sent.typing.push({ chatId });
        }
      }
      return sent;
    },
  };
}

/** A context that records what `receive` got, and can hold or fail it; each message is stored as `stored-<n>`. */
export function createTestContext() {
  const recording = createRecordingChannelContext({ answer: (recorded) => ({ messageId: `stored-${recorded}`, routed: [] }) });
  return {
    context: recording.context,
    received: recording.received,
    statuses: recording.statuses,
    calls: recording.receiveCalls,
    /** Holds every `receive` until the returned function is called. */
    hold: recording.holdReceive,
    fail: recording.failReceive,
  };
}
