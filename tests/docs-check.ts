import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

// The checks tests/docs.test.ts runs over docs/ and the README: pure functions of a page's text and of
// the sources of truth they are handed (the CLI's command table, the config schema's paths, the metrics
// registry), so each can be shown to fail on a planted bad example.

/** A problem found in a page, with where. */
export interface DocsProblem {
  file: string;
  line: number;
  problem: string;
}

const fence = /^\s*(```|~~~)/;

/** Lines of a page with, for each, whether it is inside a fenced code block. */
function lines(text: string): Array<{ text: string; line: number; code: boolean }> {
  let code = false;
  return text.split('\n').map((line, index) => {
    if (fence.test(line)) {
      code = !code;
      return { text: '', line: index + 1, code: false };
    }
    return { text: line, line: index + 1, code };
  });
}

/** Every `ngb <command> [<subcommand>]` a page shows: in code blocks and in inline code. */
export function commandMentions(text: string): Array<{ command: string; subcommand?: string; line: number }> {
  const found: Array<{ command: string; subcommand?: string; line: number }> = [];
  const invocation = /(?:^|[\s;&|(`$])ngb ([a-z][a-z-]*)(?: ([a-z][a-z-]*))?/g;
  for (const { text: line, line: number, code } of lines(text)) {
    const spans = code ? [line] : [...line.matchAll(/`([^`]+)`/g)].map((match) => ` ${match[1] ?? ''}`);
    for (const span of spans) {
      for (const match of span.matchAll(invocation)) {
        found.push({ command: match[1] ?? '', subcommand: match[2], line: number });
      }
    }
  }
  return found;
}

/** The commands of the CLI: each top-level name with its subcommands (none for a plain command). */
export type CommandTree = ReadonlyMap<string, readonly string[]>;

/** Commands a page shows that the CLI does not have. */
export function unknownCommands(file: string, text: string, commands: CommandTree): DocsProblem[] {
  const problems: DocsProblem[] = [];
  for (const mention of commandMentions(text)) {
    const subcommands = commands.get(mention.command);
    if (subcommands === undefined) {
      problems.push({ file, line: mention.line, problem: `ngb ${mention.command}: no such command` });
    } else if (subcommands.length > 0 && mention.subcommand !== undefined && !subcommands.includes(mention.subcommand)) {
      problems.push({ file, line: mention.line, problem: `ngb ${mention.command} ${mention.subcommand}: no such subcommand` });
    }
  }
  return problems;
}

/** Inline code spans outside code blocks that look like config paths: a top-level key, then `.key` segments. */
function configKeyMentions(text: string, topLevelKeys: readonly string[]): Array<{ path: string; line: number }> {
  const found: Array<{ path: string; line: number }> = [];
  for (const { text: line, line: number, code } of lines(text)) {
    if (code) continue;
    for (const match of line.matchAll(/`([^`\s]+)`/g)) {
      const span = (match[1] ?? '').replace(/\[[^\]]*\]/g, '');
      const segments = span.split('.');
      if (segments.length < 2 || !topLevelKeys.includes(segments[0] ?? '')) continue;
      // A file name such as `budgets.ts`, not a key.
      if (/^(?:ts|js|mjs|cjs|json|md|yml|yaml|db)$/.test(segments[segments.length - 1] ?? '')) continue;
      if (segments.some((segment) => !/^(?:<[^>]+>|[A-Za-z0-9_$-]+)$/.test(segment))) continue;
      found.push({ path: span, line: number });
    }
  }
  return found;
}

/** Whether a path named in a page is one of the schema's paths (`<name>` segments match any key). */
function isKnownPath(path: string, knownPaths: readonly string[]): boolean {
  const segments = path.split('.');
  return knownPaths.some((known) => {
    const knownSegments = known.split('.');
    if (knownSegments.length !== segments.length) return false;
    return knownSegments.every((knownSegment, index) => {
      const segment = segments[index] ?? '';
      // A placeholder on either side (`<folder>`, `<option>`) stands for any key at that place.
      return knownSegment.startsWith('<') || segment.startsWith('<') || segment === knownSegment;
    });
  });
}

/** Config paths a page names that the schema does not have. */
export function unknownConfigKeys(file: string, text: string, knownPaths: readonly string[]): DocsProblem[] {
  const topLevelKeys = [...new Set(knownPaths.map((path) => path.split('.')[0] ?? ''))];
  return configKeyMentions(text, topLevelKeys)
    .filter((mention) => !isKnownPath(mention.path, knownPaths))
    .map((mention) => ({ file, line: mention.line, problem: `\`${mention.path}\` is not a key of ngb.config.json` }));
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
export function githubAnchor(heading: string): string {
  return heading
    .replace(/`/g, '')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** The anchors of a page's headings, repeated ones with GitHub's `-1`, `-2` suffixes. */
export function anchorsOf(text: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const { text: line, code } of lines(text)) {
    const heading = code ? undefined : /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line)?.[1];
    if (heading === undefined) continue;
    const anchor = githubAnchor(heading);
    const count = seen.get(anchor) ?? 0;
    seen.set(anchor, count + 1);
    anchors.add(count === 0 ? anchor : `${anchor}-${count}`);
  }
  return anchors;
}

/** Relative links and anchors of a page that do not resolve. `read` gives another page's text. */
export function brokenLinks(file: string, text: string, read: (path: string) => string | undefined = readPage): DocsProblem[] {
  const problems: DocsProblem[] = [];
  for (const { text: line, line: number, code } of lines(text)) {
    if (code) continue;
    const prose = line.replace(/`[^`]*`/g, '');
    for (const match of prose.matchAll(/!?\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
      const target = match[1] ?? '';
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue;
      const [pathPart = '', anchor] = target.split('#');
      const path = pathPart === '' ? file : resolve(dirname(file), decodeURIComponent(pathPart));
      if (pathPart !== '' && !existsSync(path)) {
        problems.push({ file, line: number, problem: `link to ${target}: no such file` });
        continue;
      }
      if (anchor === undefined) continue;
      const page = pathPart === '' ? text : read(path);
      if (page === undefined || !anchorsOf(page).has(anchor)) {
        problems.push({ file, line: number, problem: `link to ${target}: no heading with that anchor` });
      }
    }
  }
  return problems;
}

function readPage(path: string): string | undefined {
  return existsSync(path) && statSync(path).isFile() && path.endsWith('.md') ? readFileSync(path, 'utf8') : undefined;
}

/** Names in the Prometheus text format's `# TYPE` lines, with the series a histogram or summary adds. */
export function exportedMetricNames(exposition: string): Set<string> {
  const names = new Set<string>();
  for (const match of exposition.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    const [, name = '', type] = match;
    names.add(name);
    if (type === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) names.add(`${name}${suffix}`);
    if (type === 'summary') for (const suffix of ['_sum', '_count']) names.add(`${name}${suffix}`);
  }
  return names;
}

/** `ngb_` metric names a page or rules file names that the server does not export. */
export function unknownMetrics(file: string, text: string, exported: ReadonlySet<string>): DocsProblem[] {
  const problems: DocsProblem[] = [];
  text.split('\n').forEach((line, index) => {
    for (const match of line.matchAll(/\bngb_[a-z0-9_]+\b/g)) {
      if (!exported.has(match[0])) problems.push({ file, line: index + 1, problem: `metric ${match[0]} is not exported` });
    }
  });
  return problems;
}

/** The pages the checks read: the README and every Markdown file under docs/. */
export function docsPages(root: string, list: (directory: string) => string[]): string[] {
  return [join(root, 'README.md'), ...list(join(root, 'docs')).filter((path) => path.endsWith('.md'))];
}
