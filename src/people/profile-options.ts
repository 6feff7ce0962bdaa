/** Self-declared QI training levels, on the community's capability ladder. */
export const QI_LEVELS = {
  none: 'No QI training yet',
  awareness: 'Awareness',
  foundation: 'Foundation',
  practitioner: 'Practitioner',
  coach: 'Coach',
  expert: 'Expert',
} as const
export type QiLevel = keyof typeof QI_LEVELS

/** How a member relates to the partnership when they join. */
export const AFFILIATIONS = {
  organisation: 'I work for a partner organisation',
  independent: 'Independent (not employed by a partner)',
  service_user: 'Service user or carer (improvement partner)',
  vcse: 'Voluntary, community or social enterprise sector',
  other: 'Other',
} as const
export type Affiliation = keyof typeof AFFILIATIONS
