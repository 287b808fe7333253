import { infiniteQueryOptions, keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { cursorOf, type PersonsQuery } from '../../api';
import {
  createCohort,
  deleteCohort,
  estimateCohort,
  getCohort,
  listCohortPersons,
  listCohorts,
  recalculateCohort,
  updateCohort,
  uploadCohortCsv,
  type CohortFilters,
} from '../../api/cohorts';
import { PAGE_SIZE } from '../../lib/listQueries';

const key = (projectId: string | number) => ['cohorts', String(projectId)];

export function useCohorts(projectId: string | number) {
  return useQuery({ queryKey: key(projectId), queryFn: () => listCohorts(projectId), staleTime: 10_000 });
}

export function useCohort(projectId: string | number, id: string | undefined) {
  return useQuery({
    queryKey: [...key(projectId), 'one', id],
    queryFn: () => getCohort(projectId, id as string),
    enabled: !!id && id !== 'new',
    // a calculation in progress is shown until it ends
    refetchInterval: (q) => (q.state.data?.is_calculating ? 2_000 : false),
  });
}

export function useCohortPersons(projectId: string | number, id: string | undefined, q: Omit<PersonsQuery, 'cursor'>) {
  return useInfiniteQuery({
    ...infiniteQueryOptions({
      queryKey: [...key(projectId), 'persons', id, q],
      queryFn: ({ pageParam, signal }) => listCohortPersons(projectId, id as string, { ...q, limit: PAGE_SIZE, cursor: pageParam }, signal),
      initialPageParam: undefined as string | undefined,
      getNextPageParam: (last) => cursorOf(last.next),
    }),
    enabled: !!id && id !== 'new',
    placeholderData: keepPreviousData,
  });
}

/** The live size of an unsaved definition; null filters ask nothing. */
export function useCohortEstimate(projectId: string | number, filters: CohortFilters | null) {
  return useQuery({
    queryKey: [...key(projectId), 'estimate', JSON.stringify(filters)],
    queryFn: ({ signal }) => estimateCohort(projectId, filters as CohortFilters, signal),
    enabled: filters !== null,
    retry: false,
    staleTime: 30_000,
    placeholderData: keepPreviousData,
  });
}

export function useCohortMutations(projectId: string | number) {
  const client = useQueryClient();
  const refresh = () => client.invalidateQueries({ queryKey: key(projectId) });
  return {
    create: useMutation({ mutationFn: (body: Parameters<typeof createCohort>[1]) => createCohort(projectId, body), onSuccess: refresh }),
    update: useMutation({
      mutationFn: ({ id, ...body }: { id: number } & Parameters<typeof updateCohort>[2]) => updateCohort(projectId, id, body),
      onSuccess: refresh,
    }),
    remove: useMutation({ mutationFn: (id: number) => deleteCohort(projectId, id), onSuccess: refresh }),
    recalculate: useMutation({ mutationFn: (id: number) => recalculateCohort(projectId, id), onSuccess: refresh }),
    upload: useMutation({
      mutationFn: ({ file, target }: { file: File; target: { name: string } | { id: number } }) => uploadCohortCsv(projectId, file, target),
      onSuccess: refresh,
    }),
  };
}
