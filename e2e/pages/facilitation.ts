// Page objects for facilitation and events: asking for support, triage decisions, creating an
// event and registering for it.
import type { DateBoxes, Member } from './member.js'

export interface SupportRequest {
  title: string
  need: string
  scale: string
  start: DateBoxes
  end: DateBoxes
  aims: string[]
  help: string[]
}

export class SupportPages {
  constructor(readonly member: Member) {}

  /** Fills the support request form already open and sends it. */
  async fillAndSend(request: SupportRequest, status = 200): Promise<void> {
    const m = this.member
    await m.page.getByLabel('A short title for your request').fill(request.title)
    await m.page.getByLabel('What do you need help with?').fill(request.need)
    await m.check(request.scale)
    await m.fillDateGroup('When do you need support from?', request.start)
    await m.fillDateGroup('When should the support end?', request.end)
    for (const aim of request.aims) await m.check(aim)
    for (const help of request.help) await m.check(help, { exact: true })
    await m.press('Send request', status)
  }

  /** On a request's page: opens the decision form and ticks a decision. */
  async startDecision(decision: string): Promise<void> {
    const m = this.member
    await m.press('Record a decision')
    await m.check(decision)
  }

  /** On the decision form: one QI specialist's hours. */
  async assignHours(row: number, specialist: string, hours: string): Promise<void> {
    const group = this.member.page.getByRole('group', { name: `QI specialist ${row}`, exact: true })
    await group.getByLabel('QI specialist').selectOption({ label: specialist })
    await group.getByLabel('Month').selectOption({ index: 1 })
    await group.getByLabel('Estimated hours').fill(hours)
  }

  async recordDecision(reason?: string): Promise<void> {
    const m = this.member
    if (reason !== undefined) await m.page.getByLabel('Reason', { exact: true }).fill(reason)
    await m.press('Record decision')
  }
}

export interface NewEvent {
  title: string
  venue: string
  date: DateBoxes
  starts: string
  ends: string
  places: number
}

export class EventPages {
  constructor(readonly member: Member) {}

  /** Creates an in-person event and returns its address. */
  async create(event: NewEvent): Promise<string> {
    const m = this.member
    await m.open('/events/new')
    await m.page.getByLabel('Title').fill(event.title)
    await m.check('In person', { exact: true })
    await m.page.getByLabel('Venue').fill(event.venue)
    await m.fillDateGroup('Date', event.date)
    await m.page.getByLabel('Start time').fill(event.starts)
    await m.page.getByLabel('End time').fill(event.ends)
    await m.page.getByLabel('Number of places').fill(String(event.places))
    await m.press('Save event')
    return new URL(m.page.url()).pathname
  }
}
