import { COMMUNITY_NAME } from '../web/site.js'

/** The e-mails learning sends: plain text, one function each, so wording lives in one place. */

const when = new Intl.DateTimeFormat('en-GB', {
  weekday: 'long',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  timeZone: 'Europe/London',
})
export const formatWhen = (iso: string) => when.format(new Date(iso))

interface Place {
  name: string
  courseTitle: string
  cohortName: string
  courseUrl: string
}

const sign = `\n${COMMUNITY_NAME}\n`

export function enrolmentMail(status: 'enrolled' | 'waitlisted' | 'requested', p: Place) {
  const lead = {
    enrolled: `you have a place on ${p.courseTitle} (${p.cohortName}).`,
    waitlisted: `${p.courseTitle} (${p.cohortName}) is full, so you are on the waiting list. If a place comes up, it goes to the person who has waited longest, and we will e-mail you.`,
    requested: `you have asked for a place on ${p.courseTitle} (${p.cohortName}). The faculty approves places on this course; we will e-mail you when they decide.`,
  }[status]
  const subject = {
    enrolled: `You have a place on ${p.courseTitle}`,
    waitlisted: `You are on the waiting list for ${p.courseTitle}`,
    requested: `We have your request for ${p.courseTitle}`,
  }[status]
  return {
    subject,
    text: `Hello ${p.name},\n\n${cap(lead)}\n\nDates, calendar files and how to withdraw: ${p.courseUrl}\n${sign}`,
  }
}

function cap(s: string) {
  return s.charAt(0).toUpperCase() + s.slice(1)
}

export function promotedMail(p: Place) {
  return {
    subject: `A place has come up for you on ${p.courseTitle}`,
    text: `Hello ${p.name},\n\nA place has come up on ${p.courseTitle} (${p.cohortName}) and it is yours: you are now enrolled.\n\nIf you can no longer come, please withdraw so the next person can have the place: ${p.courseUrl}\n${sign}`,
  }
}

export function withdrawnMail(p: Place, byFaculty: boolean) {
  return {
    subject: `You have withdrawn from ${p.courseTitle}`,
    text: `Hello ${p.name},\n\n${byFaculty ? 'The faculty has withdrawn you' : 'You have withdrawn'} from ${p.courseTitle} (${p.cohortName}).\n\nYou can ask for a place again on a later cohort: ${p.courseUrl}\n${sign}`,
  }
}

export function declinedMail(p: Place) {
  return {
    subject: `Your request for ${p.courseTitle} was not approved`,
    text: `Hello ${p.name},\n\nThe faculty has not approved your request for a place on ${p.courseTitle} (${p.cohortName}). Contact the faculty if you would like to know more: ${p.courseUrl}\n${sign}`,
  }
}

export function certificateMail(p: Place & { recordUrl: string; code: string; verifyUrl: string }) {
  return {
    subject: `You have completed ${p.courseTitle}`,
    text: `Hello ${p.name},\n\nCongratulations: you have completed ${p.courseTitle} (${p.cohortName}).\n\nDownload your certificate from your training record: ${p.recordUrl}\nAnyone can check it with the code ${p.code} at ${p.verifyUrl}\n${sign}`,
  }
}

export function reminderMail(p: Place & { sessionTitle: string; startsAt: string; where: string }) {
  return {
    subject: `Reminder: ${p.sessionTitle}, ${formatWhen(p.startsAt)}`,
    text: `Hello ${p.name},\n\nA reminder that ${p.sessionTitle} of ${p.courseTitle} (${p.cohortName}) starts on ${formatWhen(p.startsAt)}.\n\nWhere: ${p.where}\n\nIf you cannot come, tell the faculty or withdraw: ${p.courseUrl}\n${sign}`,
  }
}

export function externalReviewedMail(p: {
  name: string
  title: string
  verified: boolean
  note: string
  recordUrl: string
}) {
  return {
    subject: p.verified
      ? `Your training "${p.title}" has been verified`
      : `Your training "${p.title}" could not be verified`,
    text: `Hello ${p.name},\n\n${p.verified ? `A faculty admin has verified "${p.title}". It now counts in your training record.` : `A faculty admin could not verify "${p.title}".`}${p.note ? `\n\nTheir note: ${p.note}` : ''}\n\n${p.recordUrl}\n${sign}`,
  }
}
