import type { SourceFactory } from './types.js'

/** Networks: their names and purposes are public, as the networks list is. */
export const networkSource: SourceFactory = () => ({
  kind: 'network',
  label: 'Network',
  plural: 'Networks',
  visibleIds: () => null,
})

/** Discussions, for those who may read their network (a closed network's are its members' only). */
export const threadSource: SourceFactory = ({ networks }) => ({
  kind: 'thread',
  label: 'Discussion',
  plural: 'Discussions',
  visibleIds: (user) => networks.readableThreadIdsQuery(user),
})

/** Posts in discussions, by the same rule as their thread; hidden and removed posts are never indexed. */
export const postSource: SourceFactory = ({ networks }) => ({
  kind: 'post',
  label: 'Post in a discussion',
  plural: 'Posts in discussions',
  visibleIds: (user) => networks.readablePostIdsQuery(user),
})
