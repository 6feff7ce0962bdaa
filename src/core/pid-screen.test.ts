import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import {
  columnLetter,
  containsNhsNumber,
  containsPostcode,
  fullDatesIn,
  isBirthDateHeading,
  isValidNhsNumber,
  screenField,
  screenTable,
  screenText,
  findPidIn,
  pidMessage,
  type PidKind,
} from './pid-screen.js'
import { checkPattern, compilePattern } from './hospital-patterns.js'

/** A valid NHS number from nine digits (the check digit worked out), or null when none exists. */
function withCheckDigit(nine: string): string | null {
  let sum = 0
  for (let i = 0; i < 9; i++) sum += Number(nine[i]) * (10 - i)
  const check = 11 - (sum % 11)
  if (check === 10) return null
  return nine + (check === 11 ? '0' : String(check))
}

describe('NHS numbers', () => {
  test('accepts numbers whose tenth digit is the modulus-11 check digit', () => {
    assert.equal(isValidNhsNumber('9434765919'), true)
    assert.equal(isValidNhsNumber('4010232137'), true)
    for (const nine of ['123456788', '987654321', '450557710', '000000001']) {
      const n = withCheckDigit(nine)
      if (n) assert.equal(isValidNhsNumber(n), true, n)
    }
  })

  test('refuses numbers with the wrong check digit, or where the check digit would be 10', () => {
    assert.equal(isValidNhsNumber('9434765918'), false)
    assert.equal(isValidNhsNumber('1234567890'), false)
    assert.equal(withCheckDigit('123456789'), null)
    assert.equal(isValidNhsNumber('943476591'), false)
    assert.equal(isValidNhsNumber('94347659190'), false)
  })

  test('finds them together, spaced 3-3-4 or hyphenated, inside text', () => {
    assert.equal(containsNhsNumber('9434765919'), true)
    assert.equal(containsNhsNumber('943 476 5919'), true)
    assert.equal(containsNhsNumber('943-476-5919'), true)
    assert.equal(containsNhsNumber('patient 943 476 5919 seen'), true)
  })

  test('ignores invalid numbers, longer numbers, decimals and mixed separators', () => {
    assert.equal(containsNhsNumber('9434765918'), false)
    assert.equal(containsNhsNumber('19434765919'), false)
    assert.equal(containsNhsNumber('9434765919.5'), false)
    assert.equal(containsNhsNumber('0.9434765919'), false)
    assert.equal(containsNhsNumber('943 476-5919'), false)
    assert.equal(containsNhsNumber('14768.4166666667'), false)
  })
})

describe('postcodes', () => {
  test('finds UK postcodes in any common form', () => {
    for (const text of [
      'GL1 1AA',
      'gl1 1aa',
      'GL11AA',
      'SW1A 1AA',
      'M1 1AE',
      'B33 8TH',
      'CR2 6XH',
      'DN55 1PT',
      'lives at GL50 3PR now',
    ])
      assert.equal(containsPostcode(text), true, text)
  })

  test('does not mistake dates, counts or ward names for postcodes', () => {
    for (const text of [
      '2024-04-01',
      '12',
      'Ward 3B',
      'Q3 4TH',
      'PDSA1 2AB',
      'ABC123',
      'week 12',
      'covid-19',
    ])
      assert.equal(containsPostcode(text), false, text)
  })
})

describe('dates of birth', () => {
  test('recognises headings that name a date of birth', () => {
    for (const h of [
      'DOB',
      'dob',
      'D.O.B.',
      'Date of birth',
      'date_of_birth',
      'Birth date',
      'birthdate',
      'Patient DOB',
      'born',
    ])
      assert.equal(isBirthDateHeading(h), true, h)
    for (const h of ['month', 'date', 'period', 'Date of admission', 'doberman'])
      assert.equal(isBirthDateHeading(h), false, h)
  })

  test('treats full dates before 2000 as possible dates of birth, and recent ones as periods', () => {
    assert.equal(screenText('1957-03-14'), 'date_of_birth')
    assert.equal(screenText('14/03/1957'), 'date_of_birth')
    assert.equal(screenText('14 March 1957'), 'date_of_birth')
    assert.equal(screenText('31/12/1999'), 'date_of_birth')
    assert.equal(screenText('2024-04-01'), null)
    assert.equal(screenText('01/01/2000'), null)
    assert.equal(screenText('Apr 1990'), null, 'a month without a day is not a full date')
  })

  test('treats a recent date next to "DOB" or "born" as a date of birth', () => {
    assert.equal(screenText('DOB 03/02/2015'), 'date_of_birth')
    assert.equal(screenText('born 2019-06-01'), 'date_of_birth')
    assert.equal(screenText('started 2019-06-01'), null)
  })

  test('reads full dates written in several ways', () => {
    assert.deepEqual(fullDatesIn('from 2024-04-01 to 3/5/2024 and 7 Jun 2024'), [
      '2024-04-01',
      '2024-05-03',
      '2024-06-07',
    ])
    assert.deepEqual(fullDatesIn('2024-02-30'), [])
  })
})

