/** Escapes the three characters Slack reserves in message text (`&`, `<`, `>`), as Slack does. */
export function escapeSlackText(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/** Undoes {@link escapeSlackText}. */
function unescapeSlackText(text: string): string {
  return text.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');
}

/**
 * Message text as a person sees it in Slack: links show their label, mentions a name, and with
 * `mrkdwn` the emphasis, strike and code markers are gone. Entities are decoded last.
 */
export function visibleSlackText(text: string, mrkdwn: boolean, nameOf: (userId: string) => string | undefined): string {
  let visible = text.replace(/<([^<>|]+)(?:\|([^<>]*))?>/g, (_whole, target: string, label: string | undefined) => {
    if (target.startsWith('@')) return `@${label ?? nameOf(target.slice(1)) ?? target.slice(1)}`;
    if (target.startsWith('#')) return `#${label ?? target.slice(1)}`;
    if (target.startsWith('!')) return `@${label ?? target.slice(1)}`;
    return label ?? target;
  });
  if (mrkdwn) {
    visible = visible
      .replace(/```\n?([\s\S]*?)\n?```/g, '$1')
      .replace(/`([^`\n]+)`/g, '$1')
      .replace(/(^|[^\w*])\*([^*\n]+)\*(?!\w)/g, '$1$2')
      .replace(/(^|[^\w_])_([^_\n]+)_(?!\w)/g, '$1$2')
      .replace(/(^|[^\w~])~([^~\n]+)~(?!\w)/g, '$1$2');
  }
  return unescapeSlackText(visible);
}
