import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, mainAgentId } from '../__tests__/api-client';
import { createServerHarness, type ServerHarness } from '../__tests__/server-harness';

let harness: ServerHarness;
beforeAll(async () => {
  harness = await createServerHarness();
});
afterAll(() => harness.close());

const addSkill = (folder: string, name: string, text: string) => {
  mkdirSync(join(harness.agentsDirectory, folder, 'skills', name), { recursive: true });
  writeFileSync(join(harness.agentsDirectory, folder, 'skills', name, 'SKILL.md'), text);
};

describe('GET /api/agents/:id/skills', () => {
  it("lists an agent's skills and the ones skipped with the reason", async () => {
    addSkill('main', 'pdf', '---\nname: pdf\ndescription: Fill in PDF forms.\n---\n');
    addSkill('global', 'pdf', '---\nname: pdf\ndescription: The shared one.\n---\n');
    addSkill('global', 'weather', '---\nname: weather\ndescription: Say the weather.\n---\n');
    mkdirSync(join(harness.agentsDirectory, 'main', 'skills', 'linked'));
    symlinkSync('/etc/passwd', join(harness.agentsDirectory, 'main', 'skills', 'linked', 'SKILL.md'));
    const answer = await call(harness, 'GET', `/api/agents/${await mainAgentId(harness)}/skills`);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      skills: [
        {
          name: 'pdf',
          description: 'Fill in PDF forms.',
          scope: 'agent',
          path: '/workspace/agent/skills/pdf/SKILL.md',
          overridesGlobal: true,
        },
        { name: 'weather', description: 'Say the weather.', scope: 'global', path: '/workspace/global/skills/weather/SKILL.md' },
      ],
      problems: [
        {
          scope: 'agent',
          name: 'linked',
          path: 'main/skills/linked/SKILL.md',
          reason: 'main/skills/linked/SKILL.md is a symbolic link; the skill is skipped',
        },
      ],
    });
    expect(harness.gateway.events.since(0).events.filter((event) => event.type === 'skill.invalid')).toHaveLength(1);
  });

  it('answers 404 for an unknown agent', async () => {
    const answer = await call(harness, 'GET', '/api/agents/ghost/skills');
    expect(answer).toEqual({
      status: 404,
      body: expect.objectContaining({ error: expect.objectContaining({ message: 'no agent with id "ghost"' }) }),
    });
  });
});
