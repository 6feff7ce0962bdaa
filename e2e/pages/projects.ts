// Page objects for a project: starting one, its SMART aim, submitting it for registration and a
// coach approving it from the review queue.
import assert from 'node:assert/strict'
import type { Member } from './member.js'

export interface Aim {
  what: string
  measure: string
  baseline: string
  target: string
  forWhom: string
  byWhen: string
}

export class ProjectPages {
  constructor(readonly member: Member) {}

  /** Starts a project from the list and returns its address (a private draft led by the member). */
  async start(title: string, problem: string): Promise<string> {
    const m = this.member
    await m.open('/projects')
    await m.follow('Start a project')
    await m.fill('[name=title]', title)
    await m.fill('[name=problem]', problem)
    await m.press('Start the project')
    assert.equal((await m.heading()).trim(), title)
    assert.match(m.path, /^\/projects\/[0-9a-f-]{36}$/)
    return m.path
  }

  /** Writes the aim, previews the statement and saves it; returns the statement shown. */
  async writeAim(aim: Aim): Promise<string> {
    const m = this.member
    await m.follow('Write the aim')
    await m.fill('[name=what]', aim.what)
    await m.fill('[name=measure]', aim.measure)
    await m.fill('[name=baseline]', aim.baseline)
    await m.fill('[name=target]', aim.target)
    await m.fill('[name=forWhom]', aim.forWhom)
    await m.fill('[name=byWhen]', aim.byWhen)
    await m.press('Preview the statement')
    const statement = (await m.page.locator('#aim-statement').innerText()).trim()
    await m.press('Save this version')
    return statement
  }

  async submitForRegistration(projectPath: string): Promise<void> {
    const m = this.member
    await m.open(projectPath)
    await m.follow('Submit for registration')
    await m.press('Submit for registration')
    assert.equal(m.path, projectPath)
  }

  /** A coach approves the project whose row in the review queue holds `text`. */
  async approveFromQueue(text: string, note: string): Promise<void> {
    const m = this.member
    await m.open('/projects/review')
    assert.match(await m.main(), new RegExp(text))
    await m.followInRow(text, /^Approve/)
    await m.fill('[name=note]', note)
    await m.press('Approve and register the project')
  }
}
