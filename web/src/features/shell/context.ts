import { createContext, useContext } from 'react';
import type { Project, User } from '../../api';

export interface ProjectContextValue {
  project: Project;
  me: User;
}

export const ProjectContext = createContext<ProjectContextValue | null>(null);

/** The project of the URL and the signed-in user; pages inside the layout always have both. */
export function useCurrentProject(): ProjectContextValue {
  const value = useContext(ProjectContext);
  if (!value) throw new Error('useCurrentProject outside the project layout');
  return value;
}
