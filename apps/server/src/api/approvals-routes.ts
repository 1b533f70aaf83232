import type { Gateway } from '@ngb/core';
import type { Store } from '@ngb/plugin-sdk';
import * as v from 'valibot';
import { type AnyApiRoute, defineRoute } from './api-route';
import { pageOf, pageQueryEntries, pageSchema } from './paging';
import { approvalRecord, approvalStatus } from './record-schemas';

const codeParams = v.object({
  code: v.pipe(v.string(), v.regex(/^[A-Za-z0-9]{1,32}$/, 'must be the letters and digits of an approval code')),
});

/** `GET /approvals`, `POST /approvals/:code/approve`, `POST /approvals/:code/deny`. */
export function approvalsRoutes(parts: { store: Store; gateway: Gateway }): AnyApiRoute[] {
  const { store, gateway } = parts;
  const decide = (action: 'approve' | 'deny', decision: 'approved' | 'denied') =>
    defineRoute({
      method: 'post',
      path: `/approvals/:code/${action}`,
      tag: 'approvals',
      summary: action === 'approve' ? 'Approves a pending chat or sender' : 'Denies a pending chat or sender',
      description:
        'As `/approve CODE` in a chat: an approved chat becomes active, an approved sender a member, and the waiting message is routed again. An unknown or already decided code is 404, an expired one 409.',
      params: codeParams,
      response: approvalRecord,
      errors: [404, 409],
      handle: async ({ params }) => {
        await gateway.resolveApproval(params.code, decision);
        const approval = await store.approvals.getByCode(params.code.toUpperCase());
        return approval;
      },
    });
  return [
    defineRoute({
      method: 'get',
      path: '/approvals',
      tag: 'approvals',
      summary: 'Approval requests, newest first; `status` filters',
      query: v.object({ status: v.optional(approvalStatus), ...pageQueryEntries }),
      response: pageSchema(approvalRecord),
      handle: async ({ query }) => pageOf((await store.approvals.list({ status: query.status })).reverse(), query),
    }),
    decide('approve', 'approved'),
    decide('deny', 'denied'),
  ];
}
