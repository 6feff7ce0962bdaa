import { hasRole, type CurrentUser } from '../core/identity.js'

/**
 * Who sees governance (DOMAIN.md §4, §5.3): the Steering Group sees every governance page and
 * steers (the stalled threshold, the Board's measures); QI specialists (coaches) read the
 * portfolio, as they see every registered project; the Board sees its SPC summary of aggregates
 * and published work. Nobody else: not members, not the other roles, not platform admins.
 */
export function canSeePortfolio(user: CurrentUser | null | undefined): boolean {
  return hasRole(user, 'steering_group') || hasRole(user, 'coach')
}

/** The Steering Group sets the portfolio's settings and chooses the Board's measures. */
export function canSteer(user: CurrentUser | null | undefined): boolean {
  return hasRole(user, 'steering_group')
}

export function canSeeBoardSummary(user: CurrentUser | null | undefined): boolean {
  return hasRole(user, 'board') || hasRole(user, 'steering_group')
}
