import type { Logger } from '@ngb/plugin-sdk';
import { LogLevel, type Logger as SlackLogger } from '@slack/web-api';

/**
 * Routes the Slack SDK's own log lines to the channel's logger at debug level: every failure they
 * report reaches the adapter as an error or a closed socket, which it logs once, with its decision.
 */
export function slackSdkLogger(logger: () => Logger): SlackLogger {
  let level = LogLevel.INFO;
  const write = (messages: unknown[]) => logger().debug(`slack sdk: ${messages.map(String).join(' ')}`);
  return {
    debug: (...messages) => write(messages),
    info: (...messages) => write(messages),
    warn: (...messages) => write(messages),
    error: (...messages) => write(messages),
    setLevel: (next) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}
