import { defineCommandGroup, defineNgbCommand } from '../define-command';

const ls = defineNgbCommand({
  path: 'ngb approvals ls',
  description: 'List pending approvals: unknown chats and senders waiting for the owner, with their codes',
  args: { json: { type: 'boolean', description: 'Print JSON' } },
  async run(flags) {
    const { listApprovals } = await import('../approvals/approval-actions');
    await listApprovals(flags);
  },
});

const code = { type: 'positional', required: true, description: 'The approval code (see `ngb approvals ls`)' } as const;

const approve = defineNgbCommand({
  path: 'ngb approvals approve',
  description: 'Approve a chat or sender by its code; its first message is routed to the agent again',
  args: { code },
  async run(flags) {
    const { decideApprovalCommand } = await import('../approvals/approval-actions');
    await decideApprovalCommand(flags, 'approved');
  },
});

const deny = defineNgbCommand({
  path: 'ngb approvals deny',
  description: 'Deny a chat or sender by its code; nothing more is asked about it',
  args: { code },
  async run(flags) {
    const { decideApprovalCommand } = await import('../approvals/approval-actions');
    await decideApprovalCommand(flags, 'denied');
  },
});

/** `ngb approvals ls | approve <code> | deny <code>`. */
export const approvalsCommands = defineCommandGroup('approvals', 'List, approve or deny pending approvals', {
  ls: async () => ls,
  approve: async () => approve,
  deny: async () => deny,
});
