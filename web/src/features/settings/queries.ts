import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  createApiKey,
  createInvite,
  deleteApiKey,
  deleteInvite,
  listApiKeys,
  listInvites,
  listMembers,
  updateProject,
  type Project,
} from '../../api';
import { keys } from '../../lib/queries';

export function useUpdateProject(projectId: number | string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: Parameters<typeof updateProject>[1]) => updateProject(projectId, body),
    onSuccess: (project: Project) => {
      client.setQueryData(keys.project(projectId), project);
      client.invalidateQueries({ queryKey: keys.projects });
    },
  });
}

export function useApiKeys() {
  return useQuery({ queryKey: ['personal-api-keys'], queryFn: listApiKeys });
}

export function useCreateApiKey() {
  const client = useQueryClient();
  return useMutation({ mutationFn: createApiKey, onSuccess: () => client.invalidateQueries({ queryKey: ['personal-api-keys'] }) });
}

export function useDeleteApiKey() {
  const client = useQueryClient();
  return useMutation({ mutationFn: deleteApiKey, onSuccess: () => client.invalidateQueries({ queryKey: ['personal-api-keys'] }) });
}

export function useMembers() {
  return useQuery({ queryKey: ['members'], queryFn: listMembers });
}

export function useInvites(enabled: boolean) {
  return useQuery({ queryKey: ['invites'], queryFn: listInvites, enabled });
}

export function useCreateInvite() {
  const client = useQueryClient();
  return useMutation({ mutationFn: createInvite, onSuccess: () => client.invalidateQueries({ queryKey: ['invites'] }) });
}

export function useDeleteInvite() {
  const client = useQueryClient();
  return useMutation({ mutationFn: deleteInvite, onSuccess: () => client.invalidateQueries({ queryKey: ['invites'] }) });
}
