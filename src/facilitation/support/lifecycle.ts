/**
 * The support request lifecycle of DOMAIN.md §3:
 * submitted → triage → declined (signposted to a faculty) | waitlisted | accepted → scoping → in_delivery → closed
 * (outcome recorded); withdrawn at any time by the requester.
 */
export const REQUEST_STATUSES = {
  submitted: 'Submitted',
  triage: 'In triage',
  declined: 'Declined',
  waitlisted: 'On the waiting list',
  accepted: 'Accepted',
  scoping: 'Scoping',
  in_delivery: 'In delivery',
  closed: 'Closed',
  withdrawn: 'Withdrawn',
} as const

export type RequestStatus = keyof typeof REQUEST_STATUSES
export const STATUS_NAMES = Object.keys(REQUEST_STATUSES) as RequestStatus[]

export function isRequestStatus(value: string): value is RequestStatus {
  return Object.hasOwn(REQUEST_STATUSES, value)
}

/** Decisions the triage team takes; `withdrawn` belongs to the requester alone. */
export const TRANSITIONS: Record<RequestStatus, readonly RequestStatus[]> = {
  submitted: ['triage', 'withdrawn'],
  triage: ['declined', 'waitlisted', 'accepted', 'withdrawn'],
  waitlisted: ['triage', 'declined', 'accepted', 'withdrawn'],
  accepted: ['scoping', 'withdrawn'],
  scoping: ['in_delivery', 'withdrawn'],
  in_delivery: ['closed', 'withdrawn'],
  declined: [],
  closed: [],
  withdrawn: [],
}

/** Waiting for a decision: the triage queue. */
export const OPEN_STATUSES: readonly RequestStatus[] = ['submitted', 'triage', 'waitlisted']
/** Work the QI specialists have taken on. */
export const ACTIVE_STATUSES: readonly RequestStatus[] = ['accepted', 'scoping', 'in_delivery']
export const ENDED_STATUSES: readonly RequestStatus[] = ['declined', 'closed', 'withdrawn']

/** Decisions that must say why (the requester reads the reason in the e-mail and on the request's page). */
export const REASON_REQUIRED: readonly RequestStatus[] = ['declined', 'waitlisted', 'accepted', 'closed']

/** What a decision is called on the triage form. */
export const DECISION_LABELS: Partial<Record<RequestStatus, string>> = {
  triage: 'Start triage',
  declined: 'Decline and signpost to a faculty',
  waitlisted: 'Put on the waiting list',
  accepted: 'Accept, with hours from QI specialists',
  scoping: 'Start scoping',
  in_delivery: 'Start delivery',
  closed: 'Close, recording the outcome',
}

export function canMove(from: RequestStatus, to: RequestStatus): boolean {
  return TRANSITIONS[from].includes(to)
}

/** Decisions the triage team may take from this status (everything but the requester's withdrawal). */
export function staffDecisions(from: RequestStatus): RequestStatus[] {
  return TRANSITIONS[from].filter((s) => s !== 'withdrawn')
}

/** Why a move is refused, in words a person can act on; null when it is allowed. */
export function refusal(from: RequestStatus, to: RequestStatus): string | null {
  if (canMove(from, to)) return null
  const label = REQUEST_STATUSES[from].toLowerCase()
  if (from === 'withdrawn') return `This request was withdrawn by the requester, so it cannot be ${verb(to)}`
  if (ENDED_STATUSES.includes(from)) return `This request is ${label}, so it cannot be ${verb(to)}`
  return `A request that is ${label} cannot be ${verb(to)}`
}

function verb(to: RequestStatus): string {
  const verbs: Record<RequestStatus, string> = {
    submitted: 'submitted again',
    triage: 'triaged',
    declined: 'declined',
    waitlisted: 'put on the waiting list',
    accepted: 'accepted',
    scoping: 'moved to scoping',
    in_delivery: 'moved to delivery',
    closed: 'closed',
    withdrawn: 'withdrawn',
  }
  return verbs[to]
}
