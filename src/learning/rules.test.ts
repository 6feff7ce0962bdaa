import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { formatCode, newCertificateCode, normaliseCode } from './certificate-code.js'
import { completion } from './completion.js'
import { cohortOpen, courseEligibility, type EligibilityCourse } from './eligibility.js'
import { highestLevel, levelLabel } from './levels.js'
import { londonInstant, londonParts } from '../core/dates.js'

const course: EligibilityCourse = {
  published: true,
  openToAll: false,
  eligibleOrgIds: ['org-ghft'],
  eligibleRoles: [],
  prerequisites: [{ id: 'bronze', title: 'GSQIA Bronze' }],
}
const names = new Map([['org-ghft', 'Gloucestershire Hospitals NHS Foundation Trust']])
const person = { organisationId: 'org-ghft', orgVerified: true, roles: [{ role: 'member' }] }

describe('eligibility', () => {
  test('refuses people from other organisations, saying who the course is for', () => {
    const r = courseEligibility({ ...person, organisationId: 'org-ghc' }, course, new Set(['bronze']), names)
    assert.deepEqual(r, {
      eligible: false,
      reason:
        'This course is only for people who work for Gloucestershire Hospitals NHS Foundation Trust. Your profile does not show that you are one of them.',
    })
  })

  test('asks for the organisation to confirm membership first', () => {
    const r = courseEligibility({ ...person, orgVerified: false }, course, new Set(['bronze']), names)
    assert.equal(r.eligible, false)
    assert.match((r as { reason: string }).reason, /has not yet confirmed/)
  })

  test('names the prerequisites still to complete', () => {
    const r = courseEligibility(person, course, new Set(), names)
    assert.deepEqual(r, {
      eligible: false,
      reason: 'You need to complete GSQIA Bronze before you can join this course.',
    })
    assert.deepEqual(courseEligibility(person, course, new Set(['bronze']), names), { eligible: true })
  })

  test('a role admits people from any organisation', () => {
    const board = { ...course, eligibleOrgIds: [], eligibleRoles: ['board'], prerequisites: [] }
    assert.equal(
      courseEligibility(
        { ...person, organisationId: null, roles: [{ role: 'board' }] },
        board,
        new Set(),
        names,
      ).eligible,
      true,
    )
    assert.match(
      (courseEligibility(person, board, new Set(), names) as { reason: string }).reason,
      /only for Board members/,
    )
  })

  test('enrolment closes at the closing time', () => {
    assert.equal(
      cohortOpen({ enrolmentClosesAt: '2027-03-01T23:59:00.000Z' }, new Date('2027-03-01T23:00:00Z'))
        .eligible,
      true,
    )
    assert.deepEqual(
      cohortOpen({ enrolmentClosesAt: '2027-03-01T23:59:00.000Z' }, new Date('2027-03-02T00:00:00Z')),
      { eligible: false, reason: 'Enrolment for this cohort closed on 1 March 2027 at 23:59.' },
    )
  })
})

describe('completion', () => {
  const criteria = { minAttendancePct: 75, requiresProject: true, requiresAssessment: false }
  test('meets the criteria with enough attendance and a project', () => {
    assert.deepEqual(
      completion(criteria, {
        sessionsTotal: 4,
        sessionsPresent: 3,
        projectSubmitted: true,
        assessmentPassed: false,
      }),
      { met: true, attendancePct: 75, missing: [] },
    )
  })
  test('lists what is missing', () => {
    assert.deepEqual(
      completion(criteria, {
        sessionsTotal: 4,
        sessionsPresent: 2,
        projectSubmitted: false,
        assessmentPassed: false,
      }).missing,
      ['attended 50% of sessions (needs 75%)', 'project not submitted'],
    )
  })
})

describe('certificate codes', () => {
  test('are 16 base32 characters and unguessable (no repeats in 10,000)', () => {
    const codes = new Set(Array.from({ length: 10_000 }, newCertificateCode))
    assert.equal(codes.size, 10_000)
    for (const c of [...codes].slice(0, 100)) assert.match(c, /^[0-9A-HJKMNP-TV-Z]{16}$/)
  })
  test('are read back however they are typed', () => {
    const code = newCertificateCode()
    assert.equal(normaliseCode(` ${formatCode(code).toLowerCase()} `), code)
    assert.equal(normaliseCode('ABCD-EFGH-JKMN-PQRO'), 'ABCDEFGHJKMNPQR0')
    assert.equal(normaliseCode('short'), null)
    assert.equal(normaliseCode('ABCD-EFGH-JKMN-PQR!'), null)
  })
})

describe('levels and times', () => {
  test('faculty level names show beside the ladder', () => {
    assert.equal(levelLabel('foundation', 'Silver'), 'Silver (Foundation)')
    assert.equal(highestLevel(['awareness', 'board', 'practitioner', 'foundation']), 'practitioner')
    assert.equal(highestLevel(['board']), null)
  })
  test('London wall-clock times convert across summer time', () => {
    assert.equal(londonInstant('2027-01-15', '09:30'), '2027-01-15T09:30:00.000Z')
    assert.equal(londonInstant('2027-07-15', '09:30'), '2027-07-15T08:30:00.000Z')
    assert.deepEqual(londonParts('2027-07-15T08:30:00.000Z'), ['2027-07-15', '09:30'])
    assert.equal(londonInstant('2027-02-30', '09:30'), null)
  })
})
