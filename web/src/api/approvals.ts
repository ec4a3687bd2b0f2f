import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type { approvalSchema } from '../../../src/approvals/approval-schemas.js';
import { api, wsPath } from './client.js';

/** An approval request a waiting run made: the question, the choices, who may answer, the answer. */
export type Approval = z.output<typeof approvalSchema>;
/** An approval request's state. */
export type ApprovalStatus = Approval['status'];

/** Query keys: every approval query of a workspace under `['approvals', ws]`. */
export const approvalKeys = {
  all: (workspace: string) => ['approvals', workspace] as const,
  list: (workspace: string, statuses: readonly ApprovalStatus[]) => ['approvals', workspace, 'list', statuses] as const,
};

/** The workspace's approval requests in the given states, newest first; pending ones refresh every 10 s. */
export function useApprovals(workspace: string, statuses: readonly ApprovalStatus[]) {
  return useQuery({
    queryKey: approvalKeys.list(workspace, statuses),
    queryFn: ({ signal }) =>
      api.get<{ items: Approval[] }>(wsPath(workspace, '/approvals'), { query: { status: statuses, limit: 200 }, signal }),
    refetchInterval: statuses.includes('pending') ? 10_000 : false,
  });
}

/** Answers an approval request with one of its choices; the waiting run resumes. */
export function useAnswerApproval(workspace: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ approval, choice }: { approval: Approval; choice: string }) =>
      api.post<Approval>(`/api/v1/approvals/${encodeURIComponent(approval.id)}`, { choice }),
    onSettled: () => {
      void client.invalidateQueries({ queryKey: approvalKeys.all(workspace) });
      void client.invalidateQueries({ queryKey: ['runs', workspace] });
      void client.invalidateQueries({ queryKey: ['run', workspace] });
    },
  });
}
