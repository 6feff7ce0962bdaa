import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { readability, readingAgeYears, sentencesOf, syllables, wordsOf } from './readability.js'

const close = (actual: number, expected: number) =>
  assert.ok(Math.abs(actual - expected) < 0.005, `${actual} is not ${expected}`)

describe('readability: the syllable counter', () => {
  test('counts vowel groups, less silent endings', () => {
    const cases: [string, number][] = [
      ['we', 1],
      ['tried', 1], // "ie" after r: one group, the -ed follows a vowel so stays
      ['helped', 1], // -ed after p is silent
      ['waited', 2], // -ed after t is sounded
      ['home', 1], // silent e
      ['table', 2], // -le is sounded
      ['people', 2],
      ['medicines', 3], // -es after n is silent
      ['pharmacy', 3], // y is a vowel
      ['documentation', 5],
      ['multidisciplinary', 7],
      ['2026', 1],
    ]
    for (const [word, n] of cases) assert.equal(syllables(word), n, word)
  })

  test('words and sentences', () => {
    assert.deepEqual(wordsOf('We kept it. It’s better!'), ['We', 'kept', 'it', 'It’s', 'better'])
    assert.equal(sentencesOf('One. Two! Three?\nFour').length, 4)
    assert.equal(sentencesOf('It rose to 3.5 a day.').length, 1, 'a decimal point ends no sentence')
    assert.equal(readability('  ... '), null)
  })
})

describe('readability: Flesch–Kincaid grade and UK reading age on fixed texts', () => {
  test('plain text: a low reading age (clamped at 5)', () => {
    // 12 words, 3 sentences, 12 syllables (every word has one; "helped" drops its -ed).
    // grade = 0.39 × 12/3 + 11.8 × 12/12 − 15.59 = 1.56 + 11.8 − 15.59 = −2.23; age max(5, 2.77) = 5.
    const r = readability('We tried a new board. It helped the team. We kept it.')!
    assert.deepEqual([r.words, r.sentences, r.syllables], [12, 3, 12])
    close(r.grade, -2.23)
    assert.equal(r.readingAge, 5)
  })

  test('everyday text: reading age about 10', () => {
    // Sentence 1: Patients(2) waited(2) for(1) their(1) medicines(3) = 5 words, 9 syllables.
    // Sentence 2: We(1) asked(1) the(1) pharmacy(3) to(1) start(1) sooner(2) and(1) the(1) wait(1)
    //   got(1) shorter(2) = 12 words, 16 syllables. Total 17 words, 2 sentences, 25 syllables.
    // grade = 0.39 × 8.5 + 11.8 × 25/17 − 15.59 = 3.315 + 17.35294 − 15.59 = 5.07794; age 10.07794.
    const r = readability(
      'Patients waited for their medicines. We asked the pharmacy to start sooner, and the wait got shorter.',
    )!
    assert.deepEqual([r.words, r.sentences, r.syllables], [17, 2, 25])
    close(r.grade, 5.07794)
    close(r.readingAge, 10.07794)
    assert.equal(readingAgeYears(r), 10)
  })

  test('jargon: a very high reading age', () => {
    // Implementation(5) of(1) standardised(3) discharge(2) documentation(5) necessitates(4)
    // multidisciplinary(7) collaboration(5) = 8 words, 1 sentence, 32 syllables.
    // grade = 0.39 × 8 + 11.8 × 32/8 − 15.59 = 3.12 + 47.2 − 15.59 = 34.73; age 39.73.
    const r = readability(
      'Implementation of standardised discharge documentation necessitates multidisciplinary collaboration.',
    )!
    assert.deepEqual([r.words, r.sentences, r.syllables], [8, 1, 32])
    close(r.grade, 34.73)
    close(r.readingAge, 39.73)
    assert.equal(readingAgeYears(r), 40)
  })
})
