// A fake Relay platform on loopback: answers the bot's API as Relay does and records what the bot sent.
import { createServer } from 'node:http';

export async function createFakeRelay({ token = 'relay-token', webhookSecret = 'relay-secret' } = {}) {
  const messages = [];
  let nextId = 1;
  const server = createServer(async (request, response) => {
    const answer = (status, body) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    if (request.headers.authorization !== `Bearer ${token}`) return answer(401, { error: 'unauthorized' });
    if (request.method === 'GET' && request.url === '/me') return answer(200, { id: 'bot-1', name: 'relaybot' });
    if (request.method === 'POST' && request.url === '/messages') {
      let text = '';
      for await (const chunk of request) text += chunk;
      const body = JSON.parse(text);
      const platformMessageId = `m${nextId++}`;
      messages.push({ chatId: body.chat, platformMessageId, text: body.text, format: body.format, replyTo: body.replyTo });
      return answer(200, { id: platformMessageId });
    }
    return answer(404, { error: 'not found' });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${server.address().port}`;
  let updates = 0;
  return {
    url,
    token,
    webhookSecret,
    messages,
    /** The request Relay posts to the gateway's webhook for a person's message. */
    webhookRequest(input, { signed = true } = {}) {
      return new Request('http://gateway.test/channels/relay/webhook', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-relay-secret': signed ? webhookSecret : 'not-the-secret' },
        body: JSON.stringify({
          id: `u${++updates}`,
          chat: input.chatId,
          group: input.isGroup === true,
          sender: input.sender,
          text: input.text,
          replyTo: input.replyTo,
          at: Date.now(),
        }),
      });
    },
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}
