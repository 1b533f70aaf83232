import { defineNgbCommand } from '../define-command';

/** `ngb cost`. */
export const costCommand = defineNgbCommand({
  path: 'ngb cost',
  description: 'Show what agents, users and chats spent this day and month, against their budgets',
  args: { json: { type: 'boolean', description: 'Print JSON' } },
  async run(flags) {
    const { showCost } = await import('../cost/cost-actions');
    await showCost(flags);
  },
});
