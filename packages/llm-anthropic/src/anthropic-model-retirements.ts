import type { Logger } from '@ngb/plugin-sdk';

/**
 * Anthropic models that are deprecated or retired, with their retirement date and the replacement
 * Anthropic recommends, from platform.claude.com/docs/en/about-claude/model-deprecations, checked
 * 2026-12-01. After its date a model's requests fail. Dated snapshots are matched by their base id.
 */
const retirements: Readonly<Record<string, { retires: string; replacement: string }>> = {
  'claude-sonnet-4-5': { retires: '2026-11-30', replacement: 'claude-sonnet-5-5' },
  'claude-mythos-preview': { retires: '2026-06-30', replacement: 'claude-fable-5-1' },
  'claude-sonnet-4': { retires: '2026-06-15', replacement: 'claude-sonnet-5-5' },
  'claude-sonnet-4-0': { retires: '2026-06-15', replacement: 'claude-sonnet-5-5' },
  'claude-opus-4': { retires: '2026-06-15', replacement: 'claude-opus-5-5' },
  'claude-opus-4-0': { retires: '2026-06-15', replacement: 'claude-opus-5-5' },
  'claude-3-7-sonnet': { retires: '2026-02-19', replacement: 'claude-sonnet-5-5' },
  'claude-3-7-sonnet-latest': { retires: '2026-02-19', replacement: 'claude-sonnet-5-5' },
};

/**
 * Warns through the logger, once per model, when a request names a deprecated model. The SDK's own
 * notice goes to `console.warn` whatever logger it is given, so the provider does not let the SDK
 * see the request (see `anthropic-provider.ts`) and says it here instead.
 */
export function createRetirementWarner(logger: Logger, label: string): (model: string) => void {
  const warned = new Set<string>();
  return (model) => {
    if (warned.has(model)) return;
    const base = model.replace(/-\d{8}$/, '');
    const retirement = retirements[model] ?? retirements[base];
    if (retirement === undefined) return;
    warned.add(model);
    logger.warn(
      `${label} model "${model}" is deprecated: Anthropic retires it on ${retirement.retires}, after which its requests fail; ` +
        `use ${retirement.replacement} (set \`model\`)`,
      { model, retires: retirement.retires, replacement: retirement.replacement },
    );
  };
}
