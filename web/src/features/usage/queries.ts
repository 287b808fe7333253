import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { getUsage, updateBillingLimits } from '../../api';

export const usageKey = (projectId: number | string, month: string) => ['usage', String(projectId), month] as const;

export function useUsage(projectId: number | string, month: string) {
  return useQuery({
    queryKey: usageKey(projectId, month),
    queryFn: () => getUsage(projectId, month),
    placeholderData: keepPreviousData,
    staleTime: 15_000,
  });
}

export function useUpdateLimits(projectId: number | string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { identified?: number | null; anonymous?: number | null }) => updateBillingLimits(projectId, body),
    onSuccess: () => client.invalidateQueries({ queryKey: ['usage', String(projectId)] }),
  });
}
