/** Example parameters of the spc-chart component, for tests and documentation. */
export const spcChartFixtures = {
  minimal: {
    id: 'example-chart',
    svg: '<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="Example"><title>Example</title></svg>',
    description: 'Common cause variation: the latest point shows no special cause.',
  },
  withTableData: {
    id: 'example-table',
    description: 'Two points.',
    table: {
      caption: 'Data for Example',
      head: [{ text: 'Period' }, { text: 'Value', numeric: true }],
      rows: [
        [{ text: 'Apr 2024' }, { text: '42', numeric: true }],
        [{ text: 'May 2024' }, { text: '<b>suppressed</b>', numeric: true }],
      ],
    },
  },
}
