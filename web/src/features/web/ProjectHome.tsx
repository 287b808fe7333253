import { Navigate } from 'react-router';
import { homeOf } from '../../route';
import { useCurrentProject } from '../shell/context';

/**
 * A project's first page (`homeOf`, shared with the early start): web analytics when its traffic
 * is anonymous only, else the persons list (which also teaches a new project how to send its first
 * event). The project answer carries both flags, so this costs no request of its own.
 */
export function ProjectHome() {
  const { project } = useCurrentProject();
  return <Navigate to={homeOf(project)} replace />;
}
