import { COMMUNITY_NAME } from '../../web/site.js'
import { REQUEST_STATUSES, type RequestStatus } from './lifecycle.js'

const SUBJECTS: Record<RequestStatus, string> = {
  submitted: 'We have received your support request',
  triage: 'Your support request is being triaged',
  declined: 'Your support request: we cannot take it on, and where to go instead',
  waitlisted: 'Your support request is on our waiting list',
  accepted: 'Your support request has been accepted',
  scoping: 'Your support request: scoping has started',
  in_delivery: 'Your support request: delivery has started',
  closed: 'Your support request is closed',
  withdrawn: 'You have withdrawn your support request',
}

/** The e-mail a requester gets for each decision on their request. */
export function statusMail(args: {
  requesterName: string
  title: string
  status: RequestStatus
  reason: string
  facultyName?: string | null
  outcome?: string | null
  link: string
}): { subject: string; text: string } {
  const lines = [
    `Hello ${args.requesterName},`,
    '',
    `Your support request "${args.title}" is now: ${REQUEST_STATUSES[args.status].toLowerCase()}.`,
  ]
  if (args.reason) lines.push('', `Reason: ${args.reason}`)
  if (args.facultyName) lines.push('', `We suggest you contact ${args.facultyName}, who may be able to help.`)
  if (args.outcome) lines.push('', `Outcome: ${args.outcome}`)
  lines.push('', `Follow your request here: ${args.link}`, '', COMMUNITY_NAME, '')
  return { subject: SUBJECTS[args.status], text: lines.join('\n') }
}

export function newRequestMail(args: { title: string; requesterName: string; link: string }): {
  subject: string
  text: string
} {
  return {
    subject: `New support request: ${args.title}`,
    text: `${args.requesterName} has asked for support: "${args.title}".\n\nTriage it here: ${args.link}\n\n${COMMUNITY_NAME}\n`,
  }
}
