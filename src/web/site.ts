/** The community this instance serves. */
export const COMMUNITY_NAME = 'One Gloucestershire Improvement Community'
