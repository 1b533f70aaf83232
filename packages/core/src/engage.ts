import type { Agent, Chat, InboundMessage, UserRole, Wiring } from '@ngb/plugin-sdk';

/** Escapes text for use inside a regular expression. */
function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

// Compiled expressions by source: compiling one (a Unicode-aware one above all) costs more than
// routing a message. They hold no data, so nothing in them can go stale; the cap bounds memory.
const compiledCap = 256;
const compiled = new Map<string, RegExp>();
const mentionTriggers = new Map<string, RegExp>();

function compile(source: string, flags: string): RegExp {
  const key = `${flags}/${source}`;
  let expression = compiled.get(key);
  if (expression === undefined) {
    expression = new RegExp(source, flags);
    if (compiled.size >= compiledCap) compiled.clear();
    compiled.set(key, expression);
  }
  return expression;
}

/** The default mention trigger of an agent: `^@<assistant name>\b`, case-insensitive. */
function mentionTrigger(assistantName: string): RegExp {
  let trigger = mentionTriggers.get(assistantName);
  if (trigger === undefined) {
    trigger = compile(`^@${escapeRegExp(assistantName)}(?![\\p{L}\\p{N}_])`, 'iu');
    if (mentionTriggers.size >= compiledCap) mentionTriggers.clear();
    mentionTriggers.set(assistantName, trigger);
  }
  return trigger;
}

/**
 * Whether a wiring engages its agent for a message. Direct messages always engage.
 * `pattern` wirings match their regex (case-insensitive); `mention` wirings need the platform's
 * mention flag or the text to start with `@<assistant name>`. `mention-sticky` wirings engage on a
 * mention here; the router engages them too in a thread that is still sticky (see {@link isStickyCandidate}).
 */
export function shouldEngage(
  wiring: Wiring,
  agent: Agent,
  chat: Pick<Chat, 'isGroup'>,
  message: Pick<InboundMessage, 'text' | 'mentionsBot'>,
): boolean {
  if (!chat.isGroup) return true;
  switch (wiring.engage) {
    case 'always':
      return true;
    case 'pattern':
      return wiring.pattern !== undefined && compile(wiring.pattern, 'i').test(message.text);
    case 'mention':
    case 'mention-sticky':
      return message.mentionsBot || mentionTrigger(agent.assistantName ?? agent.name).test(message.text.trimStart());
  }
}

/**
 * Whether a message can engage a `mention-sticky` wiring through stickiness: only in a thread of a
 * group. A direct message engages anyway and never makes or uses stickiness; the main timeline of a
 * group is never sticky (one mention would otherwise make the agent answer everyone there, which is
 * what `always` is for).
 */
export function isStickyCandidate(
  wiring: Pick<Wiring, 'engage'>,
  chat: Pick<Chat, 'isGroup'>,
  message: Pick<InboundMessage, 'threadId'>,
): message is { threadId: string } {
  return wiring.engage === 'mention-sticky' && chat.isGroup && message.threadId !== undefined && message.threadId !== '';
}

/** True when the roles make the user an owner, or an admin of this agent (global or scoped). */
export function isAdminOf(roles: readonly UserRole[], agentId: string | undefined): boolean {
  return roles.some(
    (role) => role.role === 'owner' || (role.role === 'admin' && (role.agentId === undefined || role.agentId === agentId)),
  );
}

/** What the access check decided for a sender. */
export type AccessDecision = 'allow' | 'deny' | 'request';

/**
 * Who may talk to an agent: owners and admins always; members of the agent always; everyone else
 * by the chat's unknown-sender policy (`public` allows, `strict` denies, `request_approval` asks the owner).
 */
export function decideAccess(input: {
  chat: Pick<Chat, 'unknownSenderPolicy'>;
  roles: readonly UserRole[];
  agentId: string;
  isMember: boolean;
}): AccessDecision {
  if (isAdminOf(input.roles, input.agentId) || input.isMember) return 'allow';
  switch (input.chat.unknownSenderPolicy) {
    case 'public':
      return 'allow';
    case 'strict':
      return 'deny';
    case 'request_approval':
      return 'request';
  }
}
