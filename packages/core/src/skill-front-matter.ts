/** The longest skill name. */
const maxSkillNameLength = 64;
/** The longest skill description, in characters. */
const maxSkillDescriptionLength = 1024;

/** What the front matter of a valid SKILL.md says. */
export interface SkillFrontMatter {
  name: string;
  description: string;
}

/** The front matter of a SKILL.md, or why it is invalid (one line for a person). */
export type SkillFrontMatterResult = { status: 'valid'; skill: SkillFrontMatter } | { status: 'invalid'; reason: string };

// The YAML library is loaded when the first SKILL.md is parsed: a gateway without skills never pays for it.
let yamlModule: Promise<typeof import('yaml')> | undefined;
const loadYaml = () => {
  yamlModule ??= import('yaml');
  return yamlModule;
};

/**
 * Why `name` cannot name a skill, or undefined when it can: lowercase letters, digits and single
 * hyphens, not at either end, at most 64 characters.
 */
export function skillNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'it is empty';
  if (name.length > maxSkillNameLength) return `it is longer than ${maxSkillNameLength} characters`;
  if (!/^[a-z0-9-]+$/.test(name)) return 'it may hold only lowercase letters, digits and hyphens';
  if (name.startsWith('-') || name.endsWith('-')) return 'it may not start or end with a hyphen';
  if (name.includes('--')) return 'it may not hold two hyphens in a row';
  return undefined;
}

/** The YAML between the opening `---` line and the closing one, or why there is none. */
function frontMatterText(text: string): { yaml: string } | { reason: string } {
  const content = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const lines = content.split(/\r?\n/);
  if (lines[0]?.trimEnd() !== '---')
    return { reason: 'it has no front matter: the file must start with a `---` line, then `name:` and `description:`' };
  const end = lines.findIndex((line, index) => index > 0 && /^(---|\.\.\.)\s*$/.test(line));
  if (end === -1) return { reason: 'its front matter is not terminated: add a `---` line after the `description:`' };
  return { yaml: lines.slice(1, end).join('\n') };
}

/**
 * Parses and checks the front matter of a SKILL.md: YAML between `---` lines (plain YAML only: no
 * tags, at most a few aliases, unique keys), a mapping with `name` equal to the skill's folder name
 * and a `description` of 1 to 1024 characters. Other keys are allowed and ignored.
 * @param folderName the name of the folder that holds the SKILL.md
 */
export async function parseSkillFrontMatter(text: string, folderName: string): Promise<SkillFrontMatterResult> {
  const invalid = (reason: string): SkillFrontMatterResult => ({ status: 'invalid', reason });
  const found = frontMatterText(text);
  if ('reason' in found) return invalid(found.reason);
  const { parseDocument } = await loadYaml();
  const document = parseDocument(found.yaml, {
    schema: 'core',
    customTags: [],
    resolveKnownTags: false,
    uniqueKeys: true,
    prettyErrors: false,
  });
  const problem = document.errors[0] ?? document.warnings[0];
  if (problem) return invalid(`its front matter is not valid YAML: ${problem.message.split('\n')[0]}`);
  let data: unknown;
  try {
    data = document.toJS({ maxAliasCount: 10 });
  } catch (error) {
    return invalid(`its front matter cannot be read: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data))
    return invalid('its front matter is not a mapping of keys (`name: ...`, `description: ...`)');
  const { name, description } = data as Record<string, unknown>;
  if (name === undefined || name === null) return invalid('its front matter has no `name`');
  if (typeof name !== 'string') return invalid('its `name` is not a string');
  const nameProblem = skillNameProblem(name);
  if (nameProblem) return invalid(`its name "${name}" is invalid: ${nameProblem}`);
  if (name !== folderName) return invalid(`its name "${name}" differs from its folder's name "${folderName}"`);
  if (description === undefined || description === null) return invalid('its front matter has no `description`');
  if (typeof description !== 'string') return invalid('its `description` is not a string');
  // The description reaches prompts, terminals and pages: no control or direction-changing characters.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/.test(description))
    return invalid('its `description` holds control characters');
  const length = [...description.trim()].length;
  if (length === 0) return invalid('its `description` is empty');
  if (length > maxSkillDescriptionLength)
    return invalid(`its \`description\` is ${length} characters long; at most ${maxSkillDescriptionLength} are allowed`);
  return { status: 'valid', skill: { name, description: description.trim() } };
}
