import assert from 'node:assert/strict'
import type { TestApp, TestBrowser } from '../testing/app.js'

/** Tests' fixed "now": requests and capacity months are relative to it. */
export const NOW = new Date('2026-12-01T10:00:00Z')

/** A complete support request form, as the browser posts it. */
export const requestForm = (overrides: Record<string, string | string[]> = {}) => ({
  title: 'Stakeholder design workshops',
  programmeId: 'prog-virtual-ward',
  need: 'Co-design the next phase with staff, patients and carers.',
  scale: 'system',
  stakeholders: 'Community teams, acute trust, primary care, carers',
  startDay: '15',
  startMonth: '12',
  startYear: '2026',
  endDay: '31',
  endMonth: '3',
  endYear: '2027',
  aimCodes: ['F1', 'F2'],
  helpWanted: ['facilitation', 'workshop_design'],
  ...overrides,
})

export async function submit(
  browser: TestBrowser,
  overrides: Record<string, string | string[]> = {},
): Promise<string> {
  const res = await browser.submit('/support/requests/new', '/support/requests', requestForm(overrides))
  assert.equal(res.statusCode, 303, res.body.slice(0, 500))
  return String(res.headers.location).split('/').pop()!
}

export async function decide(browser: TestBrowser, t: TestApp, id: string, form: Record<string, string>) {
  const row = await t.db.database.db
    .selectFrom('support_requests')
    .select('version')
    .where('id', '=', id)
    .executeTakeFirstOrThrow()
  return browser.submit(`/support/requests/${id}/decide`, `/support/requests/${id}/decide`, {
    version: String(row.version),
    reason: '',
    ...form,
  })
}

export async function statusOf(t: TestApp, id: string): Promise<string> {
  return (
    await t.db.database.db
      .selectFrom('support_requests')
      .select('status')
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
  ).status
}
