import { describe, expect, it } from 'vitest';
import { gatewayBudgets } from '../compose/start-gateway';
import { configFile, configRefusal } from './__tests__/config-refusal';
import { parseConfig } from './load-config';

const file = configFile;
const refusal = configRefusal;

const agent = (settings: unknown) => ({ agents: { main: settings } });

describe('model chain and budget settings', () => {
  it.each([
    [
      'agents.main.model.fallbacks',
      agent({ model: { fallbacks: { model: 'm' } } }),
      'must be a list of { "provider"?: ..., "model": ... }',
    ],
    [
      'agents.main.model.fallbacks.0',
      agent({ model: { fallbacks: ['gpt'] } }),
      'must be an object ({ "provider": "openai", "model": "gpt-6.1-terra" })',
    ],
    [
      'agents.main.model.fallbacks.0.provider',
      agent({ model: { fallbacks: [{ provider: 'mistral', model: 'm' }] } }),
      'must be "openai" or "anthropic"',
    ],
    [
      'agents.main.model.fallbacks.1.model',
      agent({ model: { fallbacks: [{ model: 'a' }, { model: '' }] } }),
      'must not be empty',
    ],
    ['agents.main.budget.day', agent({ budget: { day: {} } }), 'must name "usd", "tokens" or both'],
    ['agents.main.budget.day.usd', agent({ budget: { day: { usd: -1 } } }), 'must not be negative'],
    ['agents.main.budget.month.tokens', agent({ budget: { month: { tokens: 0.5 } } }), 'must be a whole number'],
    ['agents.main.budget.cheaperModel.model', agent({ budget: { cheaperModel: {} } }), ''],
    ['budgets.timeZone', { budgets: { timeZone: 'Mars/Olympus' } }, 'is not a time zone'],
    ['budgets.nearShare', { budgets: { nearShare: 80 } }, 'must be from 0.01 to 1'],
    ['budgets.eachUser.day.tokens', { budgets: { eachUser: { day: { tokens: 0 } } } }, 'must be at least 1'],
    ['budgets.eachChat', { budgets: { eachChat: [] } }, 'must be an object'],
  ])('refuses a bad %s naming the key', (key, config, reason) => {
    const error = refusal(config);
    expect(error.key).toBe(key);
    expect(error.message).toContain(`key "${key}"`);
    expect(error.message).toContain(reason);
  });

  it('takes a chain and budgets, without warnings, and hands the gateway the agents that have a budget', () => {
    const { config, warnings } = parseConfig(
      JSON.stringify({
        agents: {
          main: {
            model: {
              provider: 'anthropic',
              model: 'claude-sonnet-5-5',
              fallbacks: [{ provider: 'openai', model: 'gpt-6.1-terra' }],
            },
            budget: { day: { usd: 2 }, month: { usd: 30, tokens: 5_000_000 }, cheaperModel: { model: 'claude-haiku-5' } },
          },
          helper: {},
        },
        budgets: { timeZone: 'Europe/Berlin', eachUser: { day: { usd: 0.5 } } },
      }),
      file,
    );
    expect(warnings).toEqual([]);
    expect(config.agents.main?.model?.fallbacks).toEqual([{ provider: 'openai', model: 'gpt-6.1-terra' }]);
    expect(gatewayBudgets(config)).toEqual({
      timeZone: 'Europe/Berlin',
      nearShare: 0.8,
      eachUser: { day: { usd: 0.5 } },
      agents: { main: { day: { usd: 2 }, month: { usd: 30, tokens: 5_000_000 }, cheaperModel: { model: 'claude-haiku-5' } } },
    });
    expect(gatewayBudgets(parseConfig('{}', file).config)).toBeUndefined();
  });
});
