/**
 * A reading-age score for the text a team writes for improvement partners (issue 13 point 1).
 * Pure: no I/O. The Flesch–Kincaid grade level,
 *   grade = 0.39 × (words ÷ sentences) + 11.8 × (syllables ÷ words) − 15.59,
 * is a US school grade; a UK reading age is the grade + 5 (grade 6 ≈ age 11, NHS.UK's aim).
 * Syllables are counted by a rule of thumb (vowel groups, less a silent final "e" and a
 * final "-ed"/"-es" that adds no sound), good enough for advice, never for a decision.
 */

export interface Readability {
  words: number
  sentences: number
  syllables: number
  /** Flesch–Kincaid grade level, unrounded (can be below 0 for very short, plain text). */
  grade: number
  /** UK reading age: the grade + 5, never below 5. */
  readingAge: number
}

const WORD = /[A-Za-z0-9]+(?:['’][A-Za-z]+)*/g

/**
 * The syllables of one word, by rule of thumb.
 * @example syllables('documentation') // 5
 */
export function syllables(word: string): number {
  let w = word.toLowerCase().replace(/['’][a-z]*$/, '')
  if (/^[0-9]+$/.test(w)) return 1
  w = w.replace(/[^a-z]/g, '')
  if (!w) return 0
  if (w.length <= 3) return 1
  // A final "-ed" after a consonant other than t or d is silent (helped, changed).
  if (/[^aeiouytd]ed$/.test(w)) w = w.slice(0, -2)
  // A final "-es" after a consonant that does not hiss is silent (medicines, tries stays).
  else if (/[^aeiouysxzcg]es$/.test(w)) w = w.slice(0, -2)
  // A silent final "e" (home, discharge), but not the "-le" of table or people.
  else if (/e$/.test(w) && !/[^aeiouy]le$/.test(w)) w = w.slice(0, -1)
  const groups = w.match(/[aeiouy]+/g)
  return Math.max(1, groups ? groups.length : 0)
}

/** The words of a text, as the score counts them. */
export function wordsOf(text: string): string[] {
  return text.match(WORD) ?? []
}

/** Sentences: runs of text ending in . ! ? (before a space or the end) or a line break. */
export function sentencesOf(text: string): string[] {
  return text.split(/[.!?]+(?=\s|$)|\n+/).filter((s) => /[A-Za-z0-9]/.test(s))
}

/** The score of a text, or null when it has no words. */
export function readability(text: string): Readability | null {
  const words = wordsOf(text)
  if (words.length === 0) return null
  const sentences = Math.max(1, sentencesOf(text).length)
  const syllableCount = words.reduce((n, w) => n + syllables(w), 0)
  const grade = 0.39 * (words.length / sentences) + 11.8 * (syllableCount / words.length) - 15.59
  return {
    words: words.length,
    sentences,
    syllables: syllableCount,
    grade,
    readingAge: Math.max(5, grade + 5),
  }
}

/** The reading age rounded to a whole year, for people. */
export function readingAgeYears(r: Readability): number {
  return Math.round(r.readingAge)
}
