import { Navigate } from 'react-router';
import { useCurrentProject } from '../shell/context';

/**
 * A project's first page: web analytics when its traffic is anonymous only (events, but no
 * identified person yet), else the persons list (which also teaches a new project how to send its
 * first event). The project answer carries both flags, so this costs no request of its own.
 */
export function ProjectHome() {
  const { project } = useCurrentProject();
  return <Navigate to={project.has_events && !project.has_identified_persons ? 'web' : 'persons'} replace />;
}
