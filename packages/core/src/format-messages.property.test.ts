import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeXml, formatMessages, type PromptMessage } from './format-messages';

const seed = 16_4002;

interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: (string | XmlElement)[];
}

// XML 1.0 `Char`: what a well-formed document may hold at all, escaped or not.
const xmlChar = /^[\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]*$/u;
const namePattern = /[A-Za-z_][A-Za-z0-9_.-]*/y;
const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** A strict reader of the subset of XML the formatter writes: elements, attributes, text, the five entities. */
function parseXml(document: string): XmlElement {
  if (!xmlChar.test(document)) throw new Error('a character XML 1.0 does not allow');
  let position = 0;
  const fail = (why: string): never => {
    throw new Error(`${why} at ${position}: ${JSON.stringify(document.slice(position, position + 20))}`);
  };
  const decode = (raw: string, inAttribute: boolean): string => {
    if (raw.includes('<')) fail('a raw "<"');
    if (inAttribute && raw.includes('"')) fail('a raw quote in an attribute');
    return raw.replace(/&([^;]*);?/g, (match, name: string) => {
      const value = match.endsWith(';') ? entities[name] : undefined;
      return value ?? fail(`a raw "&" (${match})`);
    });
  };
  const readName = (): string => {
    namePattern.lastIndex = position;
    const match = namePattern.exec(document);
    if (!match) return fail('a name expected');
    position += match[0].length;
    return match[0];
  };
  const readElement = (): XmlElement => {
    if (document[position] !== '<') fail('"<" expected');
    position += 1;
    const element: XmlElement = { name: readName(), attributes: {}, children: [] };
    for (;;) {
      const space = /\s*/y;
      space.lastIndex = position;
      const spaced = (space.exec(document)?.[0].length ?? 0) > 0;
      position = space.lastIndex;
      if (document.startsWith('/>', position)) {
        position += 2;
        return element;
      }
      if (document[position] === '>') {
        position += 1;
        break;
      }
      if (!spaced) fail('space expected before an attribute');
      const attribute = readName();
      if (attribute in element.attributes) fail(`attribute ${attribute} twice`);
      if (!document.startsWith('="', position)) fail('=" expected');
      const end = document.indexOf('"', position + 2);
      if (end === -1) fail('unterminated attribute');
      element.attributes[attribute] = decode(document.slice(position + 2, end), true);
      position = end + 1;
    }
    for (;;) {
      const next = document.indexOf('<', position);
      if (next === -1) fail(`</${element.name}> missing`);
      if (next > position) element.children.push(decode(document.slice(position, next), false));
      position = next;
      if (document.startsWith('</', position)) {
        position += 2;
        if (readName() !== element.name) fail(`</${element.name}> expected`);
        if (document[position] !== '>') fail('">" expected');
        position += 1;
        return element;
      }
      element.children.push(readElement());
    }
  };
  const root = readElement();
  if (position !== document.length) fail('content after the root element');
  return root;
}

// Text with everything a hostile sender might try: markup, entities, quotes, controls, lone surrogates.
const hostile = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc
    .array(
      fc.oneof(
        fc.constantFrom(
          '<',
          '>',
          '&',
          '"',
          "'",
          '&amp;',
          '&lt;',
          '</message>',
          '<message sender="x">',
          ']]>',
          '<!--',
          '\0',
          '\u0001',
          '\uFFFE',
          '\uD800',
          '\r\n',
        ),
        fc.string({ maxLength: 6 }),
      ),
      { maxLength: 12 },
    )
    .map((parts) => parts.join('')),
);

const promptMessage: fc.Arbitrary<PromptMessage> = fc.record(
  {
    senderId: hostile,
    senderName: hostile,
    text: hostile,
    timestamp: fc.integer({ min: 0, max: Date.UTC(2100, 0, 1) }),
    context: fc.boolean(),
    attachments: fc.array(hostile, { maxLength: 3 }),
    replyTo: fc.record({ author: hostile, text: hostile }, { requiredKeys: [] }),
  },
  { requiredKeys: ['senderId', 'text', 'timestamp'] },
);

/** What a text is once written into XML and read back: the characters XML cannot hold become U+FFFD. */
function asXmlText(text: string): string {
  return text.replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '\uFFFD');
}

function textOf(children: readonly (string | XmlElement)[]): string {
  return children.filter((child): child is string => typeof child === 'string').join('');
}

describe('formatMessages (property)', () => {
  it('always writes well-formed XML whose attributes and text read back as the messages', () => {
    fc.assert(
      fc.property(fc.array(promptMessage, { maxLength: 4 }), fc.nat(3), (messages, omitted) => {
        const root = parseXml(formatMessages(messages, 'Asia/Kolkata', omitted));
        expect(root.name).toBe('messages');
        const elements = root.children.filter((child): child is XmlElement => typeof child !== 'string');
        expect(textOf(root.children).trim()).toBe('');
        const messageElements = elements.filter((element) => element.name === 'message');
        expect(elements.length - messageElements.length).toBe(omitted > 0 ? 1 : 0);
        expect(messageElements).toHaveLength(messages.length);
        messages.forEach((message, index) => {
          const element = messageElements[index] as XmlElement;
          expect(element.attributes.sender).toBe(asXmlText(message.senderName?.trim() || message.senderId));
          expect(element.attributes.context).toBe(message.context ? 'true' : undefined);
          const replyTo = element.children.filter((child): child is XmlElement => typeof child !== 'string');
          const quoted = message.replyTo && (message.replyTo.author !== undefined || message.replyTo.text !== undefined);
          expect(replyTo.map((child) => child.name)).toEqual(quoted ? ['reply_to'] : []);
          if (quoted && replyTo[0]) {
            expect(replyTo[0].attributes.author).toBe(
              message.replyTo?.author === undefined ? undefined : asXmlText(message.replyTo.author),
            );
            expect(textOf(replyTo[0].children)).toBe(asXmlText(message.replyTo?.text ?? ''));
          }
          const files = (message.attachments ?? []).map((line) => `\n${line}`).join('');
          expect(textOf(element.children)).toBe(asXmlText(`${quoted ? '\n' : ''}${message.text}${files}`));
        });
      }),
      { seed, numRuns: 150 },
    );
  });

  it('escapes any text to one that holds no markup and reads back as itself', () => {
    fc.assert(
      fc.property(hostile, (text) => {
        const root = parseXml(`<t a="${escapeXml(text)}">${escapeXml(text)}</t>`);
        expect(root.attributes.a).toBe(asXmlText(text));
        expect(textOf(root.children)).toBe(asXmlText(text));
        expect(root.children.every((child) => typeof child === 'string')).toBe(true);
      }),
      { seed, numRuns: 300 },
    );
  });
});