describe('screening a table', () => {
  test('names the row and column of every finding, never the value', () => {
    const findings = screenTable([
      ['month', 'count', 'notes'],
      ['2024-01-01', '12', ''],
      ['2024-02-01', '943 476 5919', ''],
      ['2024-03-01', '4', 'patient from GL1 1AA'],
    ])
    assert.deepEqual(
      findings.map((f) => f.message),
      ['Row 3, column B looks like an NHS number', 'Row 4, column C looks like a postcode'],
    )
    assert.ok(findings.every((f) => !f.message.includes('943')))
  })

  test('refuses a birth-date column: its heading and every value in it', () => {
    const findings = screenTable([
      ['month', 'DOB', 'count'],
      ['2024-01-01', '2015-02-03', '5'],
      ['2024-02-01', '', '6'],
    ])
    assert.deepEqual(
      findings.map((f) => [f.kind, f.row, f.column]),
      [
        ['date_of_birth', 1, 2],
        ['date_of_birth', 2, 2],
      ],
    )
  })

  test('passes ordinary aggregate data, including the public data sets', () => {
    assert.deepEqual(
      screenTable([
        ['month', 'n', 'days'],
        ['2012-11-01', '17', '14768.4166666667'],
      ]),
      [],
    )
  })

  test('stops after a limit so a hostile file cannot make a huge report', () => {
    const rows = Array.from({ length: 1000 }, () => ['9434765919'])
    assert.equal(screenTable(rows, 50).length, 50)
  })

  test('gives a field message for forms', () => {
    assert.match(screenField('Seen at GL1 1AA') ?? '', /looks like it contains a postcode/)
    assert.equal(screenField('Discharges before noon'), null)
  })

  test('letters columns as a spreadsheet does', () => {
    assert.deepEqual([1, 2, 26, 27, 52, 53].map(columnLetter), ['A', 'B', 'Z', 'AA', 'AZ', 'BA'])
  })
})

// Hospital numbers as one trust might configure them: a mask (two letters, six digits) and a
// regular expression (an 'RTE' prefix and seven digits).
const trustPatterns = [
  compilePattern((checkPattern('mask', 'AB123456') as { source: string }).source),
  compilePattern((checkPattern('regex', 'RTE\\d{7}') as { source: string }).source),
]

describe('screening free text: true and false positives', () => {
  const cases: [text: string, expected: PidKind | null][] = [
    // NHS numbers: modulus 11, plain, spaced or dashed
    ['NHS number 9434765919', 'nhs_number'],
    ['NHS number 943 476 5919 on the form', 'nhs_number'],
    ['ref 943-476-5919', 'nhs_number'],
    ['4010232137', 'nhs_number'],
    ['NHS number 943 476 5918 (fails its check digit)', null],
    ['1234567890', null],
    ['Called 01452 528555 for advice', null],
    // Dates of birth in context, and full dates before 2000
    ['born 01/02/1950', 'date_of_birth'],
    ['DOB: 03/02/2015', 'date_of_birth'],
    ['d.o.b. 2019-06-01', 'date_of_birth'],
    ['Date of birth 12 March 2012', 'date_of_birth'],
    ['admitted 14/03/1957', 'date_of_birth'],
    ['meeting on 12/03/2026', null],
    ['Team meeting on 12 March 2026 at 2pm', null],
    ['The project was born out of a 2019 audit; we started on 01/04/2024', null],
    ['Data from 1 April 2024 to 31 March 2025', null],
    // Postcodes: full ones only
    ['lives at GL1 2AB', 'postcode'],
    ['gl503pr', 'postcode'],
    ['GL1 ward', null],
    ['Ward 3B and Ward 7A', null],
    ['Cheltenham GL50 area', null],
    // Hospital numbers the IG lead configured
    ['hospital number AB123456 seen', 'hospital_number'],
    ['hosp no rte1234567', 'hospital_number'],
    ['AB12345 is too short for the mask', null],
    ['Q3 2024 report 123456', null],
    // A patient's name next to a date or an identifier
    ['Mrs Jones was seen on 12/03/2026', 'patient_name'],
    ['Patient Smith, 3 May 2025, fell twice', 'patient_name'],
    ['Patient Mr Smith NHS number 943 476 5919 born 01/02/1950 at GL1 2AB missed insulin.', 'nhs_number'],
    ['Mrs Jones chaired the steering group', null],
    ['Patient Safety Week starts on 14/09/2026', null],
    ['Patient experience survey closes 30 June 2026', null],
    ['Dr Patel presented on 12 March 2026', null],
    ['Discharges before noon rose from 18% to 31%', null],
    ['', null],
  ]
  for (const [text, expected] of cases) {
    test(`${JSON.stringify(text)} → ${expected ?? 'no hit'}`, () => {
      assert.equal(screenText(text, trustPatterns), expected)
    })
  }

  test('without configured patterns a hospital number is not a hit', () => {
    assert.equal(screenText('hospital number AB123456 seen'), null)
  })
})

describe('form messages', () => {
  test('name the field and what was found, never the value', () => {
    const message = pidMessage('Problem statement', 'nhs_number')
    assert.match(
      message,
      /^Problem statement: this looks like it contains an NHS number\. Remove patient details/,
    )
    assert.ok(!message.includes('943'))
  })

  test('find the first refused string in a JSON body, with its path', () => {
    assert.deepEqual(findPidIn({ points: [{ period: '2024-01-01', value: 3 }, { note: '943 476 5919' }] }), {
      path: 'points.1.note',
      kind: 'nhs_number',
    })
    assert.equal(findPidIn({ points: [{ period: '2024-01-01', value: 3 }] }), null)
  })
})
