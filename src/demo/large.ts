/** The large synthetic benchmark set (projects, measures, data points) is built with the projects feature (issue 4). */
export async function loadLargeDemo(_args: string[]): Promise<number> {
  process.stderr.write('The large synthetic data set needs the projects feature, which is not built yet.\n')
  return 2
}
