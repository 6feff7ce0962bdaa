/** The last point's target of a trajectory that has one, with its index; null without one. */
export function latestTarget(
  trajectory: readonly (number | null)[] | null | undefined,
): { value: number; index: number } | null {
  if (!trajectory) return null
  for (let i = trajectory.length - 1; i >= 0; i--) {
    const t = trajectory[i]
    if (t !== null) return { value: t, index: i }
  }
  return null
}
