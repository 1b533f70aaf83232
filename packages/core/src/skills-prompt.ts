import { escapeXml } from './format-messages';
import type { Skill } from './read-skill-scope';

/**
 * The system prompt's list of skills: each one's name, description and where its SKILL.md is in
 * the sandbox (the agent reads the file itself when a task calls for it). Undefined without skills.
 * The descriptions are the agent folder's words: escaped, and on one line each.
 */
export function skillsPromptSection(skills: readonly Skill[]): string | undefined {
  if (skills.length === 0) return undefined;
  const lines = skills.map(
    (skill) =>
      `<skill name="${escapeXml(skill.name)}" path="${escapeXml(skill.path)}">${escapeXml(skill.description.replace(/\s+/g, ' '))}</skill>`,
  );
  return [
    '<skills>',
    "Skills are instructions for particular tasks. When a task matches a skill's description, first read its SKILL.md (the path given) with your file tools, then follow it.",
    ...lines,
    '</skills>',
  ].join('\n');
}
