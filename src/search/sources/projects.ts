import type { SourceFactory } from './types.js'

/** Projects, seen exactly as the project's page is (projects/access.ts `visibleProjects`). */
export const projectSource: SourceFactory = ({ projects }) => ({
  kind: 'project',
  label: 'Project',
  plural: 'Projects',
  visibleIds: (user) => projects.visibleIdsQuery(user),
})
