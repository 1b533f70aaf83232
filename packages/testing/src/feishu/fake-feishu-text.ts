// How people see a message's content in the fake Feishu.

/** The text a person reads in a `text` or `post` content (word joiners, which are invisible, removed). */
export function shownText(msgType: string, content: unknown): string {
  const body = (typeof content === 'object' && content !== null ? content : {}) as Record<string, unknown>;
  if (msgType === 'text') return String(body.text ?? '').replace(/\u2060/g, '');
  if (msgType === 'interactive') {
    // A card: the text of its markdown and plain-text elements, one per line.
    const elements = Array.isArray(body.elements) ? (body.elements as Array<Record<string, unknown>>) : [];
    return elements
      .map((element) =>
        element.tag === 'markdown'
          ? String(element.content ?? '')
          : String((element.text as { content?: unknown } | undefined)?.content ?? ''),
      )
      .join('\n')
      .replace(/\u2060/g, '');
  }
  if (msgType !== 'post') return '';
  const locale = Object.values(body).find((value) => typeof value === 'object' && value !== null) as
    | { title?: unknown; content?: unknown }
    | undefined;
  const lines: string[] = [];
  if (typeof locale?.title === 'string' && locale.title !== '') lines.push(locale.title);
  for (const paragraph of Array.isArray(locale?.content) ? locale.content : []) {
    if (!Array.isArray(paragraph)) continue;
    lines.push(
      paragraph
        .map((element: { tag?: unknown; text?: unknown; user_name?: unknown }) => {
          if (element.tag === 'hr') return '---';
          if (element.tag === 'at') return `@${String(element.user_name ?? '')}`;
          return typeof element.text === 'string' ? element.text : '';
        })
        .join(''),
    );
  }
  return lines.join('\n');
}

/** How a message is written: a post or a card with a markdown element is markdown, the rest plain. */
export function shownFormat(msgType: string, content: unknown): 'markdown' | 'plain' {
  if (msgType === 'post') return 'markdown';
  const elements = (content as { elements?: unknown } | null)?.elements;
  return msgType === 'interactive' && Array.isArray(elements) && elements.some((element) => element?.tag === 'markdown')
    ? 'markdown'
    : 'plain';
}

/** True when a post's content is well formed: a locale of paragraphs of elements with known tags. */
export function validPost(content: unknown): boolean {
  if (typeof content !== 'object' || content === null) return false;
  const locales = Object.values(content);
  if (locales.length === 0) return false;
  const known = new Set(['text', 'a', 'at', 'img', 'media', 'emotion', 'hr', 'code_block', 'md']);
  return locales.every(
    (locale) =>
      typeof locale === 'object' &&
      locale !== null &&
      Array.isArray((locale as { content?: unknown }).content) &&
      (locale as { content: unknown[] }).content.every(
        (paragraph) =>
          Array.isArray(paragraph) &&
          paragraph.every((element: { tag?: unknown; href?: unknown }) => {
            if (!known.has(String(element?.tag))) return false;
            return element.tag !== 'a' || (typeof element.href === 'string' && /^(https?:|mailto:)/.test(element.href));
          }),
      ),
  );
}
