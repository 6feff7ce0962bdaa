import { COMMUNITY_NAME } from '../web/site.js'

/** The e-mails projects send. Plain text, one link, never the content of private notes beyond what the reader may see. */
const sign = `\n\n${COMMUNITY_NAME}\n`

export function submittedMail(a: { title: string; byName: string; note: string; link: string }) {
  return {
    subject: `Waiting for registration: ${a.title}`,
    text: `${a.byName} has submitted the project "${a.title}" for registration.${a.note ? `\n\nTheir note: ${a.note}` : ''}\n\nReview it here: ${a.link}${sign}`,
  }
}

export function approvedMail(a: { name: string; title: string; byName: string; note: string; link: string }) {
  return {
    subject: `Your project is registered: ${a.title}`,
    text: `Hello ${a.name},\n\n${a.byName} has approved "${a.title}". It is now registered and active.${a.note ? `\n\nTheir note: ${a.note}` : ''}\n\nOpen your project: ${a.link}${sign}`,
  }
}

export function returnedMail(a: { name: string; title: string; byName: string; note: string; link: string }) {
  return {
    subject: `Your project has been returned with comments: ${a.title}`,
    text: `Hello ${a.name},\n\n${a.byName} has returned "${a.title}" with these comments:\n\n${a.note}\n\nRevise the draft and submit it again: ${a.link}${sign}`,
  }
}

export function statusChangedMail(a: {
  name: string
  title: string
  status: string
  byName: string
  link: string
}) {
  return {
    subject: `${a.title}: ${a.status.toLowerCase()}`,
    text: `Hello ${a.name},\n\n${a.byName} has changed the status of "${a.title}" to: ${a.status.toLowerCase()}.\n\nOpen the project: ${a.link}${sign}`,
  }
}

export function addedToTeamMail(a: {
  name: string
  title: string
  role: string
  byName: string
  link: string
}) {
  return {
    subject: `You have been added to the project "${a.title}"`,
    text: `Hello ${a.name},\n\n${a.byName} has added you to the project "${a.title}" as ${a.role}.\n\nOpen the project: ${a.link}${sign}`,
  }
}

export function publicationRequestMail(a: { title: string; byName: string; link: string }) {
  return {
    subject: `Asked to publish: ${a.title}`,
    text: `${a.byName} has asked for the project "${a.title}" to be made public, and confirmed consent for any quotes or images.\n\nApprove or decline it here: ${a.link}${sign}`,
  }
}

export function publicationDecisionMail(a: {
  name: string
  title: string
  approved: boolean
  byName: string
  note: string
  link: string
}) {
  return {
    subject: a.approved
      ? `Your project is now public: ${a.title}`
      : `Your project has not been made public: ${a.title}`,
    text: `Hello ${a.name},\n\n${a.byName} has ${a.approved ? 'approved' : 'declined'} publishing "${a.title}".${a.approved ? ' Anyone can now see it.' : ' It stays visible to community members.'}${a.note ? `\n\nTheir note: ${a.note}` : ''}\n\nOpen the project: ${a.link}${sign}`,
  }
}

export function mentionMail(a: { name: string; title: string; byName: string; body: string; link: string }) {
  const excerpt = a.body.length > 500 ? `${a.body.slice(0, 500)}…` : a.body
  return {
    subject: `${a.byName} mentioned you on "${a.title}"`,
    text: `Hello ${a.name},\n\n${a.byName} mentioned you in a comment on "${a.title}":\n\n${excerpt}\n\nReply here: ${a.link}${sign}`,
  }
}
