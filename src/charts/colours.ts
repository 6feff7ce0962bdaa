/** NHS identity colours used by Making Data Count charts and icons. */
export const COLOURS = {
  commonCause: '#768692',
  improvement: '#41B6E6',
  improvementDark: '#005EB8',
  concern: '#ED8B00',
  neutral: '#330072',
  line: '#AEB7BD',
  centre: '#231F20',
  limit: '#425563',
  sigma: '#AEB7BD',
  target: '#DA291C',
  text: '#212B32',
  axis: '#4C6272',
  grid: '#E8EDEE',
  annotation: '#7C2855',
  background: '#FFFFFF',
} as const
