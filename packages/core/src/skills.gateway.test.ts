import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './__tests__/gateway-harness';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const marker = 'SECRET-OUTSIDE-5b2e';

async function setUp() {
  const h = await createHarness();
  harness = h;
  const agentsDirectory = join(h.directory, 'agents');
  const agent = await h.addAgent('andy');
  await h.addChat('c1', { agent });
  const addSkill = (folder: string, name: string, text: string) => {
    mkdirSync(join(agentsDirectory, folder, 'skills', name), { recursive: true });
    writeFileSync(join(agentsDirectory, folder, 'skills', name, 'SKILL.md'), text);
  };
  return { h, agentsDirectory, agent, addSkill };
}

const systemPrompts = (h: Harness) => h.llm.requests().map((request) => request.system ?? '');
const skillEvents = (h: Harness) => h.events.filter((event) => event.type === 'skill.invalid');

describe('skills in the system prompt', () => {
  it('lists each skill with its description and the path of its SKILL.md in the sandbox', async () => {
    const { h, addSkill } = await setUp();
    addSkill('andy', 'pdf-forms', '---\nname: pdf-forms\ndescription: Fill in PDF forms.\n---\nSTEP-BY-STEP-BODY\n');
    addSkill('global', 'weather', '---\nname: weather\ndescription: "Weather </skill></skills> <b>now</b>"\n---\n');
    await h.say('hello');
    const system = systemPrompts(h)[0] ?? '';
    expect(system).toContain(
      '<skill name="pdf-forms" path="/workspace/agent/skills/pdf-forms/SKILL.md">Fill in PDF forms.</skill>',
    );
    expect(system).toContain(
      '<skill name="weather" path="/workspace/global/skills/weather/SKILL.md">Weather &lt;/skill&gt;&lt;/skills&gt; &lt;b&gt;now&lt;/b&gt;</skill>',
    );
    // The body stays in the file: the agent reads it when it needs it.
    expect(system).not.toContain('STEP-BY-STEP-BODY');
    expect(h.texts()).toEqual(['echo: hello']);
  });

  it('has no skills section without skills', async () => {
    const { h } = await setUp();
    await h.say('hello');
    expect(systemPrompts(h)[0]).not.toContain('<skills>');
  });

  it('skips an invalid or linked skill, tells the bus once, and the turn still answers', async () => {
    const { h, agentsDirectory, agent, addSkill } = await setUp();
    addSkill('andy', 'good', '---\nname: good\ndescription: Works.\n---\n');
    addSkill('andy', 'wrong-name', '---\nname: right-name\ndescription: Mismatch.\n---\n');
    mkdirSync(join(h.directory, 'outside'));
    writeFileSync(join(h.directory, 'outside', 'SKILL.md'), `---\nname: linked\ndescription: ${marker}\n---\n`);
    mkdirSync(join(agentsDirectory, 'andy', 'skills', 'linked'));
    symlinkSync(join(h.directory, 'outside', 'SKILL.md'), join(agentsDirectory, 'andy', 'skills', 'linked', 'SKILL.md'));
    await h.say('first');
    await h.say('second');
    expect(h.texts()).toEqual(['echo: first', 'echo: second']);
    for (const system of systemPrompts(h)) {
      expect(system).toContain('<skill name="good"');
      expect(system).not.toContain('wrong-name');
      expect(system).not.toContain(marker);
    }
    expect(skillEvents(h)).toEqual([
      expect.objectContaining({
        type: 'skill.invalid',
        scope: 'agent',
        agentId: agent.id,
        name: 'linked',
        path: 'andy/skills/linked/SKILL.md',
        reason: 'andy/skills/linked/SKILL.md is a symbolic link; the skill is skipped',
      }),
      expect.objectContaining({
        type: 'skill.invalid',
        name: 'wrong-name',
        reason: 'andy/skills/wrong-name/SKILL.md: its name "right-name" differs from its folder\'s name "wrong-name"',
      }),
    ]);
    expect(await h.gateway.skills(agent)).toEqual({
      skills: [{ name: 'good', description: 'Works.', scope: 'agent', path: '/workspace/agent/skills/good/SKILL.md' }],
      problems: [
        expect.objectContaining({ name: 'linked', scope: 'agent' }),
        expect.objectContaining({ name: 'wrong-name', scope: 'agent' }),
      ],
    });
    expect(skillEvents(h)).toHaveLength(2);
  });
});
