import type { TimedGatewayEvent } from '@ngb/core';
import { colors } from '../colors';
import { formatDuration, oneLine, shortId } from '../render/format';
import { qrCodeForTerminal } from '../render/qr-code';

function time(at: number): string {
  return colors.dim(new Date(at).toTimeString().slice(0, 8));
}

/**
 * The console line `serve` prints for an event, or undefined for the ones it leaves to `ngb logs`.
 * @param verbose `serve --debug`: also tool calls and the text of messages
 */
export function describeEvent(event: TimedGatewayEvent, verbose: boolean): string | undefined {
  switch (event.type) {
    case 'message.received': {
      // What people write is shown with --debug only, as in the log: the console is often a log too (journald).
      const text = verbose ? oneLine(event.text, 80) : colors.dim(`(${event.text.length} characters)`);
      return `${time(event.at)} ${colors.cyan('←')} ${event.channel}:${event.chatId} ${event.senderId}: ${text}`;
    }
    case 'turn.end': {
      const mark =
        event.status === 'succeeded' ? colors.green('✓') : event.status === 'retrying' ? colors.yellow('↻') : colors.red('✗');
      const detail = event.error ? ` ${oneLine(event.error, 100)}` : '';
      const retry = event.retryInMs !== undefined ? ` (retry in ${formatDuration(event.retryInMs)})` : '';
      return `${time(event.at)} ${mark} turn ${shortId(event.turnId)} session ${shortId(event.sessionId)} ${event.status} in ${formatDuration(event.durationMs)}${detail}${retry}`;
    }
    case 'delivery.sent':
      return `${time(event.at)} ${colors.cyan('→')} ${event.channel}:${event.chatId} sent (${event.chunks} part${event.chunks === 1 ? '' : 's'})`;
    case 'delivery.failed':
      return `${time(event.at)} ${colors.red('✗')} delivery to ${event.channel}:${event.chatId} failed${event.permanent ? ' for good' : ''}: ${oneLine(event.error, 100)}`;
    case 'channel.status':
      if (event.status.state === 'connecting' && event.status.login !== undefined) {
        // The person who runs serve links the bot here; the dashboard shows the same code.
        const { instructions, code } = event.status.login;
        return `${time(event.at)} ${colors.yellow('!')} ${event.channel} waits for a login: ${instructions}\n${qrCodeForTerminal(code)}`;
      }
      return `${time(event.at)} ${event.channel} ${event.status.state}${'error' in event.status && event.status.error ? `: ${event.status.error}` : ''}`;
    case 'message.dropped': {
      // Every message no agent got is shown with its reason: nothing is dropped silently.
      const who = event.senderId === undefined ? '' : ` ${event.senderId}`;
      return `${time(event.at)} ${colors.yellow('⊘')} ${event.channel}:${event.chatId}${who}: not passed to an agent (${event.reason})`;
    }
    case 'gateway.claimed':
      return `${time(event.at)} ${colors.green('✓')} gateway claimed: ${event.channel}:${event.senderId} is the owner`;
    case 'identity.linked':
      return `${time(event.at)} ${colors.green('✓')} ${event.channel}:${event.senderId} linked to user ${shortId(event.userId)}`;
    case 'approval.requested':
      return `${time(event.at)} approval ${event.code} requested (${event.kind})`;
    case 'model.fallback':
      return `${time(event.at)} ${colors.yellow('!')} model ${event.from} failed; falling back to ${event.to} (${event.error})`;
    case 'plugin.error':
      return `${time(event.at)} ${colors.yellow('!')} plugin ${event.plugin} ${event.hook}: ${event.error}`;
    case 'skill.invalid':
      return `${time(event.at)} ${colors.yellow('!')} skill skipped: ${event.reason}`;
    case 'plugin.status': {
      const mark =
        event.state === 'failed' ? colors.red('✗') : event.state === 'needs-approval' ? colors.yellow('!') : colors.green('✓');
      const version = event.version ? ` ${event.version}` : '';
      const why = event.error ? `: ${oneLine(event.error, 160)}` : '';
      const kept = event.state === 'failed' ? ' (the previous version keeps running)' : '';
      return `${time(event.at)} ${mark} plugin ${event.plugin}${version} ${event.state}${why}${kept}`;
    }
    case 'heartbeat': {
      const why = event.reason ? ` (${oneLine(event.reason, 120)})` : '';
      return `${time(event.at)} heartbeat of agent ${shortId(event.agentId)} ${event.state}${why}`;
    }
    case 'tool.start':
      return verbose ? `${time(event.at)}   ⚙ ${event.name} (session ${shortId(event.sessionId)})` : undefined;
    default:
      return undefined;
  }
}
