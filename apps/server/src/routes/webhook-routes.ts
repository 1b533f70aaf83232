import { type ChannelAdapter, canHandleWebhooks, type Logger } from '@ngb/plugin-sdk';
import { Hono } from 'hono';
import { errorResponse, jsonError } from '../http/json-error';

/**
 * `POST /channels/<name>/webhook` for every webhook-capable channel: the request goes to the
 * adapter as it came (it checks the platform's signature or secret itself and answers 2xx only once
 * the message is stored). Other channels and unknown names get 404.
 */
export function webhookRoutes(channels: readonly ChannelAdapter[], logger: Logger): Hono {
  const byName = new Map(channels.filter((channel) => canHandleWebhooks(channel)).map((channel) => [channel.name, channel]));
  const app = new Hono();
  app.all('/:name/webhook', async (context) => {
    const channel = byName.get(context.req.param('name'));
    if (!channel || !canHandleWebhooks(channel)) {
      return jsonError(404, 'not_found', `no channel named "${context.req.param('name')}" takes webhooks here`);
    }
    try {
      return await channel.handleWebhook(context.req.raw);
    } catch (error) {
      return errorResponse(error, logger);
    }
  });
  return app;
}
