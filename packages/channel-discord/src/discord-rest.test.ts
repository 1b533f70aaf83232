import type { RequestMethod } from '@discordjs/rest';
import { createFakeDiscordServer, type FakeDiscordServer } from '@ngb/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createDiscordClient } from './create-discord-client';
import { DiscordAPIError } from './discord-rest';

describe('Discord REST client', () => {
  let fake: FakeDiscordServer | undefined;
  afterEach(async () => fake?.close());

  it("answers with Node's own fetch Response, not through an HTTP stack of its own", async () => {
    fake = await createFakeDiscordServer();
    const client = createDiscordClient(fake.apiUrl, fake.token);
    try {
      const response = await client.rest.queueRequest({ fullRoute: '/users/@me', method: 'GET' as RequestMethod });
      expect(response).toBeInstanceOf(Response);
      // The error classes the adapter maps are those of the same build.
      const refused = await client.rest.get('/channels/404404').catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(DiscordAPIError);
    } finally {
      await client.destroy();
    }
  });
});
