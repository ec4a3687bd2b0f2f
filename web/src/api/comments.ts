import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type { commentSchema } from '../../../src/comments/comment-schemas.js';
import { api, wsPath } from './client.js';
import { incidentKeys } from './incidents.js';

/** A comment as the API returns it (markdown and its server-sanitized HTML). */
export type Comment = z.output<typeof commentSchema>;

/** Refreshes the activity log (where comments show) and the incident's comment count. */
function useRefreshAfterComment(workspace: string, number: number) {
  const client = useQueryClient();
  return () => {
    void client.invalidateQueries({ queryKey: incidentKeys.part(workspace, number, 'activity') });
    void client.invalidateQueries({ queryKey: incidentKeys.one(workspace, number), exact: true });
  };
}

/** Adds a markdown comment (at most 30,000 characters, 100 per incident). */
export function useAddComment(workspace: string, number: number) {
  const refresh = useRefreshAfterComment(workspace, number);
  return useMutation({
    mutationFn: (message: string) => api.post<Comment>(wsPath(workspace, `/incidents/${number}/comments`), { message }),
    onSuccess: refresh,
  });
}

/** Edits one of the caller's comments. */
export function useEditComment(workspace: string, number: number) {
  const refresh = useRefreshAfterComment(workspace, number);
  return useMutation({
    mutationFn: ({ id, message }: { id: string; message: string }) =>
      api.patch<Comment>(wsPath(workspace, `/incidents/${number}/comments/${id}`), { message }),
    onSuccess: refresh,
  });
}

/** Deletes one of the caller's comments (the log keeps that it was deleted). */
export function useDeleteComment(workspace: string, number: number) {
  const refresh = useRefreshAfterComment(workspace, number);
  return useMutation({
    mutationFn: (id: string) => api.delete<void>(wsPath(workspace, `/incidents/${number}/comments/${id}`)),
    onSuccess: refresh,
  });
}
