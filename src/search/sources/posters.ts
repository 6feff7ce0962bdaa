import type { SourceFactory } from './types.js'

/** Posters the gallery lists for this viewer: approved, consented, public (or community for members). */
export const posterSource: SourceFactory = ({ showcase }) => ({
  kind: 'poster',
  label: 'Poster',
  plural: 'Posters',
  visibleIds: (user) => showcase.visiblePosterIdsQuery(user),
})
