import { type Approval, NgbError, type Store } from '@ngb/plugin-sdk';
import { fail } from '../cli-error';
import { colors } from '../colors';
import { printLine } from '../output';
import { formatAge, oneLine, table } from '../render/format';
import { type ProjectFlags, withProject } from '../with-project';

/** An approval with what a person needs to decide it. */
interface ApprovalRow {
  approval: Approval;
  chat: string;
  sender: string;
  firstMessage: string;
}

async function describeApproval(store: Store, approval: Approval): Promise<ApprovalRow> {
  const chat = await store.chats.get(approval.chatId);
  const message = approval.messageId ? await store.messages.get(approval.messageId) : undefined;
  const user = approval.userId ? await store.users.get(approval.userId) : undefined;
  const sender = user?.name ?? user?.platformUserId ?? message?.senderName ?? message?.senderId ?? '?';
  return {
    approval,
    chat: chat ? `${chat.channel}:${chat.name}` : approval.chatId,
    sender,
    firstMessage: message?.text ?? '',
  };
}

/** `ngb approvals ls`. */
export async function listApprovals(flags: ProjectFlags & { json: boolean }): Promise<void> {
  await withProject(flags, async ({ store }) => {
    const pending = (await store.approvals.list({ status: 'pending' })).sort(
      (left, right) => left.requestedAt - right.requestedAt,
    );
    const rows = await Promise.all(pending.map((approval) => describeApproval(store, approval)));
    if (flags.json) {
      printLine(
        JSON.stringify(
          rows.map((row) => ({ ...row.approval, chat: row.chat, sender: row.sender, firstMessage: row.firstMessage })),
        ),
      );
      return;
    }
    if (rows.length === 0) {
      printLine('no pending approvals: they appear when an unknown chat or sender writes to the bot');
      return;
    }
    const lines = table(
      ['CODE', 'KIND', 'CHAT', 'SENDER', 'AGE', 'FIRST MESSAGE'],
      rows.map((row) => [
        row.approval.code,
        row.approval.kind,
        row.chat,
        row.sender,
        formatAge(row.approval.requestedAt),
        oneLine(row.firstMessage, 60),
      ]),
    );
    printLine(colors.dim(lines[0] ?? ''));
    for (const line of lines.slice(1)) printLine(line);
    printLine(colors.dim('decide with `ngb approvals approve <code>` or `ngb approvals deny <code>`'));
  });
}

/** `ngb approvals approve <code>` and `ngb approvals deny <code>`. */
export async function decideApprovalCommand(
  flags: ProjectFlags & { code: string },
  decision: 'approved' | 'denied',
): Promise<void> {
  const verb = decision === 'approved' ? 'approve' : 'deny';
  await withProject(flags, async (project) => {
    const { decideApproval } = await import('./approval-gateway');
    const rerouted = await decideApproval(project, flags.code, decision).catch((error: unknown) => {
      if (NgbError.isInstance(error))
        fail(`ngb approvals ${verb}: ${error.message} (\`ngb approvals ls\` lists the pending ones)`);
      throw error;
    });
    const approval = await project.store.approvals.getByCode(flags.code.trim().toUpperCase());
    const row = approval ? await describeApproval(project.store, approval) : undefined;
    const what = row ? `${row.approval.kind} ${row.chat}${row.approval.kind === 'sender' ? ` (${row.sender})` : ''}` : flags.code;
    if (decision === 'denied') {
      printLine(`${colors.green('✓')} denied ${what}`);
      return;
    }
    const agents = new Map(project.agents.map((agent) => [agent.id, agent.folder]));
    const routed = rerouted.map((entry) => agents.get(entry.agentId) ?? entry.agentId);
    printLine(
      `${colors.green('✓')} approved ${what}` +
        (routed.length > 0
          ? `; its first message waits for ${routed.join(', ')}: \`ngb serve\` answers it (when it starts, or with the chat's next message)`
          : ''),
    );
  });
}
