import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, wsPath } from './client.js';
import { incidentKeys } from './incidents.js';
import type { Task } from './types.js';

/** An incident's tasks, in checklist order. */
export function useTasks(workspace: string, number: number) {
  return useQuery({
    queryKey: incidentKeys.part(workspace, number, 'tasks'),
    queryFn: ({ signal }) => api.get<{ items: Task[] }>(wsPath(workspace, `/incidents/${number}/tasks`), { signal }),
  });
}

/** Refreshes what a task change touches: the tasks, the activity log and the incident's task counts. */
function useRefreshAfterTaskChange(workspace: string, number: number) {
  const client = useQueryClient();
  return () => {
    void client.invalidateQueries({ queryKey: incidentKeys.part(workspace, number, 'tasks') });
    void client.invalidateQueries({ queryKey: incidentKeys.part(workspace, number, 'activity') });
    void client.invalidateQueries({ queryKey: incidentKeys.one(workspace, number), exact: true });
    void client.invalidateQueries({ queryKey: incidentKeys.lists(workspace) });
  };
}

/** Adds an ad-hoc task (the API refuses a 41st). */
export function useAddTask(workspace: string, number: number) {
  const refresh = useRefreshAfterTaskChange(workspace, number);
  return useMutation({
    mutationFn: (input: { title: string; description: string }) =>
      api.post<Task>(wsPath(workspace, `/incidents/${number}/tasks`), input),
    onSuccess: refresh,
  });
}

/** Edits a task, completes it (status Completed) or re-opens it (status New), sending its etag. */
export function useUpdateTask(workspace: string, number: number) {
  const client = useQueryClient();
  const refresh = useRefreshAfterTaskChange(workspace, number);
  return useMutation({
    mutationFn: ({ task, changes }: { task: Task; changes: { title?: string; description?: string; status?: Task['status'] } }) =>
      api.patch<Task>(wsPath(workspace, `/incidents/${number}/tasks/${task.id}`), changes, { ifMatch: task.etag }),
    onSuccess: (updated) => {
      // Show the change at once; the refetch that follows brings anything else that changed.
      client.setQueryData<{ items: Task[] }>(incidentKeys.part(workspace, number, 'tasks'), (list) =>
        list ? { items: list.items.map((t) => (t.id === updated.id ? updated : t)) } : list,
      );
    },
    onSettled: refresh,
  });
}

/** Deletes a task (the activity log records it). */
export function useDeleteTask(workspace: string, number: number) {
  const refresh = useRefreshAfterTaskChange(workspace, number);
  return useMutation({
    mutationFn: (task: Task) => api.delete<void>(wsPath(workspace, `/incidents/${number}/tasks/${task.id}`)),
    onSuccess: refresh,
  });
}
