import { networkSource, postSource, threadSource } from './networks.js'
import { posterSource } from './posters.js'
import { projectSource } from './projects.js'
import { courseSource, eventSource, personSource, programmeSource, resourceSource } from './public.js'
import type { SourceFactory } from './types.js'

export type { SearchDeps, SearchSource, SourceFactory } from './types.js'

/** Every kind the search shows, in the order of the type filters. A kind not listed here is never shown. */
export const SOURCES: SourceFactory[] = [
  projectSource,
  posterSource,
  resourceSource,
  personSource,
  networkSource,
  threadSource,
  postSource,
  courseSource,
  eventSource,
  programmeSource,
]
