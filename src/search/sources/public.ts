import type { SearchSource, SourceFactory } from './types.js'

/**
 * Kinds whose pages anyone may open: everything their trigger indexes may be shown. The people
 * trigger indexes only members in the directory, with only the fields each shares (never an
 * e-mail address); the course trigger only published courses.
 */
const open =
  (kind: string, label: string, plural: string): SourceFactory =>
  (): SearchSource => ({ kind, label, plural, visibleIds: () => null })

export const resourceSource = open('resource', 'Resource', 'Resources')
export const personSource = open('person', 'Person', 'People')
export const courseSource = open('course', 'Course', 'Courses')
export const eventSource = open('event', 'Event', 'Events')
export const programmeSource = open('programme', 'Programme', 'Programmes')
